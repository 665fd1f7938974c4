/**
 * Posterior-sampling benchmark of the mass-mapping cGAN (Whitney et al. 2024; rcGAN of Bendel
 * et al. 2023): the conditional U-Net generator built exactly as examples/mass-mapping-quick.yaml
 * configures `mass-mapping/rcgan` (the file is loaded and validated with core's loadExperiment,
 * so defaults and later edits of the example apply), on its 64x64 maps.
 *
 * 1. Posterior sampling: `drawPosteriorSamples` (plugins/mass-mapping/method/posterior.ts) draws
 *    N = `samples` (default 32) samples for each of `maps` (default 8) conditions, at the method's
 *    `sampleBatch` (64 by default), as the method's final evaluation does. Reported: seconds per
 *    posterior sample of generator wall time (the method's `secondsPerSample`), samples/s, and the
 *    wall time of one whole draw; median (and min/max) over `repeats` draws after one warm-up draw.
 * 2. One training step of the method (`trainSteps` timed after `trainWarmup`; 0 skips it): the
 *    B = train.batchSize maps observed with fresh shape noise and packed as conditions
 *    (forward model + packCondition, JavaScript), then `criticSteps` critic updates with the
 *    config's GAN loss through the gan plugin's shared `criticStep` (gradient penalty and drift
 *    term included), then one generator update with P samples per condition:
 *    L_G = rcGAN regulariser (the configured mass-mapping/rcgan-regulariser component) +
 *    β_adv·L_adv: the method's own `rcganTrainStep` (method/rcgan-step.ts). Reported:
 *    median ms per step and its condition-building part.
 * Conditions and training maps come from the config's simulator (test / train splits).
 * A measurement, not a test: nothing fails on a slow machine.
 *
 * Run: `node dist/bench/mass-mapping-posterior.bench.js` (prints JSON), or import
 * `runMassMappingPosteriorBench` (bench/run-all.ts: `node dist/bench/run-all.js mass-mapping-posterior`).
 */
import * as tf from '@tensorflow/tfjs';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  AdamOptimizer, ComponentFactory, createRegistry, loadExperiment, Rng, selectBackend, SgdOptimizer,
  type BackendRequest, type GanLoss, type OwnedOptimizer, type Simulator, type TrainConfig, type WeightDecay,
} from '../core/index.js';
import {
  buildConditionalCritic, buildConditionalGenerator, drawPosteriorSamples, RCGAN_DEFAULT_OPTIMIZER, rcganTrainStep, RcganRegulariser, type ShearForwardModel,
} from '../plugins/mass-mapping/index.js';
import { conditionChannels, packCondition, type ConditionSpec } from '../plugins/mass-mapping/method/condition.js';
import type { RcganOptionsT } from '../plugins/mass-mapping/method/rcgan-options.js';
import { median } from './median.js';

/** Options of {@link runMassMappingPosteriorBench}. */
export interface MassMappingPosteriorBenchOptions {
  /** tfjs backend request for core's selectBackend (default 'auto'; LENSFORGE_BACKEND overrides). */
  backend?: BackendRequest;
  /** Experiment file (default examples/mass-mapping-quick.yaml of this repository). */
  config?: string;
  /** Conditioning maps (default 8). */
  maps?: number;
  /** Posterior samples per map, N (default 32). */
  samples?: number;
  /** Timed posterior draws (default 5), after one untimed warm-up draw. */
  repeats?: number;
  /** Timed training steps (default 10; 0 skips the training part). */
  trainSteps?: number;
  /** Untimed training steps first (default 2). */
  trainWarmup?: number;
  /** Progress lines (default stderr). */
  log?: (line: string) => void;
}

