/**
 * Throughput of the lensing renderer on the LenSiam setup (Chang et al. 2023): 110 x 110 pixels at
 * 0.05"/pixel, EPL + SHEAR lens, elliptical Sersic source and lens light, Gaussian PSF
 * (FWHM 0.1", truncation 5 sigma), background + Poisson noise, normalised to max 1. Every image
 * draws fresh parameters from a seeded Rng (nothing is cached between images), as a simulator
 * would. Reports images per second of wall time, of process CPU time, and of the fastest batch
 * (a proxy for the uncontended speed on a shared machine), on one thread, for supersampling 1
 * and 3. lenstronomy 1.14.2 does ~140 images/s (ss=1) and ~16 (ss=3) per core.
 *
 * Run: `node dist/bench/lensing-render.bench.js` (prints JSON), or import `runLensingRenderBench`.
 */
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Rng } from '../core/tensor/rng.js';
import {
  EplProfile, Renderer, SersicProfile, ShearProfile, type Scene,
} from '../plugins/lensing/numerics.js';

/** Options of {@link runLensingRenderBench}. */
export interface LensingRenderBenchOptions {
  /** Seconds to measure per supersampling factor (default 2). */
  seconds?: number;
  /** Seed of the parameter and noise streams (default 1). */
  seed?: number;
}

/** Result of {@link runLensingRenderBench}. */
export interface LensingRenderBenchResult {
  imagesPerSecondSS1: number;
  imagesPerSecondSS3: number;
  /** Images per second of process CPU time (user + system), ss = 1 and 3. */
  imagesPerCpuSecondSS1: number;
  imagesPerCpuSecondSS3: number;
  /**
   * Images per second of the fastest batch (2 images at ss=1, 1 at ss=3): an estimate of the
   * uncontended speed when other processes share the machine.
   */
  imagesPerSecondBestBatchSS1: number;
  imagesPerSecondBestBatchSS3: number;
  /** 1-minute load average when the benchmark ended, and the number of CPUs. */
  loadAverage: number;
  cpus: number;
  /** Mean EPL series terms over the benchmark's lenses. */
  meanSeriesTerms: number;
  numPix: number;
  deltaPix: number;
  psfFwhm: number;
  node: string;
  lenstronomyReference: { imagesPerSecondSS1: number; imagesPerSecondSS3: number };
}

const NUM_PIX = 110;
const DELTA_PIX = 0.05;
const FWHM = 0.1;

/** Draws one random lens system (ranges typical of galaxy-scale lens simulations). */
function randomScene(rng: Rng): Scene {
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

function measure(ss: number, seconds: number, seed: number): { wall: number; cpu: number; best: number; terms: number } {
  const renderer = new Renderer({ numPix: NUM_PIX, deltaPix: DELTA_PIX, supersampling: ss, psf: { type: 'GAUSSIAN', fwhm: FWHM, truncation: 5 } });
  const root = Rng.fromSeed(seed);
  const params = root.derive(`params-ss${ss}`);
  const noiseRng = root.derive(`noise-ss${ss}`);
  const out = new Float32Array(NUM_PIX * NUM_PIX);
  const noise = { background_rms: 0.05, exposure_time: 1000 };
  let terms = 0, count = 0;
  const one = (): void => {
    const scene = randomScene(params);
    terms += (scene.lens[0] as EplProfile).seriesTerms;
    renderer.render(scene, { noise, rng: noiseRng, normalize: true, out });
    count++;
  };
  const warm = performance.now();
  while (performance.now() - warm < 300) one();
  terms = 0; count = 0;
  const batch = ss === 1 ? 2 : 1;
  let bestBatch = Infinity;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    const b0 = performance.now();
    for (let i = 0; i < batch; i++) one();
    bestBatch = Math.min(bestBatch, (performance.now() - b0) / batch);
  }
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  const cpu = (c.user + c.system) / 1e6;
  return { wall: count / wall, cpu: count / cpu, best: 1000 / bestBatch, terms: terms / count };
}

/** Measures images/s at supersampling 1 and 3; prints nothing. */
export async function runLensingRenderBench(options: LensingRenderBenchOptions = {}): Promise<LensingRenderBenchResult> {
  const seconds = options.seconds ?? 2;
  const seed = options.seed ?? 1;
  const r1 = measure(1, seconds, seed);
  const r3 = measure(3, seconds, seed);
  const round = (v: number): number => Math.round(v * 10) / 10;
  return {
    imagesPerSecondSS1: round(r1.wall),
    imagesPerSecondSS3: round(r3.wall),
    imagesPerCpuSecondSS1: round(r1.cpu),
    imagesPerCpuSecondSS3: round(r3.cpu),
    imagesPerSecondBestBatchSS1: round(r1.best),
    imagesPerSecondBestBatchSS3: round(r3.best),
    loadAverage: round(loadavg()[0]),
    cpus: cpus().length,
    meanSeriesTerms: round((r1.terms + r3.terms) / 2),
    numPix: NUM_PIX,
    deltaPix: DELTA_PIX,
    psfFwhm: FWHM,
    node: process.version,
    lenstronomyReference: { imagesPerSecondSS1: 140, imagesPerSecondSS3: 16 },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runLensingRenderBench().then((r) => console.log(JSON.stringify(r, null, 2))).catch((e) => { console.error(e); process.exit(1); });
}
