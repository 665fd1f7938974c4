import * as tf from '@tensorflow/tfjs';
import { trainableVariables, type GanLoss, type Rng } from '../../../core/index.js';
import { criticStep } from '../losses/critic-step.js';
import { generatorUsesReal, hasGradientPenalty } from '../losses/gan-loss-types.js';
import type { DcganGenerator } from '../nets/dcgan-generator.js';

/** What one DCGAN step needs: the two networks and their optimizers, the data and the random streams. */
export interface DcganStepParts {
  G: DcganGenerator;
  D: tf.LayersModel;
  optG: tf.Optimizer;
  optD: tf.Optimizer;
  /** A batch of real maps (network range); each call draws the next one. */
  realBatch: () => tf.Tensor4D;
  /** `k` latent vectors [k, latentDim] from the latent stream. */
  latents: (k: number) => tf.Tensor2D;
  gpRng: Rng;
  batch: number;
  dSteps: number;
}

/** The step's figures: generator and discriminator costs, mean critic outputs, and the gradient penalty when the loss has one. */
export type DcganStepLosses = { gLoss: number; dLoss: number; dReal: number; dFake: number; gp?: number };

/**
 * One DCGAN update (Radford et al. 2015, Algorithm 1 of Goodfellow et al. 2014): `dSteps`
 * discriminator updates, each on a fresh real batch and fresh latents (`criticStep`: the loss's
 * L_D plus its gradient penalty, if any), then one generator update on fresh latents, L_G of the
 * critic's output on G(z) (and on the last real batch for losses that compare with it, e.g.
 * relativistic). G runs in training mode (VBN with its reference batch) throughout.
 */
export function dcganStep(p: DcganStepParts, loss: GanLoss): DcganStepLosses {
  const critic = (x: tf.Tensor): tf.Tensor => p.D.apply(x, { training: true }) as tf.Tensor;
  const dVars = trainableVariables(p.D);
  const gVars = trainableVariables(p.G.model);
  let dLoss = 0, dReal = 0, dFake = 0, gp = 0;
  let real: tf.Tensor4D | undefined;
  for (let k = 0; k < p.dSteps; k++) {
    real?.dispose();
    real = p.realBatch();
    const z = p.latents(p.batch);
    const fake = tf.tidy(() => p.G.generate(z, true));
    const c = criticStep(p.optD, dVars, critic, loss, real, fake, p.gpRng);
    dLoss += c.loss / p.dSteps;
    dReal += c.real / p.dSteps;
    dFake += c.fake / p.dSteps;
    if (c.gp !== undefined) gp += c.gp / p.dSteps;
    tf.dispose([z, fake]);
  }
  const z = p.latents(p.batch);
  const realLogits = generatorUsesReal(loss) ? tf.tidy(() => critic(real!)) : tf.zeros([p.batch, 1]);
  const gCost = p.optG.minimize(() => loss.generator(realLogits, critic(p.G.generate(z, true))), true, gVars) as tf.Scalar;
  const gLoss = gCost.dataSync()[0];
  tf.dispose([gCost, z, realLogits, real!]);
  return { gLoss, dLoss, dReal, dFake, ...(hasGradientPenalty(loss) ? { gp } : {}) };
}
