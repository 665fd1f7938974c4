import { LensforgeError, skyCentre, tanGrid, worldToPixel, type TanWcs } from '../../../core/index.js';
import type { ShearField } from '../numerics/index.js';
import type { ShearCatalog } from './shear-catalog.js';

/** Where and how to bin. */
export interface BinGrid {
  /** Map side in pixels. */
  n: number;
  pixelArcmin: number;
  /** Projection centre (degrees); default the catalogue centre (normalised mean unit vector). */
  center?: { ra: number; dec: number };
  /**
   * Intrinsic ellipticity dispersion per component; default measured from the catalogue as
   * the weighted rms of e1 and e2, sqrt(Σw(e1² + e2²) / 2Σw) (includes the small shear signal).
   */
  shapeNoise?: number;
  /** Multiply e2 by −1 (catalogues whose e2 is defined with RA increasing to the right, see {@link binShearCatalog}). */
  flipE2?: boolean;
}

/** A catalogue binned on a TAN grid. Arrays are n × n row-major, row 0 at the lowest Dec, column 0 at the highest RA. */
export interface BinnedShear {
  n: number;
  pixelArcmin: number;
  wcs: TanWcs;
  /** Weighted mean shear per pixel (0 in empty pixels). */
  shear: ShearField;
  /** Galaxies per pixel. */
  ngal: Float32Array;
  /** Effective number per pixel, (Σw)² / Σw² (0 in empty pixels). */
  nEff: Float64Array;
  /** Per-pixel noise σ = σ_e / sqrt(n_eff) of each component (Infinity in empty pixels). */
  sigma: Float64Array;
  /** 1 = observed (at least one galaxy of positive weight), 0 = empty. */
  mask: Uint8Array;
  /** σ_e used, and whether it was measured from the catalogue. */
  shapeNoise: number;
  shapeNoiseMeasured: boolean;
  /** Galaxies binned, and those outside the grid (or with weight 0). */
  used: number;
  outside: number;
  /** Empty pixels. */
  masked: number;
}

/**
 * Bin a shear catalogue (lenspack `bin2d`-style weighted means, with the layout of a FITS image)
 * on an n × n gnomonic grid of `pixelArcmin` pixels about the catalogue centre (or `center`):
 * galaxy (ra, dec) → standard coordinates (ξ east, η north) → pixel
 * (column = CRPIX1 − 1 + ξ/CDELT1, row = CRPIX2 − 1 + η/CDELT2, rounded to the nearest pixel
 * centre) with CDELT1 < 0: RA increases to the LEFT (east left, north up). Per pixel:
 * γ = Σ w e / Σ w, n_eff = (Σw)²/Σw², σ = σ_e / sqrt(n_eff); empty pixels have γ = 0, σ = ∞
 * and mask 0.
 *
 * Sign convention: the pixel grid's axes are x = column (towards west, decreasing RA) and
 * y = row (north), the frame of our forward model (`kaiserSquiresForward`: k1 along columns, k2
 * along rows) and of lenstronomy's (x, y) with x to the right. The catalogue's e1/e2 are taken as
 * γ1/γ2 in that displayed frame (east left, north up): γ1 = e1, γ2 = e2. lenspack's `bin2d` puts
 * its x (increasing with RA from `radec2xy`) along the columns, i.e. RA increasing to the right,
 * the mirror image, which flips the sign of γ2: this is why lenspack pipelines call
 * `ks93(e1map, -e2map)` for such catalogues. A catalogue whose e2 is defined in the RA-to-the-
 * right frame needs `flipE2`.
 */
export function binShearCatalog(cat: ShearCatalog, grid: BinGrid): BinnedShear {
  const { n, pixelArcmin } = grid;
  const c = grid.center ?? skyCentre(cat.ra, cat.dec);
  const wcs = tanGrid(c.ra, c.dec, n, pixelArcmin);
  const e2s = grid.flipE2 ? -1 : 1;
  const sw = new Float64Array(n * n), sww = new Float64Array(n * n), s1 = new Float64Array(n * n), s2 = new Float64Array(n * n);
  const ngal = new Float32Array(n * n);
  let used = 0, tw = 0, te = 0;
  for (let g = 0; g < cat.count; g++) {
    const w = cat.weight[g];
    tw += w; te += w * (cat.e1[g] ** 2 + cat.e2[g] ** 2);
    if (!(w > 0)) continue;
    const p = worldToPixel(wcs, cat.ra[g], cat.dec[g]);
    if (!p) continue;
    const j = Math.round(p.x), i = Math.round(p.y);
    if (j < 0 || j >= n || i < 0 || i >= n) continue;
    const o = i * n + j;
    sw[o] += w; sww[o] += w * w; s1[o] += w * cat.e1[g]; s2[o] += w * e2s * cat.e2[g];
    ngal[o]++;
    used++;
  }
  const measured = tw > 0 ? Math.sqrt(te / (2 * tw)) : NaN;
  const shapeNoise = grid.shapeNoise ?? measured;
  if (!(Number.isFinite(shapeNoise) && shapeNoise > 0)) {
    throw new LensforgeError(`--shape-noise: expected σ_e > 0, got ${shapeNoise}${grid.shapeNoise === undefined ? ` (measured from the e1/e2 scatter of ${cat.file}: the weights sum to ${tw})` : ''}`);
  }
  const gamma1 = new Float64Array(n * n), gamma2 = new Float64Array(n * n), nEff = new Float64Array(n * n);
  const sigma = new Float64Array(n * n).fill(Infinity), mask = new Uint8Array(n * n);
  let masked = 0;
  for (let o = 0; o < n * n; o++) {
    if (!(sw[o] > 0)) { masked++; continue; }
    gamma1[o] = s1[o] / sw[o]; gamma2[o] = s2[o] / sw[o];
    nEff[o] = (sw[o] * sw[o]) / sww[o];
    sigma[o] = shapeNoise / Math.sqrt(nEff[o]);
    mask[o] = 1;
  }
  if (used === 0) {
    throw new LensforgeError(`catalogue ${cat.file}: none of its ${cat.count} galaxies falls on the ${n}x${n} grid of ${pixelArcmin}' pixels centred on ` +
      `RA ${wcs.crval[0].toFixed(5)}, Dec ${wcs.crval[1].toFixed(5)} (all ${n * n} pixels would be masked); check --center, --size and --pixel-scale`);
  }
  return { n, pixelArcmin, wcs, shear: { gamma1, gamma2 }, ngal, nEff, sigma, mask, shapeNoise, shapeNoiseMeasured: grid.shapeNoise === undefined, used, outside: cat.count - used, masked };
}
