/**
 * The renderer benchmarks' scene: the LenSiam scene, 110 x 110 at 0.05", EPL + SHEAR, elliptical
 * Sersic source and lens light, Gaussian PSF FWHM 0.1"; the same parameter ranges as `draw` in
 * bench/lenstronomy_render.py, so both codes render the same distribution.
 */
import type { Rng } from '../core/tensor/rng.js';
import { EplProfile, SersicProfile, ShearProfile, type Scene } from '../plugins/lensing/numerics.js';

export const NUM_PIX = 110;
export const DELTA_PIX = 0.05;
export const FWHM = 0.1;

/** One random lens system of the benchmark distribution. */
export function benchScene(rng: Rng): Scene {
  const lx = rng.uniform(-0.05, 0.05), ly = rng.uniform(-0.05, 0.05);
  return {
    lens: [
      new EplProfile({
        theta_E: rng.uniform(0.8, 1.6), gamma: rng.uniform(1.8, 2.2),
        e1: rng.uniform(-0.2, 0.2), e2: rng.uniform(-0.2, 0.2), center_x: lx, center_y: ly,
      }),
      new ShearProfile({ gamma1: rng.uniform(-0.05, 0.05), gamma2: rng.uniform(-0.05, 0.05), ra_0: 0, dec_0: 0 }),
    ],
    source: [new SersicProfile({
      amp: rng.uniform(10, 30), R_sersic: rng.uniform(0.1, 0.4), n_sersic: rng.uniform(0.8, 3),
      e1: rng.uniform(-0.3, 0.3), e2: rng.uniform(-0.3, 0.3), center_x: rng.uniform(-0.2, 0.2), center_y: rng.uniform(-0.2, 0.2),
    })],
    lensLight: [new SersicProfile({
      amp: rng.uniform(2, 8), R_sersic: rng.uniform(0.5, 1.2), n_sersic: rng.uniform(2, 5),
      e1: rng.uniform(-0.2, 0.2), e2: rng.uniform(-0.2, 0.2), center_x: lx, center_y: ly,
    })],
  };
}
