/**
 * `batchNormalization(args)`: tfjs-layers' BatchNormalization, drop-in (same arguments, weights,
 * weight names, serialised class name and inference path), whose training-mode call uses the
 * fused native kernels when the active backend has them (core/tensor/native/batch-norm-train.ts:
 * one kernel forward, one backward, instead of tf.moments + tf.batchNorm and their ~15 passes).
 * On any other backend, for a normalised axis other than the last, or for non-float32 input it
 * is tfjs-layers' own call, so wasm and cpu results are unchanged bit for bit.
 *
 * The moving averages are updated with the same ops as tfjs-layers
 * (moving ← moving − (moving − batch)·(1 − momentum), biased batch variance), and `scale: false`
 * / `center: false` are supported in training mode (tfjs-layers' own call throws there).
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormTrain, batchNormTrainingAvailable } from '../tensor/native/batch-norm-train.js';

/** The arguments of tf.layers.batchNormalization. */
export type BatchNormalizationArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;

type LayerVariable = ReturnType<tf.layers.Layer['getWeights']>[number] & { read(): tf.Tensor; write(v: tf.Tensor): void };
/** The tfjs-layers BatchNormalization fields this subclass reads (private in its typings). */
interface BatchNormFields {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma: LayerVariable | null;
  beta: LayerVariable | null;
  movingMean: LayerVariable;
  movingVariance: LayerVariable;
}

type LayerCtor = new (args?: BatchNormalizationArgs) => tf.layers.Layer;
const StockBatchNormalization = tf.layers.batchNormalization({}).constructor as LayerCtor;

class FusedBatchNormalization extends StockBatchNormalization {
  /** Serialised as tfjs-layers' own class: a saved model loads anywhere as a plain BatchNormalization. */
  static className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const f = this as unknown as BatchNormFields;
    const axis = f.axis >= 0 ? f.axis : f.axis + input.rank;
    const fused = kwargs.training === true && (!Array.isArray(inputs) || inputs.length === 1) && input.dtype === 'float32'
      && axis === input.rank - 1 && batchNormTrainingAvailable();
    if (!fused) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const C = input.shape[axis];
      const scale = (f.gamma?.read() ?? tf.ones([C])) as tf.Tensor1D;
      const offset = (f.beta?.read() ?? tf.zeros([C])) as tf.Tensor1D;
      const [y, mean, variance] = batchNormTrain(input, scale, offset, f.epsilon);
      const decay = 1 - f.momentum;
      for (const [v, batch] of [[f.movingMean, mean], [f.movingVariance, variance]] as const) {
        tf.tidy(() => {
          const orig = v.read();
          v.write(tf.sub(orig, tf.mul(tf.sub(orig, batch), decay)));
        });
      }
      return y;
    });
  }
}

/**
 * A batch-normalisation layer, as `tf.layers.batchNormalization(args)`; fused in training on the
 * native backend (see the file comment).
 */
export function batchNormalization(args: BatchNormalizationArgs = {}): tf.layers.Layer {
  return new FusedBatchNormalization(args);
}
