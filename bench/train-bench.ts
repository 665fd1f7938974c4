/**
 * Training-step benchmark (issue 8): ms/step and images/s of the quick models per TF.js backend,
 * next to PyTorch's figure for the identical architecture measured in the same run.
 *
 * Models (batch 32, 64x64 inputs):
 * - simsiam-imagenet / simsiam-stride2: SimSiam (Chen & He 2021) with the quick encoder, a
 *   ResNet-18 of widths 16/32/64/128 (plugins/encoders/nets buildResNet, 1 band), projector
 *   128→256→256→256, predictor 256→64→256, two views per step, SGD(0.05, momentum 0.9)
 *   (core's SgdOptimizer, plugins/simsiam/train simsiamStep); images/s counts each image once (two views each);
 * - dcgan: DCGAN (Radford et al. 2016) quick model: G = dense(64→4·4·128)+BN+ReLU, four 5x5
 *   stride-2 transposed convs 128→64→32→16→1 (BN+ReLU, tanh last); D = four 5x5 stride-2 convs
 *   1→32→64→128→256 (LeakyReLU 0.2, BN but on the first) + dense; sigmoid cross-entropy,
 *   Adam(2e-4, β1 0.5); one step = one D update (real + fake) and one G update;
 * - unet: plugins/encoders/nets buildUNet (2→1 channels, 3 levels, 16 base filters, 2 residual
 *   blocks, LeakyReLU, BN), L1 regression loss, Adam(1e-3);
 * - tiny: a 2-conv CNN on 16x16 (batch 8), the only model also run on the pure-JS cpu backend;
 * - gan-quick, rcgan-quick, band-pretext-quick, band-pretext-pretext: the plugins' quick presets
 *   (examples/cosmogan-quick.yaml, mass-mapping-quick.yaml, band-pretext-quick.yaml), built by the
 *   plugins' builders and trained by their step code, batch and sizes from the YAML (bench/plugin-trainers.ts).
 * FLOPs per step are counted from the layers (2 FLOP per multiply-add; training = 3x forward).
 * Identity with the PyTorch twins is checked in every run: trainable parameters and forward
 * multiply-adds per step (counted there by forward hooks during one step) must be equal, else
 * the row says `error: ... mismatch` and the command exits with status 1.
 * The encoder forward throughput (batch 128, inference) is reported for the SimSiam models.
 *
 * Native and PyTorch run in `rounds` (default 3) that alternate model by model, so that a drift in
 * the machine's speed falls on both; each round's ratio compares two measurements made back to
 * back and the reported ratio is their median (bench/train-bench-rounds.ts).
 *
 * PyTorch: bench/torch_reference.py via /usr/bin/python3 when `import torch` works, with
 * OPENBLAS_NUM_THREADS=1 and torch.set_num_threads(threads) (notes/backend.md §3). Since other
 * processes may share the machine, every row also gives the CPU time per step and the load
 * of other processes during the run ("foreign" cores, from /proc/stat).
 *
 * Run: `node dist/bench/train-bench.js [--models a,b] [--backends native,wasm,cpu] [--threads n]
 *       [--steps n] [--wasm-steps n] [--warmup n] [--rounds n] [--no-torch] [--out file]`
 * (writes bench-results/train-bench.json), or import `runTrainBench` (bench/run-all.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Rng } from '../core/tensor/rng.js';
import { batchNormalization } from '../core/nn/batch-normalization.js';
import { prepareWasmBackend } from '../core/tensor/wasm-kernels.js';
import { formatNativeProfile, profileSteps, registerNativeBackend, type NativeRegistration } from '../core/tensor/native/index.js';
import { buildResNet, buildUNet, convBn } from '../plugins/encoders/nets/index.js';
import { buildPredictor, buildProjector } from '../plugins/simsiam/nets/index.js';
import { SgdOptimizer } from '../core/training/sgd-optimizer.js';
import { simsiamStep } from '../plugins/simsiam/train/index.js';
import { PLUGIN_BENCH_MODELS, buildPluginTrainer, pluginSpec, type PluginBenchModel, type PluginSpec } from './plugin-trainers.js';
import { forwardMacs, trainableCount, type Trainer } from './train-bench-counting.js';
import { combineRounds, roundRatios } from './train-bench-rounds.js';
import { median } from './median.js';

export { forwardMacs };
export const TRAIN_BENCH_MODELS = ['simsiam-imagenet', 'simsiam-stride2', 'dcgan', 'unet', 'tiny', ...PLUGIN_BENCH_MODELS] as const;
export type TrainBenchModel = (typeof TRAIN_BENCH_MODELS)[number];
export type TrainBenchBackend = 'native' | 'wasm' | 'cpu';

const FIXED_BATCH: Record<Exclude<TrainBenchModel, PluginBenchModel>, number> = { 'simsiam-imagenet': 32, 'simsiam-stride2': 32, dcgan: 32, unet: 32, tiny: 8 };
const FWD_BATCH = 128;
const isPlugin = (m: TrainBenchModel): m is PluginBenchModel => (PLUGIN_BENCH_MODELS as readonly string[]).includes(m);
const specs = new Map<PluginBenchModel, PluginSpec>();
/** A plugin model's settings from its example preset (read once per process). */
export function specOf(m: PluginBenchModel): PluginSpec {
  let s = specs.get(m);
  if (!s) { s = pluginSpec(m); specs.set(m, s); }
  return s;
}
/** Batch of a model's training step (plugin models: from their preset). */
export const batchOf = (m: TrainBenchModel): number => (isPlugin(m) ? specOf(m).batch : FIXED_BATCH[m]);

