/**
 * Throughput of the lensing renderer on the LenSiam setup (Chang et al. 2023): 110 x 110 pixels at
 * 0.05"/pixel, EPL + SHEAR lens, elliptical Sersic source and lens light, Gaussian PSF
 * (FWHM 0.1", truncation 5 sigma), background + Poisson noise, normalised to max 1. Every image
 * draws fresh parameters from a seeded Rng (nothing is cached between images), as a simulator
 * would. Everything runs on one thread.
 *
 * Measured, for supersampling 1 and 3:
 * - `ours`: `Renderer.render` on that scene distribution (images per second of wall time);
 * - `lenstronomy`: when `LENSTRONOMY_PATH` points at a lenstronomy checkout, the same scene
 *   distribution rendered by lenstronomy's ImageModel (`bench/lenstronomy_render.py`, run with
 *   OMP/OPENBLAS/MKL_NUM_THREADS=1 by `LENSTRONOMY_PYTHON`, default /usr/bin/python3). Ours and
 *   lenstronomy's rounds alternate (`rounds` of each, default 3) so that the load of a shared
 *   machine falls on both; the ratio is median(ours) / median(lenstronomy);
 * - `simulator`: the full `lensing/strong-lens` `sample(i)` (lens and nuisance draws, procedural
 *   / analytic sources, PSF choice, noise, normalisation) at the same geometry, its ratio to the
 *   bare render, and `population.render` alone on pre-drawn scenes of the simulator.
 *
 * Run: `LENSTRONOMY_PATH=/path/to/lenstronomy node dist/bench/lensing-render.bench.js` (prints
 * JSON and writes bench-results/render.json), or import `runLensingRenderBench`.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ComponentFactory, Registry, writeJsonAtomic } from '../core/index.js';
import { Rng } from '../core/tensor/rng.js';
import { benchScene, DELTA_PIX, FWHM, NUM_PIX } from './render-bench-scene.js';
import { EplProfile, Renderer, type Scene } from '../plugins/lensing/numerics.js';
import { lensingPlugin, type LensScene, type StrongLensSimulator } from '../plugins/lensing/index.js';

/** Options of {@link runLensingRenderBench}. */
export interface LensingRenderBenchOptions {
  /** Seconds to measure per round and supersampling factor (default 2). */
  seconds?: number;
  /** Rounds of ours and of lenstronomy's, alternating (default 3). */
  rounds?: number;
  /** Seed of the parameter and noise streams (default 1). */
  seed?: number;
  /** lenstronomy checkout (default: env LENSTRONOMY_PATH; none: no reference). */
  lenstronomyPath?: string;
  /** Python interpreter for the reference (default: env LENSTRONOMY_PYTHON or /usr/bin/python3). */
  python?: string;
}

/** One supersampling factor's figures. */
export interface RenderRateResult {
  supersampling: number;
  /** Our images/s, one per round, and their median. */
  oursRounds: number[];
  ours: number;
  /** lenstronomy's images/s per round and median; null without a reference. */
  lenstronomyRounds: number[] | null;
  lenstronomy: number | null;
  /** median(ours) / median(lenstronomy); null without a reference. */
  ratio: number | null;
  /** ours / lenstronomy of each round (measured back to back). */
  roundRatios: number[] | null;
  /**
   * The same per second of each process's own CPU time (less sensitive to other processes on a
   * loaded machine than wall time): medians of rounds and their ratio.
   */
  oursCpu: number;
  lenstronomyCpu: number | null;
  ratioCpu: number | null;
  /** Full simulator sample(i) per second (median of rounds) and bare render / sample time. */
  simulatorSamples: number;
  simulatorSlowdown: number;
  /** The same per second of process CPU time: samples per CPU second and oursCpu / that. */
  simulatorSamplesCpu: number;
  simulatorSlowdownCpu: number;
  /** population.render alone on the simulator's pre-drawn scenes (images/s). */
  simulatorRenderOnly: number;
  /** Mean EPL series terms of our scenes. */
  meanSeriesTerms: number;
}

/** Result of {@link runLensingRenderBench}. */
export interface LensingRenderBenchResult {
  ss1: RenderRateResult;
  ss3: RenderRateResult;
  /** 1-minute load average before and after the benchmark, and the number of CPUs. */
  loadAverageStart: number;
  loadAverageEnd: number;
  cpus: number;
  numPix: number;
  deltaPix: number;
  psfFwhm: number;
  node: string;
  /** lenstronomy and numpy versions of the reference, or why there is none. */
  reference: { lenstronomy: string; numpy: string; path: string } | { none: string };
}



