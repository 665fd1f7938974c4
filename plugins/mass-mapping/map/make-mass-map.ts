import { dirname, join, basename } from 'node:path';
import {
  LensforgeError, Rng, selectBackend, SilentProgress, type BackendRequest, type Logger, type ProgressReporter, type Registry,
} from '../../../core/index.js';
import { kaiserSquiresEstimate } from '../baseline/kaiser-squires-baseline.js';
import { kappaModePower, wienerFilterEstimate } from '../baseline/wiener-filter.js';
import { binShearCatalog, type BinnedShear } from '../catalog/bin-shear.js';
import { readShearCatalog, type ShearColumns } from '../catalog/shear-catalog.js';
import { packCondition } from '../method/condition.js';
import { drawPosteriorSamples, posteriorMoments } from '../method/posterior.js';
import { writeMassMapFits, writeMassMapPng, type MassMapProducts } from './mass-map-output.js';
import { openRcganRun, type RcganRun } from './rcgan-run.js';
import { dataDrivenPrior, priorFromNpy } from './wiener-prior.js';

export type MapEstimator = 'ks' | 'wf' | 'gan';

export interface MassMapOptions {
  catalog: string;
  out: string;
  /** Trained mass-mapping/rcgan run: its grid (size, pixel scale), generator (gan) and simulator (wf prior). */
  runDir?: string;
  estimator: MapEstimator;
  columns: ShearColumns;
  /** Grid without a run (ks, wf). */
  size?: number;
  pixelArcmin?: number;
  center?: { ra: number; dec: number };
  shapeNoise?: number;
  flipE2?: boolean;
  /** ks: Gaussian smoothing σ in arcmin (0 = none). */
  smoothArcmin: number;
  /** wf: κ maps (.npy) whose mode power is the prior. */
  prior?: string;
  /** gan: posterior samples. */
  samples: number;
  /** gan: generator batch. */
  batch: number;
  seed: number;
  /** gan: tfjs backend request (default auto; LENSFORGE_BACKEND overrides). */
  backend?: BackendRequest;
  /** PNG preview path; default beside the FITS (same name, .png); false = none. */
  png?: string | false;
  registry: Registry;
  logger: Logger;
  progress?: ProgressReporter;
}

export interface MassMapResult extends MassMapProducts { binned: BinnedShear; fits: string; png?: string }

/** Maps of the run's simulator whose mean mode power is the Wiener prior with a RUN_DIR. */
const PRIOR_MAPS = 256;

/**
 * `lensforge map`: read a shear catalogue, bin it on a TAN grid (the run's size and pixel scale,
 * or --size/--pixel-scale), estimate κ with Kaiser-Squires (ks), the Wiener filter (wf) or the
 * trained rcGAN generator's posterior (gan), and write the FITS (+ PNG).
 */
