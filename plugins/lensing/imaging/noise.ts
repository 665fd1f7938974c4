/**
 * Image noise in lenstronomy's convention (`simulation_util.simulate_simple`): each pixel gets
 * N(0, background_rms^2) + N(0, |image| / exposure_time), a Gaussian approximation of Poisson
 * noise for images in counts/s. The two independent Gaussians are drawn as ONE Gaussian with
 * the summed variance background_rms^2 + |image|/exposure_time, which has exactly the same
 * distribution and halves the number of deviates.
 */
import type { Rng } from '../../../core/index.js';
import { ZigguratNormal } from './ziggurat-normal.js';

/** Noise settings (lenstronomy names). */
export interface NoiseSpec {
  /** Background noise standard deviation per pixel [image units], >= 0. */
  background_rms: number;
  /** Exposure time [s]; `null` or Infinity disables the Poisson term. */
  exposure_time: number | null;
}

/**
 * Adds noise to `image` in place and returns it.
 * @param image pixel values (counts/s per pixel)
 * @param noise background_rms and exposure_time
 * @param normal a standard-normal source (a `ZigguratNormal` uses its inlined bulk path)
 */
export function addNoiseInPlace(
  image: Float64Array | Float32Array, noise: NoiseSpec, normal: ZigguratNormal | { next(): number },
): Float64Array | Float32Array {
  const bg2 = noise.background_rms * noise.background_rms;
  const et = noise.exposure_time;
  const invT = et === null || et === Infinity ? 0 : 1 / et;
  if (normal instanceof ZigguratNormal) {
    normal.addScaled(image, image, image.length, bg2, invT);
    return image;
  }
  for (let i = 0; i < image.length; i++) {
    const v = image[i];
    image[i] = v + Math.sqrt(bg2 + (v < 0 ? -v : v) * invT) * normal.next();
  }
  return image;
}

/** Convenience: adds noise drawn from `rng` (through a ziggurat normal sampler). */
export function addNoise(image: Float64Array | Float32Array, noise: NoiseSpec, rng: Rng): Float64Array | Float32Array {
  return addNoiseInPlace(image, noise, new ZigguratNormal(rng));
}
