/**
 * GAN training-step benchmark: wall time of one full DCGAN step of the gan plugin (one
 * discriminator update + one generator update), as `gan/dcgan` (plugins/gan/components/dcgan-method.ts)
 * runs it with `dSteps: 1` and the hinge loss of the geometric-GAN paper (Lim & Ye 2017;
 * Dellepère, Aggarwal & Ying, Table 1):
 * - D update: fake = G(z) (training mode, VBN reference rows prepended), then the shared
 *   `criticStep` (hinge L_D on D(real), D(fake)), Adam over D's trainable weights;
 * - G update: L_G = hinge_G(D(G(z'))) with fresh latents z', Adam over G's trainable weights;
 * - Adam(lr 2e-4, β1 0.5, β2 0.999) for both, as DcganOptions' defaults.
 * Networks: GAN_PRESETS `quick` (64x64 maps, batch 32) and `paper` (256x256 maps; the paper
 * trains at batch 64, which takes minutes per step on a CPU, so the default here is batch 2 and
 * the batch used is recorded), built by buildDcganGenerator / buildDcganDiscriminator with the
 * preset's VBN and minibatch discrimination. Real batches are tanh-range noise from a seeded Rng
 * (the step's cost does not depend on the values); each step uploads a fresh real batch and
 * latents as the method does.
 *
 * Reports per preset: backend, batch, image size, parameter counts of G and D, median and
 * p10/p90 ms per G+D step over `steps` timed steps after `warmup` untimed ones, maps/s
 * (batch / median step time). A measurement, not a test: nothing fails on a slow machine.
 *
 * Run: `node dist/bench/gan-step.bench.js` (prints JSON), or import `runGanStepBench`
 * (bench/run-all.ts: `node dist/bench/run-all.js gan-step`).
 */
import * as tf from '@tensorflow/tfjs';
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';
import { Rng, selectBackend, type BackendRequest } from '../core/index.js';
import { DEFAULT_POOL_MB, NATIVE_POOL_ENV_VAR, registerNativeBackend } from '../core/tensor/native/index.js';
import {
  GAN_PRESETS, HingeLoss, buildDcganDiscriminator, buildDcganGenerator, criticStep, generatorUsesReal,
} from '../plugins/gan/index.js';

export type GanStepPreset = 'quick' | 'paper';

/** Options of {@link runGanStepBench}. */
export interface GanStepBenchOptions {
  /** tfjs backend request for core's selectBackend (default 'auto'; LENSFORGE_BACKEND overrides). */
  backend?: BackendRequest;
  /** Presets to measure (default both, quick first). */
  presets?: GanStepPreset[];
  /** Timed steps per preset (default: quick 20, paper 3). */
  steps?: number;
  /** Untimed warm-up steps per preset (default: quick 3, paper 2: the storage pool fills during the first steps of the big nets). */
  warmup?: number;
  /**
   * Batch per preset (default: quick 32 as examples/cosmogan-quick.yaml; paper 2, since the
   * paper's 64 costs minutes per step on a CPU: G always also runs its 64 VBN reference rows).
   */
  batch?: Partial<Record<GanStepPreset, number>>;
  /** Seed of the weights, latents and real batches (default 1). */
  seed?: number;
  /**
   * Storage-pool budget (MiB) of the native backend, applied by registering it before
   * selectBackend (only if nothing in this process registered it earlier). Default: the
   * backend's own ($LENSFORGE_NATIVE_POOL_MB, else DEFAULT_POOL_MB: half of RAM, <= 16 GiB). The paper nets' working set is far
   * larger than 1024 MiB; with a pool too small every step page-faults its tensors in anew.
   */
  nativePoolMb?: number;
  /** Progress lines (default stderr). */
  log?: (line: string) => void;
}

/** One measured preset. */
export interface GanStepRow {
  preset: GanStepPreset;
  backend: string;
  batch: number;
  /** The batch the preset's reference setting uses (paper: 64), for comparison with `batch`. */
  referenceBatch: number;
  /** Map side N (maps are N x N x 1). */
  imageSize: number;
  /** VBN reference rows G processes in addition to the batch (0 without VBN). */
  vbnReferenceRows: number;
  paramsG: number;
  paramsD: number;
  steps: number;
  warmup: number;
  /** Wall time of the first warm-up step (includes kernel set-up). */
  msFirstStep: number;
  msMedian: number;
  msP10: number;
  msP90: number;
  msMean: number;
  /** Process CPU time per timed step, user and system (system time is mostly page faults of new tensor storage). */
  cpuUserMsPerStep: number;
  cpuSysMsPerStep: number;
  /** batch / median step time. */
  mapsPerSec: number;
  error?: string;
}

