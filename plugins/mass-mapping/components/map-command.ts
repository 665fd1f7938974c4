import { resolve } from 'node:path';
import { ConsoleLogger, createRegistry, LensforgeError, TerminalProgress, type BackendRequest, type PluginCommand } from '../../../core/index.js';
import { parseShearColumns } from '../catalog/shear-catalog.js';
import { makeMassMap, type MapEstimator } from '../map/make-mass-map.js';

function num(flag: string, v: unknown, ok: (x: number) => boolean, expected: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !ok(x)) throw new LensforgeError(`${flag}: expected ${expected}, got "${String(v)}"`);
  return x;
}

function parseCenter(v: unknown): { ra: number; dec: number } | undefined {
  if (v === undefined) return undefined;
  const m = /^\s*([^,]+),([^,]+)\s*$/.exec(String(v));
  const ra = m ? Number(m[1]) : NaN, dec = m ? Number(m[2]) : NaN;
  if (!(Number.isFinite(ra) && Number.isFinite(dec) && Math.abs(dec) <= 90)) throw new LensforgeError(`--center: expected RA,DEC in degrees (e.g. --center 150.1,2.2), got "${String(v)}"`);
  return { ra, dec };
}

/**
 * `lensforge map [RUN_DIR] CATALOG --out kappa.fits [--estimator gan|ks|wf]`: a κ map from a shear
 * catalogue (see make-mass-map.ts). With one positional argument it is the catalogue (ks, wf);
 * with two, the first is a trained mass-mapping/rcgan run.
 */
export const mapCommand: PluginCommand = {
  name: 'map <run_dir_or_catalog> [catalog]',
  description: 'κ (convergence) map from a shear catalogue (CSV or FITS table: ra, dec, e1, e2[, weight]): lensforge map [RUN_DIR] CATALOG --out kappa.fits [--estimator gan|ks|wf]',
  options: [
    { flags: '--out <file>', description: 'output FITS (primary: κ estimate / posterior mean; extensions STD, SAMPLES (gan), MASK, NGAL, NOISE; TAN WCS)' },
    { flags: '--estimator <name>', description: 'ks (Kaiser-Squires), wf (Wiener filter) or gan (rcGAN posterior, needs RUN_DIR); default gan with RUN_DIR, else ks' },
    { flags: '--columns <spec>', description: 'catalogue columns, e.g. ra=RA,dec=DEC,e1=g1,e2=g2,weight=w (default ra, dec, e1, e2, no weight)' },
    { flags: '--center <ra,dec>', description: 'projection centre in degrees (default: the catalogue centre)' },
    { flags: '--size <n>', description: 'map side in pixels (without RUN_DIR; with one: the run\'s)' },
    { flags: '--pixel-scale <arcmin>', description: 'pixel side in arcmin (without RUN_DIR; with one: the run\'s forward model)' },
    { flags: '--shape-noise <sigma>', description: 'σ_e per component (default: measured from the catalogue e1/e2 scatter)' },
    { flags: '--flip-e2', description: 'multiply e2 by -1 (catalogues whose e2 is defined with RA increasing to the right)' },
    { flags: '--smooth <arcmin>', description: 'ks: Gaussian smoothing σ in arcmin (0 = none)', default: '2' },
    { flags: '--prior <file>', description: 'wf: .npy κ maps [M, n, n] whose mode power is the prior (default: the run\'s simulator, else data-driven E-minus-B power)' },
    { flags: '--samples <n>', description: 'gan: posterior samples', default: '32' },
    { flags: '--batch <n>', description: 'gan: generator batch', default: '16' },
    { flags: '--backend <name>', description: 'gan: auto | gpu | node | native | wasm | cpu (default auto)' },
    { flags: '--seed <n>', description: 'gan: seed of the latent draws', default: '0' },
    { flags: '--png <file>', description: 'PNG preview (default: beside the FITS, same name .png)' },
    { flags: '--no-png', description: 'no PNG preview' },
  ],
  async action(args, options, context) {
    const [runDir, catalog] = args.length >= 2 ? [args[0], args[1]] : [undefined, args[0]];
    const out = options.out;
    if (typeof out !== 'string' || !out) throw new LensforgeError('--out: missing; expected the output FITS path (e.g. --out kappa.fits)');
    const est = String(options.estimator ?? (runDir ? 'gan' : 'ks'));
    if (!['ks', 'wf', 'gan'].includes(est)) throw new LensforgeError(`--estimator: expected one of ks, wf, gan, got "${est}"`);
    const registry = context?.registry ?? await createRegistry();
    await makeMassMap({
      catalog, out: resolve(out), runDir, estimator: est as MapEstimator, registry,
      columns: parseShearColumns(options.columns as string | undefined),
      size: num('--size', options.size, (x) => Number.isInteger(x) && x >= 2, 'an integer >= 2 (pixels)'),
      pixelArcmin: num('--pixel-scale', options.pixelScale, (x) => Number.isFinite(x) && x > 0, 'a pixel side > 0 in arcmin'),
      center: parseCenter(options.center),
      shapeNoise: num('--shape-noise', options.shapeNoise, (x) => Number.isFinite(x) && x > 0, 'σ_e > 0'),
      flipE2: options.flipE2 === true,
      smoothArcmin: num('--smooth', options.smooth, (x) => Number.isFinite(x) && x >= 0, 'a smoothing σ >= 0 in arcmin') ?? 2,
      prior: options.prior as string | undefined,
      samples: num('--samples', options.samples, (x) => Number.isInteger(x) && x >= 2, 'an integer >= 2') ?? 32,
      batch: num('--batch', options.batch, (x) => Number.isInteger(x) && x >= 1, 'an integer >= 1') ?? 16,
      seed: num('--seed', options.seed, (x) => Number.isInteger(x) && x >= 0, 'an integer >= 0') ?? 0,
      backend: options.backend as BackendRequest | undefined,
      png: options.png === false ? false : typeof options.png === 'string' ? resolve(options.png) : undefined,
      logger: new ConsoleLogger(), progress: new TerminalProgress(),
    });
  },
};