/** Calls per second of wall time and of process CPU time (user + system). */
interface Rate { wall: number; cpu: number }

/** Runs `one` repeatedly for `seconds` after a 0.3 s warm-up. */
function rate(one: () => void, seconds: number): Rate {
  const warm = performance.now();
  while (performance.now() - warm < 300) one();
  let count = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) { one(); count++; }
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall: count / wall, cpu: count / ((c.user + c.system) / 1e6) };
}

/** Our renderer on the bench scenes, with persistent parameter and noise streams. */
class OursRunner {
  private readonly renderer: Renderer;
  private readonly params: Rng;
  private readonly noiseRng: Rng;
  private readonly out = new Float32Array(NUM_PIX * NUM_PIX);
  terms = 0;
  count = 0;

  constructor(readonly ss: number, seed: number) {
    this.renderer = new Renderer({ numPix: NUM_PIX, deltaPix: DELTA_PIX, supersampling: ss, psf: { type: 'GAUSSIAN', fwhm: FWHM, truncation: 5 } });
    const root = Rng.fromSeed(seed);
    this.params = root.derive(`params-ss${ss}`);
    this.noiseRng = root.derive(`noise-ss${ss}`);
  }

  run(seconds: number): Rate {
    const noise = { background_rms: 0.05, exposure_time: 1000 };
    return rate(() => {
      const scene = benchScene(this.params);
      this.terms += (scene.lens[0] as EplProfile).seriesTerms;
      this.count++;
      this.renderer.render(scene, { noise, rng: this.noiseRng, normalize: true, out: this.out });
    }, seconds);
  }
}

/** The strong-lens simulator at the bench geometry: full sample(i), and render of drawn scenes. */
class SimulatorRunner {
  private readonly sim: StrongLensSimulator;
  private next = 0;
  private readonly scenes: LensScene[] = [];
  private readonly rng: Rng;

  constructor(ss: number, seed: number) {
    const registry = new Registry();
    registry.loadPlugin(lensingPlugin);
    this.sim = new ComponentFactory(registry, Rng.fromSeed(seed)).create<StrongLensSimulator>(
      'simulator', { use: 'lensing/strong-lens', numPix: NUM_PIX, deltaPix: DELTA_PIX, supersampling: ss }, 'data');
    this.rng = Rng.fromSeed(seed + 1);
    for (let i = 0; i < 64; i++) this.scenes.push(this.sim.sample(100000 + i).scene as LensScene);
  }

  samples(seconds: number): Rate {
    return rate(() => { this.sim.sample(this.next++); }, seconds);
  }

  renderOnly(seconds: number): number {
    let i = 0;
    const out = new Float32Array(NUM_PIX * NUM_PIX);
    return rate(() => { this.sim.population.render(this.scenes[i++ & 63], this.rng, out); }, seconds).wall;
  }
}

/** The Python reference process (bench/lenstronomy_render.py), one line per request. */
class LenstronomyRunner {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly pending: Array<(line: string) => void> = [];
  private stderr = '';

  private constructor(python: string, script: string, path: string, seed: number) {
    this.child = spawn(python, [script], {
      env: { ...process.env, PYTHONPATH: path, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', BENCH_SEED: String(seed) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-4000); });
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (l) => this.pending.shift()?.(l));
  }

  private read(what: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`bench/lenstronomy_render.py exited (${code}) while ${what}: ${this.stderr.trim()}`));
      this.child.once('exit', onExit);
      this.pending.push((l) => { this.child.off('exit', onExit); try { resolve(JSON.parse(l) as Record<string, unknown>); } catch { reject(new Error(`bench/lenstronomy_render.py: expected a JSON line while ${what}, got ${l}`)); } });
    });
  }

  static async start(python: string, path: string, seed: number): Promise<{ runner: LenstronomyRunner; lenstronomy: string; numpy: string }> {
    const script = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'bench', 'lenstronomy_render.py');
    if (!existsSync(script)) throw new Error(`lensing-render bench: ${script} not found (the reference script ships in bench/)`);
    const runner = new LenstronomyRunner(python, script, path, seed);
    const hello = await runner.read('starting');
    return { runner, lenstronomy: String(hello.lenstronomy), numpy: String(hello.numpy) };
  }

  async run(ss: number, seconds: number): Promise<Rate> {
    const reply = this.read(`rendering at supersampling ${ss}`);
    this.child.stdin.write(`${ss} ${seconds}\n`);
    const r = await reply;
    return { wall: Number(r.imagesPerSecond), cpu: Number(r.imagesPerCpuSecond) };
  }

  stop(): void { this.child.stdin.end('quit\n'); }
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;
const round2 = (v: number): number => Math.round(v * 100) / 100;