/** Result of {@link runGanStepBench}. */
export interface GanStepBenchResult {
  backend: string;
  backendKind: string;
  /** $LENSFORGE_NATIVE_THREADS when set (native backend compute threads). */
  nativeThreads?: string;
  /** Native storage-pool budget in MiB as requested (option, else $LENSFORGE_NATIVE_POOL_MB, else the default 1024); native only. */
  nativePoolMb?: number;
  loadavg1: number;
  rows: GanStepRow[];
}

const DEFAULTS: Record<GanStepPreset, { size: number; batch: number; referenceBatch: number; steps: number; warmup: number }> = {
  quick: { size: 64, batch: 32, referenceBatch: 32, steps: 20, warmup: 3 },
  paper: { size: 256, batch: 2, referenceBatch: 64, steps: 3, warmup: 2 },
};

/** Linear-interpolation quantile (numpy's default) of an ascending array. */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function positiveInt(v: number, field: string): number {
  if (!(Number.isInteger(v) && v >= 1)) throw new Error(`${field}: expected an integer >= 1, got ${v}`);
  return v;
}

/** Builds the preset's G and D and times `steps` D+G steps (see the module comment). */
function measurePreset(preset: GanStepPreset, backend: string, batch: number, steps: number, warmup: number, seed: number): GanStepRow {
  const n = DEFAULTS[preset].size;
  const p = GAN_PRESETS[preset];
  const rng = Rng.fromSeed(seed).derive(`gan-step:${preset}`);
  const G = buildDcganGenerator({ ...p.generator, outputSize: n, outputChannels: 1 }, rng.derive('generator'));
  const D = buildDcganDiscriminator({ ...p.discriminator, inputSize: n, inputChannels: 1 }, rng.derive('discriminator'));
  const loss = new HingeLoss();
  const optG = tf.train.adam(2e-4, 0.5, 0.999);
  const optD = tf.train.adam(2e-4, 0.5, 0.999);
  const gVars = G.model.trainableWeights.map((v) => v.read() as tf.Variable);
  const dVars = D.trainableWeights.map((v) => v.read() as tf.Variable);
  const latentDim = p.generator.latentDim;
  const latent = rng.derive('latent'), data = rng.derive('real'), gpRng = rng.derive('gradient-penalty');
  const realBuf = Float32Array.from(data.normalArray(batch * n * n), (v) => Math.tanh(v));
  const latents = (k: number): tf.Tensor2D => tf.tensor2d(latent.normalArray(k * latentDim), [k, latentDim]);
  const critic = (x: tf.Tensor): tf.Tensor => D.apply(x, { training: true }) as tf.Tensor;

  // One gan/dcgan step with dSteps = 1 (dcgan-method.ts, `step`).
  const step = (): void => {
    const real = tf.tensor4d(realBuf, [batch, n, n, 1]);
    const z = latents(batch);
    const fake = tf.tidy(() => G.generate(z, true));
    criticStep(optD, dVars, critic, loss, real, fake, gpRng);
    tf.dispose([z, fake]);
    const z2 = latents(batch);
    const realLogits = generatorUsesReal(loss) ? tf.tidy(() => critic(real)) : tf.zeros([batch, 1]);
    const gCost = optG.minimize(() => loss.generator(realLogits, critic(G.generate(z2, true))), true, gVars) as tf.Scalar;
    gCost.dataSync();
    tf.dispose([gCost, z2, realLogits, real]);
  };

  const row: GanStepRow = {
    preset, backend, batch, referenceBatch: DEFAULTS[preset].referenceBatch, imageSize: n,
    vbnReferenceRows: p.generator.norm === 'vbn' ? p.generator.referenceSize : 0,
    paramsG: G.model.countParams(), paramsD: D.countParams(), steps, warmup,
    msFirstStep: NaN, msMedian: NaN, msP10: NaN, msP90: NaN, msMean: NaN, cpuUserMsPerStep: NaN, cpuSysMsPerStep: NaN, mapsPerSec: NaN,
  };
  try {
    for (let i = 0; i < warmup; i++) {
      const t0 = performance.now();
      step();
      if (i === 0) row.msFirstStep = performance.now() - t0;
    }
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      step();
      times.push(performance.now() - t0);
    }
    const cpu = process.cpuUsage(cpu0);
    if (warmup === 0) row.msFirstStep = times[0];
    const sorted = [...times].sort((a, b) => a - b);
    const r1 = (v: number): number => Math.round(v * 10) / 10;
    row.msFirstStep = r1(row.msFirstStep);
    row.msMedian = r1(quantile(sorted, 0.5));
    row.msP10 = r1(quantile(sorted, 0.1));
    row.msP90 = r1(quantile(sorted, 0.9));
    row.msMean = r1(times.reduce((a, b) => a + b, 0) / times.length);
    row.cpuUserMsPerStep = r1(cpu.user / 1000 / steps);
    row.cpuSysMsPerStep = r1(cpu.system / 1000 / steps);
    row.mapsPerSec = Math.round((batch * 1000 / quantile(sorted, 0.5)) * 100) / 100;
  } finally {
    G.dispose();
    D.dispose();
    optG.dispose();
    optD.dispose();
  }
  return row;
}

