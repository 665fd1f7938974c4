import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';
import { generatorInput } from '../nets/conditional-generator.js';

/**
 * Draw `count` posterior samples x̂ = s·G(z, γ/s) for each conditioning shear map (rcGAN
 * posterior sampling; Whitney et al. 2024, slide "Reconstructions": "call the GAN many times to
 * generate many posterior samples"). The generator runs in inference mode, in batches of
 * `batch` (map, sample) pairs with fresh latents z from `rng`.
 * @param G the generator, input [B, n, n, C + latentChannels], output [B, n, n, 1] (scaled units)
 * @param conds one scaled condition per map, n·n·C values each (channels last)
 * @param n map side
 * @param channels C
 * @param latentChannels channels of z
 * @param count samples per map (N)
 * @param scale s: multiplies the generator output back to κ units
 * @param rng latent stream (one tfjs seed per batch)
 * @param batch generator batch size
 * @returns samples[map][k] (float32, κ units) and the wall time of the generator calls in seconds
 */
export function drawPosteriorSamples(G: tf.LayersModel, conds: Float32Array[], n: number, channels: number, latentChannels: number,
  count: number, scale: number, rng: Rng, batch: number): { samples: Float32Array[][]; seconds: number } {
  const per = n * n * channels, px = n * n;
  const jobs: Array<[number, number]> = [];
  conds.forEach((c, m) => {
    if (c.length !== per) throw new Error(`conds[${m}]: expected ${per} values (${n}x${n}x${channels}), got ${c.length}`);
    for (let k = 0; k < count; k++) jobs.push([m, k]);
  });
  const samples: Float32Array[][] = conds.map(() => new Array<Float32Array>(count));
  let seconds = 0;
  for (let s = 0; s < jobs.length; s += batch) {
    const part = jobs.slice(s, s + batch);
    const buf = new Float32Array(part.length * per);
    part.forEach(([m], i) => buf.set(conds[m], i * per));
    const seed = rng.tfSeed();
    const t0 = performance.now();
    const out = tf.tidy(() => {
      const cond = tf.tensor4d(buf, [part.length, n, n, channels]);
      return G.apply(generatorInput(cond, latentChannels, seed), { training: false }) as tf.Tensor;
    });
    const vals = out.dataSync() as Float32Array;
    seconds += (performance.now() - t0) / 1000;
    out.dispose();
    part.forEach(([m, k], i) => { samples[m][k] = Float32Array.from(vals.subarray(i * px, (i + 1) * px), (v) => v * scale); });
  }
  return { samples, seconds };
}

/**
 * Pixel-wise posterior mean and standard deviation of the first `k` samples (default all);
 * std uses the unbiased 1/(k−1) normalisation (0 when k = 1).
 */
export function posteriorMoments(samples: Float32Array[], k = samples.length): { mean: Float32Array; std: Float32Array } {
  if (!Number.isInteger(k) || k < 1 || k > samples.length) throw new Error(`k: expected an integer in [1, ${samples.length}], got ${k}`);
  const px = samples[0].length;
  const mean = new Float32Array(px), std = new Float32Array(px);
  for (let i = 0; i < px; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += samples[j][i];
    const m = s / k;
    let v = 0;
    for (let j = 0; j < k; j++) v += (samples[j][i] - m) ** 2;
    mean[i] = m;
    std[i] = k > 1 ? Math.sqrt(v / (k - 1)) : 0;
  }
  return { mean, std };
}