/** Options of {@link runTrainBench}. */
export interface TrainBenchOptions {
  models?: TrainBenchModel[];
  /** Backends to try (unavailable ones are reported and skipped); cpu runs only 'tiny'. */
  backends?: TrainBenchBackend[];
  /** Threads for the native backend and for PyTorch (default os.availableParallelism()). */
  threads?: number;
  /** Timed steps per model on native (and PyTorch); default 10. */
  steps?: number;
  /** Timed steps on wasm/cpu (slow); default 3. */
  slowSteps?: number;
  /** Untimed warm-up steps; default 2 (1 on wasm/cpu). */
  warmup?: number;
  /**
   * Rounds of native and PyTorch, alternating model by model; ms/step is the median of the
   * rounds' medians and `vsTorch` the median of the per-round ratios (train-bench-rounds.ts). Default 3.
   */
  rounds?: number;
  /** Run the PyTorch reference when available; default true. */
  torch?: boolean;
  /** Progress lines; default stderr. */
  log?: (line: string) => void;
}

/** One measured (model, backend) pair. */
export interface TrainBenchRow {
  model: TrainBenchModel;
  backend: string;
  batch: number;
  params: number;
  steps: number;
  msMedian: number;
  msMin: number;
  msMax: number;
  cpuMsPerStep: number;
  imagesPerSec: number;
  gflopPerStep: number;
  gflopPerSec: number;
  /** Average number of cores busy with other processes during the timed steps. */
  foreignCores: number;
  /** SimSiam encoder forward images/s (batch 128, inference). */
  fwdImagesPerSec?: number;
  /** Forward multiply-adds per step (2 FLOP each; gflopPerStep = 6 x this / 1e9). */
  macsPerStep: number;
  /** Host-side data preparation per step excluded from ms/step (rcgan-quick: shape noise + KS condition), median ms. */
  excludedMs?: number;
  /**
   * Ours / PyTorch for the same model in the same run, when measured: the median of the rounds'
   * ratios (each round's pair measured back to back), or msMedian / PyTorch's msMedian.
   */
  vsTorch?: number;
  /** Each round's median ms/step (native and PyTorch rows, with more than one round). */
  roundMs?: number[];
  /** Each round's ours / PyTorch (native rows, with more than one round). */
  roundRatios?: number[];
  error?: string;
}

export interface TrainBenchResult {
  date: string;
  machine: { cpus: number; model: string | undefined; loadavg1: number };
  node: string;
  tfjs: string;
  threads: number;
  /** Rounds of native and PyTorch (see TrainBenchOptions.rounds). */
  rounds: number;
  native: NativeRegistration | null;
  torch: { available: boolean; reason?: string; version?: string; threads?: number; foreignCores?: number };
  rows: TrainBenchRow[];
  /** Parameter / multiply-add mismatches between a TF.js model and its PyTorch twin (empty: identical). */
  mismatches: string[];
  table: string;
}