export async function makeMassMap(o: MassMapOptions): Promise<MassMapResult> {
  const log = o.logger;
  if (o.estimator === 'gan' && !o.runDir) throw new LensforgeError('--estimator gan: needs RUN_DIR, a trained mass-mapping/rcgan run (lensforge map RUN_DIR CATALOG --out kappa.fits --estimator gan)');
  let run: RcganRun | undefined;
  try {
    if (o.estimator === 'gan') {
      const sel = await selectBackend(o.backend ?? 'auto', { log: (m) => log.debug(m) });
      log.info(`map: tfjs backend ${sel.name} (${sel.kind})`);
    }
    if (o.runDir) run = await openRcganRun(o.runDir, o.registry);
    const n = run?.n ?? o.size;
    const pixelArcmin = run?.pixelArcmin ?? o.pixelArcmin;
    if (run && o.size !== undefined && o.size !== run.n) throw new LensforgeError(`--size ${o.size}: the run ${o.runDir} was trained on ${run.n}x${run.n} maps; omit --size with a RUN_DIR`);
    if (run && o.pixelArcmin !== undefined && o.pixelArcmin !== run.pixelArcmin) throw new LensforgeError(`--pixel-scale ${o.pixelArcmin}: the run ${o.runDir} was trained on ${run.pixelArcmin}' pixels; omit --pixel-scale with a RUN_DIR`);
    if (n === undefined || pixelArcmin === undefined) throw new LensforgeError(`--size and --pixel-scale: required without RUN_DIR (the grid: map side in pixels and pixel side in arcmin, e.g. --size 64 --pixel-scale 1)`);

    const cat = readShearCatalog(o.catalog, o.columns);
    const b = binShearCatalog(cat, { n, pixelArcmin, center: o.center, shapeNoise: o.shapeNoise, flipE2: o.flipE2 });
    log.info(`map: ${cat.count} galaxies from ${o.catalog}; ${b.used} binned on ${n}x${n} pixels of ${pixelArcmin}' (TAN about RA ${b.wcs.crval[0].toFixed(5)}, Dec ${b.wcs.crval[1].toFixed(5)}; RA increases to the left), ${b.outside} outside the grid`);
    log.info(`map: shape noise σ_e = ${b.shapeNoise.toPrecision(4)} per component (${b.shapeNoiseMeasured ? 'measured from the catalogue e1/e2 scatter' : '--shape-noise'}); ` +
      `${b.masked} of ${n * n} pixels empty (masked: zero shear, infinite noise)`);
    const obs = Array.from(b.sigma).filter(Number.isFinite);
    const sigmaEff = Math.sqrt(obs.reduce((a, s) => a + s * s, 0) / obs.length);
    log.info(`map: per-pixel noise σ: median ${median(obs).toPrecision(3)}, rms ${sigmaEff.toPrecision(3)} over observed pixels`);

    let products: MassMapProducts;
    if (o.estimator === 'ks') {
      const sigmaPix = o.smoothArcmin / pixelArcmin;
      products = { estimator: 'ks', kappa: kaiserSquiresEstimate(b.shear, n, sigmaPix), cards: { SMOOTHAM: o.smoothArcmin } };
      log.info(`map: Kaiser-Squires E mode, Gaussian smoothing σ = ${o.smoothArcmin}' (${sigmaPix.toPrecision(3)} pixels, periodic)`);
    } else if (o.estimator === 'wf') {
      let power: Float64Array, what: string;
      if (o.prior) { power = priorFromNpy(o.prior, n); what = `mode power of the κ maps in ${o.prior}`; }
      else if (run) {
        const sim = run.simulator();
        const m = Math.min(PRIOR_MAPS, sim.size);
        power = kappaModePower(Array.from({ length: m }, (_, i) => sim.sample(i, 'train').image), n);
        what = `mode power of ${m} training maps of the run's simulator`;
      } else { power = dataDrivenPrior(b.shear, n); what = 'data-driven: ring-averaged E-mode minus B-mode power of the binned shear'; }
      products = { estimator: 'wf', kappa: wienerFilterEstimate(b.shear, n, power, sigmaEff), cards: { WFPRIOR: o.prior ? 'npy' : run ? 'run' : 'data-e-minus-b', WFSIGMA: sigmaEff } };
      log.info(`map: Wiener filter, prior S(k) = ${what}; homogeneous noise σ = ${sigmaEff.toPrecision(3)} (rms of the observed pixels)`);
    } else {
      const r = run as RcganRun;
      const ratio = median(obs) / r.trainSigma;
      if (ratio < 0.5 || ratio > 2) log.warn(`map: the catalogue's median per-pixel noise ${median(obs).toPrecision(3)} is ${ratio.toPrecision(2)}x the training noise σ = ${r.trainSigma.toPrecision(3)} of ${o.runDir}; the posterior is calibrated for the training noise`);
      if (b.masked > 0 && !r.masked) log.warn(`map: ${b.masked} empty pixels enter the generator as zero shear: the run was trained without a mask channel`);
      const cond = packCondition(b.shear, n, r.spec, r.masked ? b.mask : undefined, r.scale);
      const C = r.generator.inputShape[2] - r.latentChannels;
      const rng = Rng.fromSeed(o.seed).derive('map-posterior');
      const task = (o.progress ?? new SilentProgress()).start('posterior samples', o.samples);
      const samples: Float32Array[] = [];
      try {
        for (let k = 0; k < o.samples; k += o.batch) {
          const count = Math.min(o.batch, o.samples - k);
          const s = drawPosteriorSamples(r.generator.model, [cond], n, C, r.latentChannels, count, r.scale, rng.derive(`batch:${k}`), count);
          samples.push(...s.samples[0]);
          task.tick(count);
        }
      } finally { task.stop(); }
      const { mean, std } = posteriorMoments(samples);
      products = { estimator: 'gan', kappa: mean, std, samples, cards: { NSAMPLES: o.samples, KSCALE: r.scale } };
      log.info(`map: rcGAN posterior from ${o.runDir}: ${o.samples} samples, mean and std per pixel (mean std ${(std.reduce((a, v) => a + v, 0) / std.length).toPrecision(3)})`);
    }
    writeMassMapFits(o.out, b, products);
    const png = o.png === false ? undefined : o.png ?? join(dirname(o.out), basename(o.out).replace(/\.fits?$/i, '') + '.png');
    if (png) writeMassMapPng(png, b, products);
    log.info(`map: wrote ${o.out} (HDUs: KAPPA${products.std ? ', STD, SAMPLES' : ''}, MASK, NGAL, NOISE)${png ? ` and ${png}` : ''}`);
    return { ...products, binned: b, fits: o.out, png };
  } finally {
    run?.dispose();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
