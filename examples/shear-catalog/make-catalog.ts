/**
 * A synthetic shear catalogue from a known κ map, for trying `lensforge map`:
 *   node dist/examples/shear-catalog/make-catalog.js --out runs/shear-catalog [--size 64] [--pixel-scale 0.7]
 *        [--density 30] [--sigma-e 0.37] [--center 150.1,2.2] [--halos 6] [--seed 1]
 * writes OUT/catalog.csv (ra, dec, e1, e2, weight), OUT/catalog.fits (the same as a FITS binary
 * table, columns RA, DEC, E1, E2, WEIGHT) and OUT/truth.fits (the true κ with its TAN WCS).
 * κ: Gaussian halos (peak κ 0.05-0.25, σ 1.5-4 pixels) at random places; shear by the
 * mass-mapping forward model; uniform galaxy positions; e = γ + shape noise.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng, tanWcsCards, writeFitsImageHdus } from '../../core/index.js';
import { blobKappa, syntheticShearCatalog, writeShearCatalogCsv, writeShearCatalogFits } from '../../plugins/mass-mapping/index.js';

const { values: a } = parseArgs({
  options: {
    out: { type: 'string' }, size: { type: 'string', default: '64' }, 'pixel-scale': { type: 'string', default: '0.7' },
    density: { type: 'string', default: '30' }, 'sigma-e': { type: 'string', default: '0.37' }, center: { type: 'string', default: '150.1,2.2' },
    halos: { type: 'string', default: '6' }, seed: { type: 'string', default: '1' },
  },
});
if (!a.out) { console.error('make-catalog: --out DIR is required'); process.exit(2); }
const n = Number(a.size), pixelArcmin = Number(a['pixel-scale']);
const [ra, dec] = String(a.center).split(',').map(Number);
const rng = Rng.fromSeed(Number(a.seed));
const halos = Array.from({ length: Number(a.halos) }, () => ({ x: rng.uniform(0, n), y: rng.uniform(0, n), amplitude: rng.uniform(0.05, 0.25), sigma: rng.uniform(1.5, 4) }));
const kappa = blobKappa(n, halos);
const { catalog, wcs } = syntheticShearCatalog({ kappa, n, pixelArcmin, center: { ra, dec }, density: Number(a.density), sigmaE: Number(a['sigma-e']), rng: rng.derive('catalog') });
writeShearCatalogCsv(join(a.out, 'catalog.csv'), catalog);
writeShearCatalogFits(join(a.out, 'catalog.fits'), catalog);
writeFitsImageHdus(join(a.out, 'truth.fits'), [{ name: 'KAPPA', data: Float32Array.from(kappa), shape: [n, n], header: { ...tanWcsCards(wcs), BUNIT: 'convergence' } }]);
console.log(`wrote ${catalog.count} galaxies to ${join(a.out, 'catalog.csv')} and ${join(a.out, 'catalog.fits')}, true κ (${n}x${n}, ${pixelArcmin}' pixels) to ${join(a.out, 'truth.fits')}`);