function buildSimSiam(stem: 'imagenet' | 'stride2', batch: number, rng: Rng): Trainer {
  const enc = buildResNet({ depth: 18, width: 16, inChannels: 1, inputSize: 64, stem, rng: rng.derive('encoder') });
  const proj = buildProjector(enc.featureDim, { hidden: 256, out: 256, layers: 3, rng: rng.derive('projector') });
  const pred = buildPredictor(256, { bottleneck: 64, rng: rng.derive('predictor') });
  const opt = new SgdOptimizer(0.05, 0.9);
  const x1 = tf.tensor4d(rng.normalArray(batch * 64 * 64), [batch, 64, 64, 1]);
  const x2 = tf.tensor4d(rng.normalArray(batch * 64 * 64), [batch, 64, 64, 1]);
  return {
    step: () => { simsiamStep(enc.model, proj, pred, opt, x1, x2); },
    params: trainableCount([enc.model, proj, pred]),
    macsPerStep: 2 * batch * (forwardMacs(enc.model) + forwardMacs(proj) + forwardMacs(pred)),
    encoder: enc.model,
    dispose: () => { tf.dispose([x1, x2]); opt.dispose(); enc.model.dispose(); proj.dispose(); pred.dispose(); },
  };
}

function buildDcgan(batch: number, rng: Rng): Trainer {
  const init = () => tf.initializers.glorotUniform({ seed: rng.tfSeed() });
  const bn = () => batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
  const zIn = tf.input({ shape: [64] });
  let g = tf.layers.dense({ units: 4 * 4 * 128, useBias: false, kernelInitializer: init() }).apply(zIn) as tf.SymbolicTensor;
  g = tf.layers.reLU().apply(bn().apply(g)) as tf.SymbolicTensor;
  g = tf.layers.reshape({ targetShape: [4, 4, 128] }).apply(g) as tf.SymbolicTensor;
  for (const f of [64, 32, 16]) {
    g = tf.layers.conv2dTranspose({ filters: f, kernelSize: 5, strides: 2, padding: 'same', useBias: false, kernelInitializer: init() }).apply(g) as tf.SymbolicTensor;
    g = tf.layers.reLU().apply(bn().apply(g)) as tf.SymbolicTensor;
  }
  g = tf.layers.conv2dTranspose({ filters: 1, kernelSize: 5, strides: 2, padding: 'same', activation: 'tanh', kernelInitializer: init() }).apply(g) as tf.SymbolicTensor;
  const G = tf.model({ inputs: zIn, outputs: g });
  const xIn = tf.input({ shape: [64, 64, 1] });
  let d = tf.layers.conv2d({ filters: 32, kernelSize: 5, strides: 2, padding: 'same', kernelInitializer: init() }).apply(xIn) as tf.SymbolicTensor;
  d = tf.layers.leakyReLU({ alpha: 0.2 }).apply(d) as tf.SymbolicTensor;
  for (const f of [64, 128, 256]) {
    d = tf.layers.conv2d({ filters: f, kernelSize: 5, strides: 2, padding: 'same', useBias: false, kernelInitializer: init() }).apply(d) as tf.SymbolicTensor;
    d = tf.layers.leakyReLU({ alpha: 0.2 }).apply(bn().apply(d)) as tf.SymbolicTensor;
  }
  d = tf.layers.dense({ units: 1, kernelInitializer: init() }).apply(tf.layers.flatten().apply(d)) as tf.SymbolicTensor;
  const D = tf.model({ inputs: xIn, outputs: d });
  const gOpt = tf.train.adam(2e-4, 0.5, 0.999), dOpt = tf.train.adam(2e-4, 0.5, 0.999);
  const real = tf.tensor4d(Float32Array.from(rng.normalArray(batch * 64 * 64), (v) => Math.tanh(v)), [batch, 64, 64, 1]);
  const ones = tf.ones([batch, 1]), zeros = tf.zeros([batch, 1]);
  const gVars = G.trainableWeights.map((w) => w.read() as tf.Variable), dVars = D.trainableWeights.map((w) => w.read() as tf.Variable);
  const seed = rng.tfSeed();
  let k = 0;
  return {
    step: () => {
      const z = tf.randomNormal([batch, 64], 0, 1, 'float32', seed + k++);
      const dl = dOpt.minimize(() => {
        const fake = G.apply(z, { training: true }) as tf.Tensor;
        return tf.add(tf.losses.sigmoidCrossEntropy(ones, D.apply(real, { training: true }) as tf.Tensor),
          tf.losses.sigmoidCrossEntropy(zeros, D.apply(fake, { training: true }) as tf.Tensor)) as tf.Scalar;
      }, true, dVars);
      const gl = gOpt.minimize(() => tf.losses.sigmoidCrossEntropy(ones,
        D.apply(G.apply(z, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor) as tf.Scalar, true, gVars);
      dl?.dataSync();
      gl?.dataSync();
      tf.dispose([z, dl!, gl!]);
    },
    params: trainableCount([G, D]),
    // D on real + fake and G once for the D update, G + D for the G update.
    macsPerStep: batch * (3 * forwardMacs(D) + 2 * forwardMacs(G)),
    dispose: () => { tf.dispose([real, ones, zeros]); gOpt.dispose(); dOpt.dispose(); G.dispose(); D.dispose(); },
  };
}

function buildUNetTrainer(batch: number, rng: Rng): Trainer {
  const net = buildUNet({ inChannels: 2, outChannels: 1, inputSize: 64, levels: 3, baseFilters: 16, residualBlocks: 2,
    activation: 'leakyRelu', rng: rng.derive('unet') });
  const opt = tf.train.adam(1e-3);
  const x = tf.tensor4d(rng.normalArray(batch * 64 * 64 * 2), [batch, 64, 64, 2]);
  const y = tf.tensor4d(rng.normalArray(batch * 64 * 64), [batch, 64, 64, 1]);
  return {
    step: () => {
      const l = opt.minimize(() => tf.losses.absoluteDifference(y, net.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true);
      l?.dataSync();
      l?.dispose();
    },
    params: trainableCount([net]),
    macsPerStep: batch * forwardMacs(net),
    dispose: () => { tf.dispose([x, y]); opt.dispose(); net.dispose(); },
  };
}

function buildTiny(batch: number, rng: Rng): Trainer {
  const input = tf.input({ shape: [16, 16, 1] });
  let h = convBn(input, { filters: 8, kernel: 3, name: 'tiny_a', rng });
  h = tf.layers.maxPooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
  h = convBn(h, { filters: 16, kernel: 3, name: 'tiny_b', rng });
  h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotUniform({ seed: rng.tfSeed() }) }).apply(h) as tf.SymbolicTensor;
  const net = tf.model({ inputs: input, outputs: h });
  const opt = tf.train.adam(1e-3);
  const x = tf.tensor4d(rng.normalArray(batch * 256), [batch, 16, 16, 1]), y = tf.tensor2d(rng.normalArray(batch * 4), [batch, 4]);
  return {
    step: () => {
      const l = opt.minimize(() => tf.losses.meanSquaredError(y, net.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true);
      l?.dataSync();
      l?.dispose();
    },
    params: trainableCount([net]),
    macsPerStep: batch * forwardMacs(net),
    dispose: () => { tf.dispose([x, y]); opt.dispose(); net.dispose(); },
  };
}

/** Builds a bench model (its trainer: one step, params, multiply-adds per step) on the current backend. */
export function buildTrainer(model: TrainBenchModel, rng: Rng = Rng.fromSeed(20261121).derive(model)): Trainer {
  if (isPlugin(model)) return buildPluginTrainer(specOf(model), rng);
  const b = FIXED_BATCH[model];
  switch (model) {
    case 'simsiam-imagenet': return buildSimSiam('imagenet', b, rng);
    case 'simsiam-stride2': return buildSimSiam('stride2', b, rng);
    case 'dcgan': return buildDcgan(b, rng);
    case 'unet': return buildUNetTrainer(b, rng);
    case 'tiny': return buildTiny(b, rng);
  }
}

/** Busy and total jiffies summed over all CPUs (/proc/stat), or null off Linux. */
function cpuJiffies(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = line[3] + (line[4] ?? 0);
    const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

const CLK_TCK = 100;

/** Measures `fn`, returning wall ms, own CPU ms and the average foreign busy cores. */
function measured<T>(fn: () => T, ownCpuMs?: (res: T) => number): { res: T; wallMs: number; cpuMs: number; foreign: number } {
  const j0 = cpuJiffies(), c0 = process.cpuUsage(), t0 = performance.now();
  const res = fn();
  const wallMs = performance.now() - t0, c = process.cpuUsage(c0), j1 = cpuJiffies();
  const cpuMs = ownCpuMs ? ownCpuMs(res) : (c.user + c.system) / 1000;
  const foreign = j0 && j1 ? Math.max(0, ((j1.busy - j0.busy) * 1000 / CLK_TCK - cpuMs) / wallMs) : NaN;
  return { res, wallMs, cpuMs, foreign };
}

async function activate(backend: TrainBenchBackend, threads: number, notes: { native: NativeRegistration | null }): Promise<string | null> {
  if (backend === 'native') {
    notes.native ??= await registerNativeBackend({ threads });
    if (!notes.native.ok) return notes.native.reason ?? 'native backend unavailable';
  }
  if (backend === 'wasm') {
    try { prepareWasmBackend(); } catch (e) { return `wasm: ${(e as Error).message}`; }
  }
  try {
    return (await tf.setBackend(backend)) ? null : `tf.setBackend('${backend}') failed`;
  } catch (e) {
    return `tf.setBackend('${backend}') threw: ${(e as Error).message.split('\n')[0]}`;
  }
}

function runModel(model: TrainBenchModel, backend: string, steps: number, warmup: number, extras = true): TrainBenchRow {
  const t = buildTrainer(model);
  try {
    for (let i = 0; i < warmup; i++) t.step();
    const times: number[] = [], excluded: number[] = [];
    // host-side preparation the step reports (single-threaded JS) is taken out of wall and CPU time alike
    const run = measured(() => {
      for (let i = 0; i < steps; i++) {
        const s = performance.now();
        const ex = t.step() ?? 0;
        times.push(performance.now() - s - ex);
        excluded.push(ex);
      }
    });
    const batch = batchOf(model);
    const gflop = (6 * t.macsPerStep) / 1e9;
    const ms = median(times);
    const exTotal = excluded.reduce((a, b) => a + b, 0);
    const row: TrainBenchRow = {
      model, backend, batch, params: t.params, steps, msMedian: ms, msMin: Math.min(...times), msMax: Math.max(...times),
      cpuMsPerStep: (run.cpuMs - exTotal) / steps, imagesPerSec: (batch * 1000) / ms, gflopPerStep: gflop, gflopPerSec: gflop / (ms / 1000),
      foreignCores: run.foreign, macsPerStep: t.macsPerStep, ...(exTotal > 0 ? { excludedMs: median(excluded) } : {}),
    };
    const profile = extras ? Number(process.env.TRAIN_BENCH_PROFILE ?? 0) : 0; // n extra profiled steps (core/tensor/native/native-profile.ts)
    if (profile > 0 && backend === 'native') console.error(`${model} native profile:\n${formatNativeProfile(profileSteps(t.step, profile))}`);
    if (t.encoder && extras) {
      const enc = t.encoder;
      const x = tf.randomNormal([FWD_BATCH, 64, 64, 1], 0, 1, 'float32', 7);
      const once = () => tf.tidy(() => (enc.apply(x, { training: false }) as tf.Tensor).dataSync());
      once();
      const ft: number[] = [];
      for (let i = 0; i < (backend === 'native' ? 5 : 2); i++) { const s = performance.now(); once(); ft.push(performance.now() - s); }
      x.dispose();
      row.fwdImagesPerSec = FWD_BATCH / (median(ft) / 1000);
    }
    return row;
  } finally {
    t.dispose();
  }
}

interface TorchModelResult { batch: number; params: number; macsPerStep: number; msMedian: number; msMin: number; msMax: number; cpuMsPerStep: number; steps: number; fwdImagesPerSec?: number; foreignCores: number }

function runTorch(models: TrainBenchModel[], threads: number, steps: number, warmup: number, log: (l: string) => void):
  { available: boolean; reason?: string; version?: string; threads?: number; foreignCores?: number; models?: Record<string, TorchModelResult> } {
  const py = '/usr/bin/python3';
  const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'torch_reference.py');
  if (!existsSync(py)) return { available: false, reason: `${py} not found` };
  if (!existsSync(script)) return { available: false, reason: `${script} not found` };
  const probe = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { available: false, reason: `/usr/bin/python3 cannot import torch (apt-get install -y python3-torch): ${(probe.stderr || '').trim().split('\n').pop()}` };
  log(`torch: ${models.join(', ')} (${threads} threads) ...`);
  const cfg = {
    models, batch: Object.fromEntries(models.map((m) => [m, batchOf(m)])), steps, warmup, threads, fwdBatch: FWD_BATCH, width: 16,
    plugins: Object.fromEntries(models.filter(isPlugin).map((m) => [m, specOf(m)])),
  };
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const run = measured(() => spawnSync(py, [script, JSON.stringify(cfg)], { encoding: 'utf8', env, maxBuffer: 1 << 24 }), () => 0);
  const r = run.res;
  if (r.status !== 0) return { available: false, reason: `torch_reference.py failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}` };
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { torch: string; threads: number; cpuTotalMs: number; models: Record<string, TorchModelResult> };
  // Foreign load: busy time not used by the python process (its total CPU is in cpuTotalMs).
  const foreign = Number.isFinite(run.foreign) ? Math.max(0, run.foreign - out.cpuTotalMs / run.wallMs) : NaN;
  for (const m of Object.values(out.models)) m.foreignCores = foreign;
  return { available: true, version: out.torch, threads: out.threads, foreignCores: foreign, models: out.models };
}

/**
 * How a model's PyTorch twin differs from the TF.js model: one message per differing count
 * (trainable parameters, forward multiply-adds per step), naming the model and both numbers.
 */
export function identityMismatches(model: string, ts: { params: number; macsPerStep: number }, torch: { params: number; macsPerStep: number }): string[] {
  const out: string[] = [];
  const n = (v: number) => v.toLocaleString('en-US');
  if (ts.params !== torch.params) {
    out.push(`${model}: trainable parameter count mismatch: TF.js ${n(ts.params)} vs PyTorch ${n(torch.params)} (bench/torch_reference.py must build the identical architecture)`);
  }
  if (ts.macsPerStep !== torch.macsPerStep) {
    out.push(`${model}: forward multiply-adds per step mismatch: TF.js ${n(ts.macsPerStep)} vs PyTorch ${n(torch.macsPerStep)} (bench/torch_reference.py must build the identical architecture and step)`);
  }
  return out;
}

const fmt = (v: number | undefined, d = 0): string => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(d));

function table(rows: TrainBenchRow[]): string {
  const head = ['model', 'backend', 'batch', 'params', 'ms/step', 'min', 'cpu ms', 'img/s', 'GFLOP/s', 'fwd img/s', 'vs torch', 'rounds', 'foreign'];
  const body = rows.map((r) => r.error ? [r.model, r.backend, String(r.batch), String(r.params), `error: ${r.error}`, '', '', '', '', '', '', '', ''] : [
    r.model, r.backend, String(r.batch), String(r.params), fmt(r.msMedian, 1), fmt(r.msMin, 1), fmt(r.cpuMsPerStep, 1), fmt(r.imagesPerSec, 1),
    fmt(r.gflopPerSec, 1), fmt(r.fwdImagesPerSec), r.vsTorch === undefined ? '-' : `${r.vsTorch.toFixed(2)}x`,
    r.roundRatios ? r.roundRatios.map((x) => x.toFixed(2)).join(' ') : '-', fmt(r.foreignCores, 2),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(w[i])).join(' | ') + ' |';
  return [line(head), '|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|', ...body.map(line)].join('\n');
}

/** Runs the benchmark (see the module comment); never throws for an unavailable backend. */
export async function runTrainBench(opts: TrainBenchOptions = {}): Promise<TrainBenchResult> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const models = opts.models ?? [...TRAIN_BENCH_MODELS];
  const backends = opts.backends ?? ['native', 'wasm', 'cpu'];
  const threads = opts.threads ?? availableParallelism();
  const steps = opts.steps ?? 10, slow = opts.slowSteps ?? 3;
  const rounds = opts.rounds ?? 3;
  const previous = tf.engine().backendName ?? null;
  const notes: { native: NativeRegistration | null } = { native: null };
  const rows: TrainBenchRow[] = [];
  const errorRow = (model: TrainBenchModel, backend: string, e: unknown): TrainBenchRow => {
    if (process.env.TRAIN_BENCH_DEBUG) console.error(e);
    return { model, backend, batch: batchOf(model), params: 0, steps: 0, msMedian: NaN, msMin: NaN, msMax: NaN, cpuMsPerStep: NaN,
      imagesPerSec: NaN, gflopPerStep: NaN, gflopPerSec: NaN, foreignCores: NaN, macsPerStep: NaN, error: (e as Error).message.split('\n')[0] };
  };
  let torch: TrainBenchResult['torch'] = { available: false, reason: 'disabled (--no-torch)' };
  let torchOn = opts.torch ?? true;
  const torchRounds = new Map<TrainBenchModel, TorchModelResult[]>();
  /** PyTorch on `ms` (one subprocess); after a failure PyTorch is off for the rest of the run. */
  const torchOnce = (ms: TrainBenchModel[]) => {
    if (!torchOn) return;
    const t = runTorch(ms, threads, steps, 3, log);
    if (!t.models) {
      torchOn = false;
      if (torch.available) log(`torch: stopped after a failure on ${ms.join(', ')}: ${t.reason}`);
      else torch = { available: false, reason: t.reason };
      return;
    }
    torch = { available: true, version: t.version, threads: t.threads, foreignCores: t.foreignCores };
    for (const [m, r] of Object.entries(t.models)) torchRounds.set(m as TrainBenchModel, [...(torchRounds.get(m as TrainBenchModel) ?? []), r]);
  };
  let torchDone = false;
  for (const backend of backends) {
    const reason = await activate(backend, threads, notes);
    if (reason) { log(`${backend}: skipped (${reason})`); continue; }
    if (backend === 'native') {
      // rounds: ours and PyTorch alternate model by model (bench/train-bench-rounds.ts)
      const ours = new Map<TrainBenchModel, TrainBenchRow[]>();
      const failed = new Map<TrainBenchModel, TrainBenchRow>();
      for (let r = 0; r < rounds; r++) {
        for (const model of models) {
          if (failed.has(model)) continue;
          log(`native: ${model} ...${rounds > 1 ? ` (round ${r + 1}/${rounds})` : ''}`);
          try {
            ours.set(model, [...(ours.get(model) ?? []), runModel(model, backend, steps, opts.warmup ?? 2, r === 0)]);
          } catch (e) {
            failed.set(model, errorRow(model, backend, e));
            continue;
          }
          torchOnce([model]);
        }
      }
      torchDone = true;
      for (const model of models) {
        const f = failed.get(model);
        if (f) { rows.push(f); continue; }
        const c = combineRounds(ours.get(model)!);
        rows.push({ ...c, imagesPerSec: (c.batch * 1000) / c.msMedian, gflopPerSec: c.gflopPerStep / (c.msMedian / 1000) });
      }
      continue;
    }
    for (const model of models) {
      if (backend === 'cpu' && model !== 'tiny') continue;
      log(`${backend}: ${model} ...`);
      const fast = model === 'tiny';
      try {
        rows.push(runModel(model, backend, fast ? steps : slow, opts.warmup ?? (fast ? 2 : 1)));
      } catch (e) {
        rows.push(errorRow(model, backend, e));
      }
    }
  }
  if (previous && tf.getBackend() !== previous) await tf.setBackend(previous);
  if (!torchDone) torchOnce(models);
  const mismatches: string[] = [];
  for (const model of models) {
    const tr = torchRounds.get(model);
    if (!tr) continue;
    const m = combineRounds(tr);
    const rest = rows.find((r) => r.model === model && !r.error);
    // Identity: the twin must have the same trainable parameters and forward multiply-adds per step.
    const bad = rest ? identityMismatches(model, rest, m) : [];
    for (const b of bad) log(`train-bench: error: ${b}`);
    mismatches.push(...bad);
    rows.push({
      model, backend: `torch ${torch.version}`, batch: m.batch, params: m.params, steps: m.steps,
      msMedian: m.msMedian, msMin: m.msMin, msMax: m.msMax, cpuMsPerStep: m.cpuMsPerStep, imagesPerSec: (m.batch * 1000) / m.msMedian,
      gflopPerStep: rest?.gflopPerStep ?? NaN, gflopPerSec: rest ? rest.gflopPerStep / (m.msMedian / 1000) : NaN,
      foreignCores: m.foreignCores, fwdImagesPerSec: m.fwdImagesPerSec, macsPerStep: m.macsPerStep, vsTorch: bad.length ? undefined : 1,
      ...(tr.length > 1 ? { roundMs: m.roundMs } : {}),
      ...(bad.length ? { error: bad.map((b) => b.replace(/^[^:]+: /, '')).join('; ') } : {}),
    });
    if (bad.length) continue;
    for (const r of rows) {
      if (r.model !== model || r.backend.startsWith('torch') || r.error) continue;
      if (r.roundMs && r.roundMs.length === m.roundMs.length) {
        const rr = roundRatios(r.roundMs, m.roundMs);
        r.vsTorch = rr.median;
        if (rr.ratios.length > 1) r.roundRatios = rr.ratios;
      } else r.vsTorch = r.msMedian / m.msMedian;
    }
  }
  for (const r of rows) if (r.roundMs && r.roundMs.length < 2) delete r.roundMs;
  rows.sort((a, b) => TRAIN_BENCH_MODELS.indexOf(a.model) - TRAIN_BENCH_MODELS.indexOf(b.model));
  return {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg1: loadavg()[0] },
    node: process.version, tfjs: tf.version.tfjs, threads, rounds, native: notes.native, torch, rows, mismatches, table: table(rows),
  };
}