/** Result of {@link runMassMappingPosteriorBench}. */
export interface MassMappingPosteriorBenchResult {
  backend: string;
  backendKind: string;
  /** $LENSFORGE_NATIVE_THREADS when set. */
  nativeThreads?: string;
  config: string;
  mapSize: number;
  conditionChannels: number;
  latentChannels: number;
  generatorParams: number;
  posterior: {
    maps: number;
    samplesPerMap: number;
    /** The method's sampleBatch: (map, sample) pairs per generator call. */
    sampleBatch: number;
    repeats: number;
    /** Generator wall time per posterior sample (median over repeats; the method's secondsPerSample). */
    secondsPerSample: number;
    secondsPerSampleMin: number;
    secondsPerSampleMax: number;
    samplesPerSec: number;
    /** Wall time of one whole draw of maps x samplesPerMap samples, including packing and copies (median). */
    secondsPerDraw: number;
  };
  train?: {
    batch: number;
    /** P, generator samples per condition (regulariser option `samples`). */
    samplesPerCondition: number;
    criticSteps: number;
    loss: string;
    criticParams: number;
    steps: number;
    warmup: number;
    msMedian: number;
    msMin: number;
    msMax: number;
    /** Median ms of the step's condition building (forward model + packCondition, JavaScript). */
    msConditionMedian: number;
    mapsPerSec: number;
  };
  /** Why the training part was skipped, when it was. */
  trainSkipped?: string;
  loadavg1: number;
}

const DEFAULT_CONFIG = fileURLToPath(new URL('../../examples/mass-mapping-quick.yaml', import.meta.url));

const round = (v: number, d: number): number => Math.round(v * 10 ** d) / 10 ** d;

function intAtLeast(v: number, min: number, field: string): number {
  if (!(Number.isInteger(v) && v >= min)) throw new Error(`${field}: expected an integer >= ${min}, got ${v}`);
  return v;
}

/** Pixel std of a set of maps (pooled), as the method's kappaScale 'auto'. */
function pixelStd(maps: Float32Array[]): number {
  let s = 0, ss = 0, k = 0;
  for (const m of maps) for (const v of m) { s += v; ss += v * v; k++; }
  const mu = s / k;
  return Math.sqrt(Math.max(0, ss / k - mu * mu));
}

/**
 * The optimizer the method builds for `network` (`train.optimizers.<network>`, else
 * `train.optimizer`, else the method's default), made directly with the core's SgdOptimizer /
 * AdamOptimizer at its base learning rate (the bench has no schedule); core/sgd and core/adam only.
 */
function benchOptimizer(train: TrainConfig, network: 'generator' | 'discriminator'): OwnedOptimizer {
  const path = train.optimizers[network] ? `train.optimizers.${network}` : train.optimizer ? 'train.optimizer' : 'the method default';
  const raw = train.optimizers[network] ?? train.optimizer ?? RCGAN_DEFAULT_OPTIMIZER;
  const o = (typeof raw === 'string' ? { use: raw } : raw) as Record<string, unknown>;
  const num = (k: string, d: number): number => (typeof o[k] === 'number' ? o[k] as number : d);
  const w = o.weightDecay as number | { value: number; mode?: WeightDecay['mode']; applyTo?: WeightDecay['applyTo'] } | undefined;
  const wd: WeightDecay = typeof w === 'object' ? { value: w.value, mode: w.mode ?? 'coupled', applyTo: w.applyTo ?? 'all' } : { value: w ?? 0, mode: 'coupled', applyTo: 'all' };
  const lr = (l: number): number => (o.scaleLrByBatch === true ? (l * train.batchSize) / 256 : l);
  if (o.use === 'core/adam') return new AdamOptimizer(lr(num('lr', 1e-3)), num('beta1', 0.9), num('beta2', 0.999), num('epsilon', 1e-7), wd);
  if (o.use === 'core/sgd') return new SgdOptimizer(lr(num('lr', 0.03)), num('momentum', 0.9), o.nesterov === true, wd);
  throw new Error(`${path}: this bench builds core/sgd or core/adam, got ${String(o.use)}`);
}

/**
 * Times posterior sampling (and, unless trainSteps is 0, one training step) of the
 * mass-mapping/rcgan generator configured by `config`; see the module comment. Restores the
 * previously active backend; disposes every model, optimizer and tensor it creates.
 */
