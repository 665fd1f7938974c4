import * as tf from '@tensorflow/tfjs';
import { trainableVariables, type GanLoss, type Rng } from '../../../core/index.js';
import { criticStep, generatorUsesReal, hasGradientPenalty } from '../../gan/index.js';
import type { ShearForwardModel } from '../components/shear-forward-model.js';
import type { RcganRegulariser } from '../components/rcgan-regulariser.js';
import { generatorInput } from '../nets/conditional-generator.js';
import { packCondition, type ConditionSpec } from './condition.js';

/** What one rcGAN training step needs: networks, optimizers, losses, the forward model and sizes. */
export interface RcganStepSetup {
  G: tf.LayersModel;
  D: tf.LayersModel;
  optG: tf.Optimizer;
  optD: tf.Optimizer;
  /** The adversarial loss (family 'gan', e.g. gan/wgan-gp). */
  adv: GanLoss;
  reg: RcganRegulariser;
  forward: ShearForwardModel;
  spec: ConditionSpec;
  /** Map side, condition channels, latent channels. */
  n: number;
  C: number;
  zc: number;
  /** s: networks see κ/s and the condition/s. */
  scale: number;
  criticSteps: number;
  driftWeight: number;
  betaAdv: number;
}

/** The random streams of one step: shape noise, latents, gradient-penalty interpolation. */
export interface RcganStepRngs { noise: Rng; latent: Rng; gp: Rng }

/**
 * One training step of `mass-mapping/rcgan` on the maps `kappas` (B maps, data units):
 * observe each with fresh shape noise and pack the conditions; `criticSteps` critic updates
 * (L_D of the GAN loss + its gradient penalty + ε_drift·E[D(x,γ)²], via the gan plugin's
 * criticStep); one generator update with P = reg.samples samples per condition:
 * L_G = reg(x, x̂_(P)) + β_adv·L_adv. Returns the logged quantities (l1 and sd in κ units) and
 * `conditionMs`, the time spent observing and packing the conditions.
 */
export function rcganTrainStep(o: RcganStepSetup, kappas: Float32Array[], rngs: RcganStepRngs): Record<string, number> {
  const { G, D, optG, optD, adv, reg, forward, spec, n, C, zc, scale } = o;
  const B = kappas.length, P = reg.samples;
  const gVars = trainableVariables(G);
  const dVars = trainableVariables(D);
  const t0 = performance.now();
  const condBuf = new Float32Array(B * n * n * C);
  const mask = forward.mask(n);
  kappas.forEach((k, b) => condBuf.set(packCondition(forward.observe(k, n, rngs.noise), n, spec, mask, scale), b * n * n * C));
  const conditionMs = performance.now() - t0;
  const xBuf = new Float32Array(B * n * n);
  kappas.forEach((k, b) => { for (let i = 0; i < n * n; i++) xBuf[b * n * n + i] = k[i] / scale; });
  const x = tf.tensor4d(xBuf, [B, n, n, 1]);
  const cond = tf.tensor4d(condBuf, [B, n, n, C]);
  const critic = (img: tf.Tensor): tf.Tensor => D.apply([img, cond], { training: true }) as tf.Tensor;

  let dLoss = 0, dReal = 0, dFake = 0, gp = 0;
  for (let k = 0; k < o.criticSteps; k++) {
    const fake = tf.tidy(() => G.apply(generatorInput(cond, zc, rngs.latent.tfSeed()), { training: true }) as tf.Tensor4D);
    const c = criticStep(optD, dVars, critic, adv, x, fake, rngs.gp,
      o.driftWeight > 0 ? (dr) => tf.mul(o.driftWeight, tf.mean(tf.square(dr))) as tf.Scalar : undefined);
    dLoss += c.loss / o.criticSteps;
    dReal += c.real / o.criticSteps;
    dFake += c.fake / o.criticSteps;
    if (c.gp !== undefined) gp += c.gp / o.criticSteps;
    tf.dispose(fake);
  }

  const condP = tf.tile(cond, [P, 1, 1, 1]) as tf.Tensor4D; // sample-major: row p·B + b
  const gIn = generatorInput(condP, zc, rngs.latent.tfSeed());
  // Relativistic losses compare with critic outputs on real maps; WGAN's generator loss does not read them.
  const realP = generatorUsesReal(adv) ? tf.tidy(() => D.apply([tf.tile(x, [P, 1, 1, 1]), condP], { training: true }) as tf.Tensor) : undefined;
  let terms: tf.Scalar[] = [];
  const gCost = optG.minimize(() => {
    const out = G.apply(gIn, { training: true }) as tf.Tensor4D;
    const r = reg.compute(x, tf.reshape(out, [P, B, n, n, 1]));
    const dOut = D.apply([out, condP], { training: true }) as tf.Tensor;
    const a = adv.generator(realP ?? dOut, dOut);
    terms = [tf.keep(r.l1), tf.keep(r.sd), tf.keep(tf.clone(a))];
    return tf.add(r.loss, tf.mul(o.betaAdv, a)) as tf.Scalar;
  }, true, gVars) as tf.Scalar;
  const out: Record<string, number> = {
    loss: gCost.dataSync()[0], l1: terms[0].dataSync()[0] * scale, sd: terms[1].dataSync()[0] * scale,
    gAdv: terms[2].dataSync()[0], dLoss, dReal, dFake, ...(hasGradientPenalty(adv) ? { gp } : {}), conditionMs,
  };
  tf.dispose([gCost, ...terms, condP, gIn, x, cond, ...(realP ? [realP] : [])]);
  return out;
}