/**
 * Measures one gan/dcgan training step (D + G update, hinge loss, Adam 2e-4/0.5) for the `quick`
 * (64x64, batch 32) and `paper` (256x256, default batch 2) presets on the backend chosen by
 * core's selectBackend. Returns one row per preset (a failing preset gets `error` and NaNs);
 * restores the previously active backend.
 */
export async function runGanStepBench(opts: GanStepBenchOptions = {}): Promise<GanStepBenchResult> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const presets = opts.presets ?? ['quick', 'paper'];
  for (const [i, p] of presets.entries()) {
    if (!(p in DEFAULTS)) throw new Error(`presets[${i}]: expected one of quick, paper, got ${JSON.stringify(p)}`);
  }
  const previous = tf.engine().backendName ?? null;
  if (opts.nativePoolMb !== undefined) await registerNativeBackend({ poolMb: opts.nativePoolMb });
  const sel = await selectBackend(opts.backend ?? 'auto');
  const backend = tf.getBackend();
  log(`gan-step: backend ${backend} (${sel.kind})`);
  const rows: GanStepRow[] = [];
  const before = tf.memory().numTensors;
  for (const preset of presets) {
    const d = DEFAULTS[preset];
    const batch = positiveInt(opts.batch?.[preset] ?? d.batch, `batch.${preset}`);
    const steps = positiveInt(opts.steps ?? d.steps, 'steps');
    const warmup = opts.warmup ?? d.warmup;
    if (!(Number.isInteger(warmup) && warmup >= 0)) throw new Error(`warmup: expected an integer >= 0, got ${warmup}`);
    log(`gan-step: ${preset} (${d.size}x${d.size}, batch ${batch}): ${warmup} warm-up + ${steps} timed steps ...`);
    try {
      const row = measurePreset(preset, backend, batch, steps, warmup, opts.seed ?? 1);
      log(`gan-step: ${preset}: ${row.msMedian} ms/step (p10 ${row.msP10}, p90 ${row.msP90}), ${row.mapsPerSec} maps/s`);
      rows.push(row);
    } catch (e) {
      const msg = (e as Error).message.split('\n')[0];
      log(`gan-step: ${preset}: error: ${msg}`);
      rows.push({
        preset, backend, batch, referenceBatch: d.referenceBatch, imageSize: d.size, vbnReferenceRows: 0, paramsG: NaN, paramsD: NaN,
        steps, warmup, msFirstStep: NaN, msMedian: NaN, msP10: NaN, msP90: NaN, msMean: NaN, cpuUserMsPerStep: NaN, cpuSysMsPerStep: NaN,
        mapsPerSec: NaN, error: msg,
      });
    }
  }
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) log(`gan-step: warning: ${leaked} tensors left after the benchmark`);
  if (previous && tf.getBackend() !== previous) await tf.setBackend(previous);
  const result: GanStepBenchResult = { backend, backendKind: sel.kind, loadavg1: Math.round(loadavg()[0] * 100) / 100, rows };
  if (process.env.LENSFORGE_NATIVE_THREADS) result.nativeThreads = process.env.LENSFORGE_NATIVE_THREADS;
  const envPool = process.env[NATIVE_POOL_ENV_VAR]?.trim();
  if (backend === 'native') result.nativePoolMb = opts.nativePoolMb ?? (envPool ? Number(envPool) : DEFAULT_POOL_MB);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (flag: string): string | undefined => { const i = process.argv.indexOf(flag); return i >= 0 ? process.argv[i + 1] : undefined; };
  const num = (flag: string): number | undefined => (arg(flag) === undefined ? undefined : Number(arg(flag)));
  const opts: GanStepBenchOptions = {
    backend: arg('--backend') as BackendRequest | undefined,
    presets: arg('--presets')?.split(',') as GanStepPreset[] | undefined,
    steps: num('--steps'), warmup: num('--warmup'), nativePoolMb: num('--native-pool-mb'),
    batch: { ...(num('--quick-batch') ? { quick: num('--quick-batch') } : {}), ...(num('--paper-batch') ? { paper: num('--paper-batch') } : {}) },
  };
  runGanStepBench(opts).then((r) => console.log(JSON.stringify(r, null, 2))).catch((e) => { console.error(e); process.exit(1); });
}