function parseArgs(argv: string[]): TrainBenchOptions & { out: string } {
  const o: TrainBenchOptions & { out: string } = { out: 'bench-results/train-bench.json' };
  const int = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected an integer >= 1, got ${JSON.stringify(v)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--models') {
      const ms = (argv[++i] ?? '').split(',');
      for (const m of ms) if (!(TRAIN_BENCH_MODELS as readonly string[]).includes(m)) throw new Error(`--models: expected a list of ${TRAIN_BENCH_MODELS.join('|')}, got ${JSON.stringify(m)}`);
      o.models = ms as TrainBenchModel[];
    } else if (a === '--backends') {
      const bs = (argv[++i] ?? '').split(',');
      for (const b of bs) if (!['native', 'wasm', 'cpu'].includes(b)) throw new Error(`--backends: expected a list of native|wasm|cpu, got ${JSON.stringify(b)}`);
      o.backends = bs as TrainBenchBackend[];
    } else if (a === '--threads') o.threads = int(a, argv[++i]);
    else if (a === '--steps') o.steps = int(a, argv[++i]);
    else if (a === '--wasm-steps') o.slowSteps = int(a, argv[++i]);
    else if (a === '--warmup') o.warmup = int(a, argv[++i]);
    else if (a === '--rounds') o.rounds = int(a, argv[++i]);
    else if (a === '--no-torch') o.torch = false;
    else if (a === '--out') o.out = argv[++i];
    else throw new Error(`train-bench: unknown argument ${JSON.stringify(a)} (see the header of bench/train-bench.ts)`);
  }
  return o;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const res = await runTrainBench(o);
  console.log(res.table);
  console.log(`threads ${res.threads}; native: ${res.native?.ok ? `oneDNN ${res.native.info?.dnnlVersion} (${res.native.info?.isa})` : res.native?.reason ?? 'not tried'}; ` +
    `torch: ${res.torch.available ? `${res.torch.version}, ${res.torch.threads} threads` : res.torch.reason}; load average ${res.machine.loadavg1.toFixed(2)}`);
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, JSON.stringify(res, null, 2));
  console.error(`written: ${o.out}`);
  if (res.mismatches.length) {
    console.error(`train-bench: ${res.mismatches.length} identity mismatch(es) between TF.js and PyTorch:\n  ${res.mismatches.join('\n  ')}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
}
