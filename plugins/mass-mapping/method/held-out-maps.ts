import type * as tf from '@tensorflow/tfjs';
import type { Rng, Simulator } from '../../../core/index.js';
import type { ShearForwardModel } from '../components/shear-forward-model.js';
import { psnr, rmse } from '../metrics/map-metrics.js';
import type { ShearField } from '../numerics/index.js';
import { packCondition, type ConditionSpec } from './condition.js';
import { drawPosteriorSamples, posteriorMoments } from './posterior.js';

/**
 * A held-out set of `mass-mapping/rcgan`: true κ maps of one split, their observed shear with
 * fixed noise (stream `${split}-noise:i` of `rng`), and the network conditions scaled by the
 * current κ scale s (`refresh()` packs them again after s changed, e.g. on resume).
 */
export interface HeldOutMaps {
  truth: Float32Array[];
  shear: ShearField[];
  conds: Float32Array[];
  refresh(): void;
}

/** The first `count` maps (at most the data size) of `split`, observed through `forward`. */
export function heldOutMaps(data: Simulator, forward: ShearForwardModel, spec: ConditionSpec, split: string, count: number,
  rng: Rng, scale: () => number): HeldOutMaps {
  const n = data.imageShape[0];
  const k = Math.min(count, data.size);
  const truth = Array.from({ length: k }, (_, i) => data.sample(i, split).image);
  const shear = truth.map((t, i) => forward.observe(t, n, rng.derive(`${split}-noise:${i}`)));
  const set: HeldOutMaps = {
    truth, shear, conds: [],
    refresh() { set.conds = shear.map((g) => packCondition(g, n, spec, forward.mask(n), scale())); },
  };
  set.refresh();
  return set;
}

/** The generator's sizes as `drawPosteriorSamples` needs them. */
export interface SamplerShape { n: number; C: number; zc: number; sampleBatch: number }

/**
 * The rcGAN validation on `val`: `samples` posterior samples per map; the PSNR of one sample and
 * of their mean, and the RMSE of their mean, each averaged over the maps.
 */
export function validatePosterior(G: tf.LayersModel, val: HeldOutMaps, shape: SamplerShape, scale: number, samples: number, rng: Rng):
  { psnrSingle: number; psnrMean: number; rmseMean: number } {
  val.refresh();
  const drawn = drawPosteriorSamples(G, val.conds, shape.n, shape.C, shape.zc, samples, scale, rng, shape.sampleBatch).samples;
  let p1 = 0, pm = 0, rm = 0;
  drawn.forEach((s, i) => {
    const { mean } = posteriorMoments(s);
    p1 += psnr(val.truth[i], s[0]);
    pm += psnr(val.truth[i], mean);
    rm += rmse(val.truth[i], mean);
  });
  const k = drawn.length;
  return { psnrSingle: p1 / k, psnrMean: pm / k, rmseMean: rm / k };
}
