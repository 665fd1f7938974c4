import { tanWcsCards, writeFitsImageHdus, writeImageGridPng, type FitsImageHdu, type FitsValue } from '../../../core/index.js';
import type { BinnedShear } from '../catalog/bin-shear.js';

/** What `lensforge map` computed. */
export interface MassMapProducts {
  estimator: 'ks' | 'wf' | 'gan';
  /** The estimate (gan: the posterior mean), n × n. */
  kappa: Float32Array;
  /** gan: posterior std per pixel. */
  std?: Float32Array;
  /** gan: the posterior samples. */
  samples?: Float32Array[];
  /** Extra primary-header cards (estimator settings). */
  cards?: Record<string, FitsValue>;
}

/**
 * Write the map as FITS (atomically): primary HDU = the estimate (gan: posterior mean), then
 * extensions STD and SAMPLES ([N, n, n] cube) for gan, MASK (1 = observed, 0 = empty pixel),
 * NGAL (galaxies per pixel) and NOISE (per-pixel shear noise σ, +Inf where empty). Every HDU
 * carries the same TAN WCS (a cube's third axis is the sample index, without WCS).
 */
export function writeMassMapFits(path: string, b: BinnedShear, p: MassMapProducts): void {
  const n = b.n, wcs = tanWcsCards(b.wcs);
  const hdr = (extra: Record<string, FitsValue>): Record<string, FitsValue> => ({ ...wcs, ...extra });
  const hdus: FitsImageHdu[] = [{
    name: 'KAPPA', data: p.kappa, shape: [n, n],
    header: hdr({ BUNIT: 'convergence', ESTIMATR: p.estimator, NGALUSED: b.used, NGALOUT: b.outside, NMASKED: b.masked, SIGMAE: b.shapeNoise, PIXARCM: b.pixelArcmin, ...(p.cards ?? {}) }),
  }];
  if (p.std) hdus.push({ name: 'STD', data: p.std, shape: [n, n], header: hdr({ BUNIT: 'convergence', CONTENT: 'posterior std per pixel' }) });
  if (p.samples) {
    const cube = new Float32Array(p.samples.length * n * n);
    p.samples.forEach((s, k) => cube.set(s, k * n * n));
    hdus.push({ name: 'SAMPLES', data: cube, shape: [p.samples.length, n, n], header: hdr({ BUNIT: 'convergence', CONTENT: 'posterior samples (axis 3 = sample)' }) });
  }
  hdus.push({ name: 'MASK', data: Float32Array.from(b.mask), shape: [n, n], header: hdr({ CONTENT: '1 = observed, 0 = empty pixel (masked)' }) });
  hdus.push({ name: 'NGAL', data: b.ngal, shape: [n, n], header: hdr({ BUNIT: 'galaxies', CONTENT: 'galaxies per pixel' }) });
  hdus.push({ name: 'NOISE', data: Float32Array.from(b.sigma), shape: [n, n], header: hdr({ CONTENT: 'shear noise sigma per component (Inf = empty)' }) });
  writeFitsImageHdus(path, hdus);
}

/**
 * A PNG preview (atomic): the estimate (gan: mean, then std), viridis, north up and east left
 * (row 0, the lowest Dec, at the bottom; column 0, the highest RA, at the left), as the FITS shows in ds9.
 */
export function writeMassMapPng(path: string, b: BinnedShear, p: MassMapProducts): void {
  const tiles = p.std ? [p.kappa, p.std] : [p.kappa];
  const scale = Math.max(1, Math.round(256 / b.n));
  writeImageGridPng(path, tiles, b.n, b.n, { cols: tiles.length, scale, gap: 4, colormap: 'viridis', originLower: true });
}