export async function runMassMappingPosteriorBench(opts: MassMappingPosteriorBenchOptions = {}): Promise<MassMappingPosteriorBenchResult> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const nMaps = intAtLeast(opts.maps ?? 8, 1, 'maps');
  const N = intAtLeast(opts.samples ?? 32, 1, 'samples');
  const repeats = intAtLeast(opts.repeats ?? 5, 1, 'repeats');
  const trainSteps = intAtLeast(opts.trainSteps ?? 10, 0, 'trainSteps');
  const trainWarmup = intAtLeast(opts.trainWarmup ?? 2, 0, 'trainWarmup');
  const configPath = opts.config ?? DEFAULT_CONFIG;

  const previous = tf.engine().backendName ?? null;
  const sel = await selectBackend(opts.backend ?? 'auto');
  const backend = tf.getBackend();
  log(`mass-mapping-posterior: backend ${backend} (${sel.kind}), config ${configPath}`);
  const registry = await createRegistry();
  const exp = await loadExperiment(configPath, registry);
  if (exp.components.method.component.name !== 'mass-mapping/rcgan') {
    throw new Error(`config: expected model.method "mass-mapping/rcgan", got "${exp.components.method.component.name}"`);
  }
  const o = exp.components.method.options as RcganOptionsT;
  const train = exp.config.train;
  const factory = new ComponentFactory(registry, Rng.fromSeed(exp.config.seed));
  const data = factory.build<Simulator>(exp.components.data);
  const methodPath = exp.components.method.path;
  const forward = factory.create<ShearForwardModel>('augmenter', o.forward, `${methodPath}.forward`);
  const reg = factory.create<RcganRegulariser>('loss', o.regulariser, `${methodPath}.regulariser`);
  const adv = exp.components.loss ? factory.build<GanLoss>(exp.components.loss) : factory.create<GanLoss>('loss', 'gan/wgan-gp', 'loss');
  const rng = Rng.fromSeed(exp.config.seed).derive('mass-mapping-posterior-bench');

  const n = data.imageShape[0];
  const spec: ConditionSpec = { mode: o.condition, smoothScales: o.conditionSmoothing };
  const mask = forward.mask(n);
  const C = conditionChannels(spec, mask !== undefined);
  const zc = o.generator.latentChannels;
  const nTrain = Math.min(train.trainSize, data.size);
  const trainMaps = Array.from({ length: Math.min(64, nTrain) }, (_, i) => data.sample(i, 'train').image);
  const scale = o.kappaScale === 'auto' ? pixelStd(trainMaps) : o.kappaScale;
  const conds = Array.from({ length: nMaps }, (_, i) =>
    packCondition(forward.observe(data.sample(i, 'test').image, n, rng.derive(`test-noise:${i}`)), n, spec, mask, scale));

  const before = tf.memory().numTensors;
  const G = buildConditionalGenerator({ size: n, condChannels: C, ...o.generator, rng: rng.derive('generator') });
  if (o.generator.outputInitScale !== 1) {
    const out = G.getLayer('generator_out_conv');
    const scaled = tf.tidy(() => out.getWeights().map((w) => tf.mul(w, o.generator.outputInitScale)));
    out.setWeights(scaled); // the variables take their own reference (Variable.assign)
    tf.dispose(scaled);
  }
  const result: MassMappingPosteriorBenchResult = {
    backend, backendKind: sel.kind, config: configPath, mapSize: n, conditionChannels: C, latentChannels: zc,
    generatorParams: G.countParams(),
    posterior: {
      maps: nMaps, samplesPerMap: N, sampleBatch: o.sampleBatch, repeats,
      secondsPerSample: NaN, secondsPerSampleMin: NaN, secondsPerSampleMax: NaN, samplesPerSec: NaN, secondsPerDraw: NaN,
    },
    loadavg1: NaN,
  };
  if (process.env.LENSFORGE_NATIVE_THREADS) result.nativeThreads = process.env.LENSFORGE_NATIVE_THREADS;
  let D: tf.LayersModel | undefined;
  const optimizers: tf.Optimizer[] = [];
  try {
    // 1. Posterior sampling.
    log(`mass-mapping-posterior: ${nMaps} maps x ${N} samples at batch ${o.sampleBatch}, 1 warm-up + ${repeats} draws ...`);
    drawPosteriorSamples(G, conds, n, C, zc, N, scale, rng.derive('warm-up'), o.sampleBatch);
    const perSample: number[] = [], perDraw: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      const { seconds } = drawPosteriorSamples(G, conds, n, C, zc, N, scale, rng.derive(`posterior:${r}`), o.sampleBatch);
      perDraw.push((performance.now() - t0) / 1000);
      perSample.push(seconds / (nMaps * N));
    }
    const sps = median(perSample);
    Object.assign(result.posterior, {
      secondsPerSample: round(sps, 6), secondsPerSampleMin: round(Math.min(...perSample), 6), secondsPerSampleMax: round(Math.max(...perSample), 6),
      samplesPerSec: round(1 / sps, 1), secondsPerDraw: round(median(perDraw), 3),
    });
    log(`mass-mapping-posterior: ${(sps * 1000).toFixed(2)} ms per posterior sample (${(1 / sps).toFixed(1)} samples/s)`);

    // 2. One training step: the method's own rcganTrainStep (without the learning-rate schedule).
    if (trainSteps === 0) result.trainSkipped = 'trainSteps: 0';
    else {
      const B = train.batchSize, P = reg.samples;
      D = buildConditionalCritic({ size: n, condChannels: C, baseFilters: o.critic.baseFilters, rng: rng.derive('critic') });
      const optG = benchOptimizer(train, 'generator'), optD = benchOptimizer(train, 'discriminator');
      optimizers.push(optG, optD);
      const critD = D;
      const setup = { G, D: critD, optG, optD, adv, reg, forward, spec, n, C, zc, scale, criticSteps: o.criticSteps, driftWeight: o.driftWeight, betaAdv: o.betaAdv };
      const step = (s: number): { ms: number; condMs: number } => {
        const kappas = Array.from({ length: B }, (_, b) => trainMaps[(s * B + b) % trainMaps.length]);
        const t0 = performance.now();
        const r = rcganTrainStep(setup, kappas, { noise: rng.derive(`noise:${s}`), latent: rng.derive(`latent:${s}`), gp: rng.derive(`gp:${s}`) });
        return { ms: performance.now() - t0, condMs: r.conditionMs };
      };
      log(`mass-mapping-posterior: training step (batch ${B}, P = ${P}): ${trainWarmup} warm-up + ${trainSteps} timed steps ...`);
      for (let s = 0; s < trainWarmup; s++) step(s);
      const times: { ms: number; condMs: number }[] = [];
      for (let s = 0; s < trainSteps; s++) times.push(step(trainWarmup + s));
      const ms = times.map((t) => t.ms);
      const med = median(ms);
      result.train = {
        batch: B, samplesPerCondition: P, criticSteps: o.criticSteps, loss: exp.components.loss?.component.name ?? 'gan/wgan-gp',
        criticParams: critD.countParams(), steps: trainSteps, warmup: trainWarmup,
        msMedian: round(med, 1), msMin: round(Math.min(...ms), 1), msMax: round(Math.max(...ms), 1),
        msConditionMedian: round(median(times.map((t) => t.condMs)), 1), mapsPerSec: round((B * 1000) / med, 2),
      };
      log(`mass-mapping-posterior: ${result.train.msMedian} ms per training step (conditions ${result.train.msConditionMedian} ms)`);
    }
  } finally {
    G.dispose();
    D?.dispose();
    for (const opt of optimizers) opt.dispose();
  }
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) log(`mass-mapping-posterior: warning: ${leaked} tensors left after the benchmark`);
  if (previous && tf.getBackend() !== previous) await tf.setBackend(previous);
  result.loadavg1 = round(loadavg()[0], 2);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (flag: string): string | undefined => { const i = process.argv.indexOf(flag); return i >= 0 ? process.argv[i + 1] : undefined; };
  const num = (flag: string): number | undefined => (arg(flag) === undefined ? undefined : Number(arg(flag)));
  runMassMappingPosteriorBench({
    backend: arg('--backend') as BackendRequest | undefined, config: arg('--config'),
    maps: num('--maps'), samples: num('--samples'), repeats: num('--repeats'), trainSteps: num('--train-steps'), trainWarmup: num('--train-warmup'),
  }).then((r) => console.log(JSON.stringify(r, null, 2))).catch((e) => { console.error(e); process.exit(1); });
}