/** Measures ours vs lenstronomy (alternating rounds) and the simulator; prints nothing. */
export async function runLensingRenderBench(options: LensingRenderBenchOptions = {}): Promise<LensingRenderBenchResult> {
  const seconds = options.seconds ?? 2;
  const rounds = options.rounds ?? 3;
  const seed = options.seed ?? 1;
  const path = options.lenstronomyPath ?? process.env.LENSTRONOMY_PATH;
  const python = options.python ?? process.env.LENSTRONOMY_PYTHON ?? '/usr/bin/python3';
  const loadAverageStart = round2(loadavg()[0]);
  let reference: LensingRenderBenchResult['reference'] = { none: 'LENSTRONOMY_PATH is not set' };
  let theirs: LenstronomyRunner | null = null;
  if (path) {
    if (!existsSync(join(path, 'lenstronomy'))) throw new Error(`LENSTRONOMY_PATH: expected a lenstronomy checkout (with a lenstronomy/ package folder), got ${path}`);
    const started = await LenstronomyRunner.start(python, path, seed);
    theirs = started.runner;
    reference = { lenstronomy: started.lenstronomy, numpy: started.numpy, path };
  }
  const results: RenderRateResult[] = [];
  try {
    for (const ss of [1, 3]) {
      const ours = new OursRunner(ss, seed);
      const sim = new SimulatorRunner(ss, seed);
      const oursRounds: number[] = [], theirRounds: number[] = [], simRounds: number[] = [], simRender: number[] = [];
      const oursCpu: number[] = [], theirCpu: number[] = [], simCpu: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const a = ours.run(seconds);
        oursRounds.push(a.wall); oursCpu.push(a.cpu);
        if (theirs) { const b = await theirs.run(ss, seconds); theirRounds.push(b.wall); theirCpu.push(b.cpu); }
        const sr = sim.samples(seconds / 2);
        simRounds.push(sr.wall); simCpu.push(sr.cpu);
        simRender.push(sim.renderOnly(seconds / 2));
      }
      const o = median(oursRounds), t = theirs ? median(theirRounds) : null, s = median(simRounds);
      results.push({
        supersampling: ss,
        oursRounds: oursRounds.map(round1),
        ours: round1(o),
        lenstronomyRounds: theirs ? theirRounds.map(round1) : null,
        lenstronomy: t === null ? null : round1(t),
        ratio: t === null ? null : round2(o / t),
        roundRatios: theirs ? oursRounds.map((v, i) => round2(v / theirRounds[i])) : null,
        oursCpu: round1(median(oursCpu)),
        lenstronomyCpu: theirs ? round1(median(theirCpu)) : null,
        ratioCpu: theirs ? round2(median(oursCpu) / median(theirCpu)) : null,
        simulatorSamples: round1(s),
        simulatorSlowdown: round2(o / s),
        simulatorSamplesCpu: round1(median(simCpu)),
        simulatorSlowdownCpu: round2(median(oursCpu) / median(simCpu)),
        simulatorRenderOnly: round1(median(simRender)),
        meanSeriesTerms: round1(ours.terms / ours.count),
      });
    }
  } finally {
    theirs?.stop();
  }
  return {
    ss1: results[0],
    ss3: results[1],
    loadAverageStart,
    loadAverageEnd: round2(loadavg()[0]),
    cpus: cpus().length,
    numPix: NUM_PIX,
    deltaPix: DELTA_PIX,
    psfFwhm: FWHM,
    node: process.version,
    reference,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runLensingRenderBench().then((r) => {
    writeJsonAtomic(join('bench-results', 'render.json'), { date: new Date().toISOString(), result: r });
    console.log(JSON.stringify(r, null, 2));
  }).catch((e) => { console.error(e); process.exit(1); });
}
