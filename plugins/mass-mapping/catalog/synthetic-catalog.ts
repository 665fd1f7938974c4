import { pixelToWorld, tanGrid, writeFileAtomic, writeFitsTable, type Rng, type TanWcs } from '../../../core/index.js';
import { kaiserSquiresForward } from '../numerics/index.js';
import type { ShearCatalog } from './shear-catalog.js';

/** A Gaussian halo of the synthetic κ map: centre (column, row) in pixels, peak κ, σ in pixels. */
export interface KappaBlob { x: number; y: number; amplitude: number; sigma: number }

/** n × n κ map (row-major, row = y) of Gaussian blobs on a periodic grid (each blob wraps around the edges). */
export function blobKappa(n: number, blobs: readonly KappaBlob[]): Float64Array {
  const k = new Float64Array(n * n);
  for (const b of blobs) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const dx = Math.min(Math.abs(j - b.x), n - Math.abs(j - b.x)), dy = Math.min(Math.abs(i - b.y), n - Math.abs(i - b.y));
      k[i * n + j] += b.amplitude * Math.exp(-(dx * dx + dy * dy) / (2 * b.sigma * b.sigma));
    }
  }
  return k;
}

export interface SyntheticCatalogOptions {
  /** True κ, n × n row-major on the grid `tanGrid(center, n, pixelArcmin)` (row 0 = lowest Dec, column 0 = highest RA). */
  kappa: ArrayLike<number>;
  n: number;
  pixelArcmin: number;
  center: { ra: number; dec: number };
  /** Galaxies per arcmin². */
  density: number;
  /** Intrinsic ellipticity dispersion per component. */
  sigmaE: number;
  rng: Rng;
}

/**
 * A shear catalogue drawn from a known κ map through the forward model: γ = Aκ on the periodic
 * grid (`kaiserSquiresForward`), galaxies at uniform positions over the grid (pixel coordinates
 * uniform in [−0.5, n − 0.5), mapped to (ra, dec) by the grid's TAN WCS), each with the shear of
 * the pixel it falls in plus Gaussian shape noise: e = γ + σ_e N(0, 1) per component, weight 1.
 * e1/e2 follow the convention of `binShearCatalog` (γ in the displayed frame, east left).
 */
export function syntheticShearCatalog(o: SyntheticCatalogOptions): { catalog: ShearCatalog; wcs: TanWcs; gamma1: Float64Array; gamma2: Float64Array } {
  const { n } = o;
  const wcs = tanGrid(o.center.ra, o.center.dec, n, o.pixelArcmin);
  const { gamma1, gamma2 } = kaiserSquiresForward(Float64Array.from(o.kappa), n);
  const count = Math.round(o.density * (n * o.pixelArcmin) ** 2);
  const cat: ShearCatalog = { file: '(synthetic)', count, columns: { ra: 'ra', dec: 'dec', e1: 'e1', e2: 'e2' },
    ra: new Float64Array(count), dec: new Float64Array(count), e1: new Float64Array(count), e2: new Float64Array(count), weight: new Float64Array(count).fill(1) };
  for (let g = 0; g < count; g++) {
    const x = o.rng.uniform() * n - 0.5, y = o.rng.uniform() * n - 0.5;
    const j = Math.min(n - 1, Math.max(0, Math.round(x))), i = Math.min(n - 1, Math.max(0, Math.round(y)));
    const w = pixelToWorld(wcs, x, y);
    cat.ra[g] = w.ra; cat.dec[g] = w.dec;
    cat.e1[g] = gamma1[i * n + j] + o.sigmaE * o.rng.normal();
    cat.e2[g] = gamma2[i * n + j] + o.sigmaE * o.rng.normal();
  }
  return { catalog: cat, wcs, gamma1, gamma2 };
}

/** Write a catalogue as CSV (columns ra, dec, e1, e2, weight; 10 significant digits for positions), atomically. */
export function writeShearCatalogCsv(path: string, c: ShearCatalog): void {
  const lines = ['ra,dec,e1,e2,weight'];
  for (let g = 0; g < c.count; g++) lines.push(`${c.ra[g].toPrecision(12)},${c.dec[g].toPrecision(12)},${c.e1[g].toPrecision(8)},${c.e2[g].toPrecision(8)},${c.weight[g]}`);
  writeFileAtomic(path, lines.join('\n') + '\n');
}

/** Write a catalogue as a FITS binary table with columns named by `names` (default RA, DEC, E1, E2, WEIGHT), atomically. */
export function writeShearCatalogFits(path: string, c: ShearCatalog, names = { ra: 'RA', dec: 'DEC', e1: 'E1', e2: 'E2', weight: 'WEIGHT' }): void {
  writeFitsTable(path, [
    { name: names.ra, values: c.ra }, { name: names.dec, values: c.dec }, { name: names.e1, values: c.e1 }, { name: names.e2, values: c.e2 }, { name: names.weight, values: c.weight },
  ]);
}
