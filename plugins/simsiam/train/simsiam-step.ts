/**
 * One SimSiam training step (Chen & He 2021, Algorithm 1):
 *   z1, z2 = projector(encoder(x1)), projector(encoder(x2))   (BN in training mode)
 *   p1, p2 = predictor(z1), predictor(z2)
 *   L = 0.5 D(p1, stopgrad(z2)) + 0.5 D(p2, stopgrad(z1))
 * then one optimizer update of every trainable weight of the three models. Weight decay is the
 * optimizer's (the paper's 1e-4 on all weights, BN included, is core's `SgdOptimizer` with
 * `weightDecay: { value: 1e-4, mode: 'coupled', applyTo: 'all' }`). The two views go through
 * the networks separately, so each view has its own BN batch statistics, as in the official code.
 * Returns the loss and the collapse monitor std of l2-normalised z1.
 */
import * as tf from '@tensorflow/tfjs';
import { trainableVariables } from '../../../core/index.js';
import { collapseStd } from '../losses/collapse-std.js';
import { symmetricNegCosine } from '../losses/negative-cosine.js';

export interface SimSiamStepResult {
  /** Symmetric negative-cosine loss of this step, in [-1, 1]. */
  loss: number;
  /** `collapseStd(z1)`: ~1/sqrt(dim) when healthy, -> 0 when collapsed. */
  collapseStd: number;
}

/**
 * Run one SimSiam step on the two views `x1`, `x2` (`[batch, H, W, C]`, batch >= 2) and update
 * the encoder, projector and predictor with `optimizer`.
 * `lossFn` is the Siamese loss (default: the symmetric negative cosine).
 */
export function simsiamStep(
  encoder: tf.LayersModel, projector: tf.LayersModel, predictor: tf.LayersModel,
  optimizer: tf.Optimizer, x1: tf.Tensor4D, x2: tf.Tensor4D,
  lossFn: (p1: tf.Tensor2D, p2: tf.Tensor2D, z1: tf.Tensor2D, z2: tf.Tensor2D) => tf.Scalar = symmetricNegCosine,
): SimSiamStepResult {
  if (x1.rank !== 4 || x2.rank !== 4 || x1.shape.join() !== x2.shape.join()) {
    throw new Error(`simsiamStep.x1/x2: expected two views of the same shape [batch, H, W, C], got [${x1.shape}] and [${x2.shape}]`);
  }
  const vars = trainableVariables(encoder, projector, predictor);
  let z1: tf.Tensor2D | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const project = (x: tf.Tensor4D) =>
      projector.apply(encoder.apply(x, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor2D;
    const za = project(x1), zb = project(x2);
    const pa = predictor.apply(za, { training: true }) as tf.Tensor2D;
    const pb = predictor.apply(zb, { training: true }) as tf.Tensor2D;
    z1 = tf.keep(za);
    return lossFn(pa, pb, za, zb);
  }, vars);
  // Every variable gets an entry, in `vars` order: tfjs' momentum optimizer indexes its
  // accumulators by position, so the map must not skip a variable.
  const update: tf.NamedTensorMap = {};
  tf.tidy(() => {
    for (const v of vars) {
      const g = grads[v.name] ?? tf.zerosLike(v);
      update[v.name] = tf.keep(g.clone());
    }
  });
  optimizer.applyGradients(update);
  const loss = value.dataSync()[0];
  const std = collapseStd(z1!);
  tf.dispose([value, z1!, ...Object.values(grads), ...Object.values(update)]);
  return { loss, collapseStd: std };
}
