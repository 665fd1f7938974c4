/**
 * The train-bench models of the plugins' quick presets, built by the plugins' own builders and
 * trained by the plugins' own step code (bench/train-bench.ts; issue 15, item 3):
 * - `gan-quick`: examples/cosmogan-quick.yaml (gan/dcgan, preset quick): the gan plugin's
 *   generator (VBN with its fixed reference latents) and discriminator (minibatch
 *   discrimination), `dcganStep` (dSteps D updates on fresh real batches and latents, one G
 *   update; G always runs its reference rows) with the config's loss (gan/hinge) and Adams;
 * - `rcgan-quick`: examples/mass-mapping-quick.yaml (mass-mapping/rcgan): the conditional U-Net
 *   generator and the conditional critic, `rcganTrainStep` (critic: WGAN-GP with its gradient
 *   penalty and the drift term; generator: P samples per condition, rcGAN regulariser +
 *   β_adv·adversarial term). The step's host-side conditioning (shape noise and Kaiser-Squires
 *   condition in JS) is reported separately and excluded from ms/step: the PyTorch twin feeds
 *   ready conditions;
 * - `band-pretext-quick`: examples/band-pretext-quick.yaml (band-pretext/richness): one
 *   fine-tuning step of the richness branch (the 5 bands of each cluster through the shared
 *   extractor, the Table S2 head, the config's mse-std loss; extractor not frozen);
 * - `band-pretext-pretext`: one band-classification pre-training step of the same extractor
 *   (`buildPretextModel('band')`: FC to 5 logits, softmax cross-entropy) at the pretext batch.
 * Every setting (sizes, batches, networks, losses, optimizers) is read from the example YAML
 * with the plugins' option schemas; `pluginSpec` returns those settings as plain numbers, which
 * bench/torch_reference.py receives to build its twins.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdamOptimizer, LensforgeError, readConfigFile, trainableVariables, Rng } from '../core/index.js';
import {
  DcganOptions, HingeLoss, WganGpLoss, WganGpOptions, buildDcganDiscriminator, buildDcganGenerator, dcganStep, resolveArchitecture,
  type DcganDiscriminatorConfig, type DcganGeneratorConfig,
} from '../plugins/gan/index.js';
import {
  RcganOptions, RcganRegulariser, RcganRegulariserOptions, ShearForwardModel, ShearForwardOptions, buildConditionalCritic,
  buildConditionalGenerator, conditionChannels, rcganTrainStep, type ConditionSpec,
} from '../plugins/mass-mapping/index.js';
import {
  MseStdLoss, N_BANDS, RichnessOptions, buildBandExtractor, buildPretextModel, buildRichnessHead, extractPerBand, featuresToHeadInput,
} from '../plugins/band-pretext/index.js';
import { forwardMacs, trainableCount, type Trainer } from './train-bench-counting.js';

export const PLUGIN_BENCH_MODELS = ['gan-quick', 'rcgan-quick', 'band-pretext-quick', 'band-pretext-pretext'] as const;
export type PluginBenchModel = (typeof PLUGIN_BENCH_MODELS)[number];

/** The example preset each plugin model follows. */
export const PLUGIN_PRESET_FILES: Record<PluginBenchModel, string> = {
  'gan-quick': 'cosmogan-quick.yaml', 'rcgan-quick': 'mass-mapping-quick.yaml',
  'band-pretext-quick': 'band-pretext-quick.yaml', 'band-pretext-pretext': 'band-pretext-quick.yaml',
};

/** Adam settings (core/adam without weight decay). */
export interface AdamSpec { lr: number; beta1: number; beta2: number; epsilon: number }

export interface GanQuickSpec {
  model: 'gan-quick'; size: number; batch: number; dSteps: number; loss: 'gan/hinge';
  generator: DcganGeneratorConfig; discriminator: DcganDiscriminatorConfig; adamG: AdamSpec; adamD: AdamSpec;
}
export interface RcganQuickSpec {
  model: 'rcgan-quick'; size: number; batch: number; condChannels: number; loss: 'gan/wgan-gp'; gpWeight: number; gpCenter: number;
  generator: { baseFilters: number; levels: number; residualBlocks: number; latentChannels: number; batchNorm: boolean };
  critic: { baseFilters: number }; samples: number; betaSD: number; betaAdv: number; driftWeight: number; criticSteps: number; adam: AdamSpec;
}
export interface BandPretextSpec {
  model: 'band-pretext-quick' | 'band-pretext-pretext'; size: number; bands: number;
  /** Clusters per fine-tuning step (band-pretext-quick) or single-band images per pre-training step (band-pretext-pretext). */
  batch: number;
  extractor: { depth: number; width: number; stem: string; projChannels: number; featureDim: number };
  head: { conv2Filters: number; conv3Filters: number; fc: number[] };
  /** mse-std loss (fine-tuning only). */
  alpha: number; ddof: 0 | 1; adam: AdamSpec;
}
export type PluginSpec = GanQuickSpec | RcganQuickSpec | BandPretextSpec;

type Raw = Record<string, unknown>;
const obj = (v: unknown, path: string, file: string): Raw => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new LensforgeError(`${file}: ${path}: expected a mapping, got ${JSON.stringify(v)}`);
  return v as Raw;
};
const withoutUse = (v: Raw): Raw => Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'use'));

/** The examples folder (repository root/examples) seen from dist/bench or bench. */
export function examplesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const d of [join(here, '..', '..', 'examples'), join(here, '..', 'examples')]) if (existsSync(join(d, 'cosmogan-quick.yaml'))) return d;
  throw new LensforgeError(`train-bench: examples/: not found next to ${here} (expected the repository's examples folder with cosmogan-quick.yaml)`);
}

function readPreset(model: PluginBenchModel): { raw: Raw; file: string } {
  const file = join(examplesDir(), PLUGIN_PRESET_FILES[model]);
  return { raw: readConfigFile(file), file: PLUGIN_PRESET_FILES[model] };
}

/** core/adam settings of an optimizer spec at `path`; anything else (or weight decay) is rejected, naming the field. */
export function adamOf(spec: unknown, path: string, file: string): AdamSpec {
  const s = obj(spec, path, file);
  if (s.use !== 'core/adam') throw new LensforgeError(`${file}: ${path}.use: the bench's PyTorch twin uses Adam; expected 'core/adam', got ${JSON.stringify(s.use)}`);
  const wd = s.weightDecay ?? 0;
  if (wd !== 0) throw new LensforgeError(`${file}: ${path}.weightDecay: the bench's PyTorch twin uses plain Adam; expected 0, got ${JSON.stringify(wd)}`);
  const num = (k: string, d?: number): number => {
    const v = s[k] ?? d;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new LensforgeError(`${file}: ${path}.${k}: expected a number, got ${JSON.stringify(s[k])}`);
    return v;
  };
  return { lr: num('lr'), beta1: num('beta1', 0.9), beta2: num('beta2', 0.999), epsilon: num('epsilon', 1e-7) };
}

function lossUse(raw: Raw, file: string, want: string): Raw {
  const l = obj(raw.loss, 'loss', file);
  if (l.use !== want) throw new LensforgeError(`${file}: loss.use: the bench's PyTorch twin implements ${want}; expected '${want}', got ${JSON.stringify(l.use)}`);
  return l;
}

/** The settings of a plugin model, read from its example preset (see the module comment). */
export function pluginSpec(model: PluginBenchModel): PluginSpec {
  const { raw, file } = readPreset(model);
  const data = obj(raw.data, 'data', file), train = obj(raw.train, 'train', file);
  const method = withoutUse(obj(obj(raw.model, 'model', file).method, 'model.method', file));
  const size = data.size as number, batch = train.batchSize as number;
  if (model === 'gan-quick') {
    lossUse(raw, file, 'gan/hinge');
    const o = DcganOptions.parse(method);
    const arch = resolveArchitecture(o, [size, size, 1]);
    const opts = obj(train.optimizers, 'train.optimizers', file);
    return {
      model, size, batch, dSteps: o.dSteps, loss: 'gan/hinge', generator: arch.generator, discriminator: arch.discriminator,
      adamG: adamOf(opts.generator, 'train.optimizers.generator', file), adamD: adamOf(opts.discriminator, 'train.optimizers.discriminator', file),
    };
  }
  if (model === 'rcgan-quick') {
    const l = lossUse(raw, file, 'gan/wgan-gp');
    const gp = WganGpOptions.parse(withoutUse(l));
    const o = RcganOptions.parse(method);
    const reg = RcganRegulariserOptions.parse(withoutUse(o.regulariser as Raw));
    const forward = new ShearForwardModel(ShearForwardOptions.parse(withoutUse(o.forward as Raw)), Rng.fromSeed(1));
    const spec: ConditionSpec = { mode: o.condition, smoothScales: o.conditionSmoothing };
    const g = o.generator;
    return {
      model, size, batch, condChannels: conditionChannels(spec, forward.mask(size) !== undefined), loss: 'gan/wgan-gp', gpWeight: gp.weight, gpCenter: gp.center,
      generator: { baseFilters: g.baseFilters, levels: g.levels, residualBlocks: g.residualBlocks, latentChannels: g.latentChannels, batchNorm: g.batchNorm },
      critic: { baseFilters: o.critic.baseFilters }, samples: reg.samples, betaSD: reg.betaSD, betaAdv: o.betaAdv, driftWeight: o.driftWeight,
      criticSteps: o.criticSteps, adam: adamOf(train.optimizer, 'train.optimizer', file),
    };
  }
  const o = RichnessOptions.parse(method);
  const e = o.extractor;
  const extractor = { depth: e.depth, width: e.width, stem: e.stem, projChannels: e.projChannels || 8 * e.width, featureDim: e.featureDim };
  if (e.depth !== 18) throw new LensforgeError(`${file}: model.method.extractor.depth: the bench's PyTorch twin is a ResNet-18; expected 18, got ${e.depth}`);
  const head = { conv2Filters: o.head.conv2Filters, conv3Filters: o.head.conv3Filters, fc: o.head.fc };
  if (model === 'band-pretext-quick') {
    const l = lossUse(raw, file, 'band-pretext/mse-std');
    return {
      model, size, bands: N_BANDS, batch, extractor, head, alpha: (l.alpha as number | undefined) ?? 1, ddof: (l.ddof as 0 | 1 | undefined) ?? 1,
      adam: adamOf(train.optimizer, 'train.optimizer', file),
    };
  }
  if (o.pretrain !== 'band') throw new LensforgeError(`${file}: model.method.pretrain: band-pretext-pretext benchmarks the band task; expected 'band', got '${o.pretrain}'`);
  return {
    model, size, bands: N_BANDS, batch: o.pretext.batchSize, extractor, head, alpha: 0, ddof: 1,
    adam: adamOf(o.pretext.optimizer, 'model.method.pretext.optimizer', file),
  };
}

const adam = (a: AdamSpec): AdamOptimizer => new AdamOptimizer(a.lr, a.beta1, a.beta2, a.epsilon);

function buildGanQuick(s: GanQuickSpec, rng: Rng): Trainer {
  const G = buildDcganGenerator(s.generator, rng.derive('generator'));
  const D = buildDcganDiscriminator(s.discriminator, rng.derive('discriminator'));
  const optG = adam(s.adamG), optD = adam(s.adamD);
  const loss = new HingeLoss();
  const n = s.size, latentDim = s.generator.latentDim, B = s.batch;
  const realBuf = Float32Array.from(rng.derive('real').normalArray(B * n * n), (v) => Math.tanh(v));
  const latent = rng.derive('latent'), gpRng = rng.derive('gradient-penalty');
  const m = s.generator.norm === 'vbn' ? s.generator.referenceSize : 0;
  return {
    step: () => {
      dcganStep({
        G, D, optG, optD, gpRng, batch: B, dSteps: s.dSteps,
        realBatch: () => tf.tensor4d(realBuf, [B, n, n, 1]),
        latents: (k) => tf.tensor2d(latent.normalArray(k * latentDim), [k, latentDim]),
      }, loss);
    },
    params: trainableCount([G.model, D]),
    // per D update: G on B + m rows, D on real and fake; the G update: G (B + m rows) and D.
    macsPerStep: (s.dSteps + 1) * (B + m) * forwardMacs(G.model) + (2 * s.dSteps + 1) * B * forwardMacs(D),
    dispose: () => { G.dispose(); D.dispose(); optG.dispose(); optD.dispose(); },
  };
}

function buildRcganQuick(s: RcganQuickSpec, rng: Rng): Trainer {
  const { raw, file } = readPreset('rcgan-quick');
  const o = RcganOptions.parse(withoutUse(obj(obj(raw.model, 'model', file).method, 'model.method', file)));
  const forward = new ShearForwardModel(ShearForwardOptions.parse(withoutUse(o.forward as Raw)), rng.derive('forward'));
  const reg = new RcganRegulariser(RcganRegulariserOptions.parse({ ...withoutUse(o.regulariser as Raw), betaSD: s.betaSD }));
  const adv = new WganGpLoss(WganGpOptions.parse({ weight: s.gpWeight, center: s.gpCenter }));
  const n = s.size, B = s.batch, C = s.condChannels;
  const G = buildConditionalGenerator({ size: n, condChannels: C, ...s.generator, rng: rng.derive('generator') });
  const D = buildConditionalCritic({ size: n, condChannels: C, baseFilters: s.critic.baseFilters, rng: rng.derive('critic') });
  const optG = adam(s.adam), optD = adam(s.adam);
  // κ maps of realistic amplitude (the step's cost does not depend on the values); s = their pixel std.
  const kr = rng.derive('kappa');
  const kappas = Array.from({ length: B }, () => Float32Array.from(kr.normalArray(n * n), (v) => 0.02 * v));
  const spec: ConditionSpec = { mode: o.condition, smoothScales: o.conditionSmoothing };
  let k = 0;
  return {
    step: () => {
      const r = rcganTrainStep({ G, D, optG, optD, adv, reg, forward, spec, n, C, zc: s.generator.latentChannels, scale: 0.02,
        criticSteps: s.criticSteps, driftWeight: s.driftWeight, betaAdv: s.betaAdv },
      kappas, { noise: rng.derive(`noise:${k}`), latent: rng.derive(`latent:${k}`), gp: rng.derive(`gp:${k++}`) });
      return r.conditionMs;
    },
    params: trainableCount([G, D]),
    // per critic update: G on B rows, D on real, fake and the GP interpolates; the G update: G and D on P·B rows.
    macsPerStep: s.criticSteps * B * (forwardMacs(G) + 3 * forwardMacs(D)) + s.samples * B * (forwardMacs(G) + forwardMacs(D)),
    dispose: () => { G.dispose(); D.dispose(); optG.dispose(); optD.dispose(); },
  };
}

function buildBandPretext(s: BandPretextSpec, rng: Rng): Trainer {
  const { size: S, bands: C, batch: B } = s;
  const net = buildBandExtractor({ ...s.extractor, depth: 18, stem: s.extractor.stem as 'stride2', inputSize: S, rng: rng.derive('extractor') });
  const extractor = net.model;
  const opt = adam(s.adam);
  const rnd = rng.derive('data');
  if (s.model === 'band-pretext-quick') {
    const head = buildRichnessHead({ featureDim: net.featureDim, bands: C, ...s.head, rng: rng.derive('head') });
    const loss = new MseStdLoss({ alpha: s.alpha, ddof: s.ddof });
    const vars = trainableVariables(extractor, head);
    const x = tf.tensor4d(rnd.normalArray(B * S * S * C), [B, S, S, C]);
    const y = tf.tensor2d(rnd.normalArray(B), [B, 1]);
    return {
      step: () => {
        // richness-phase.ts, step (extractor fine-tuned): head(stack(extractor(each band))) against the normalised targets
        const cost = opt.minimize(() => loss.compute(y, head.apply(featuresToHeadInput(extractPerBand(extractor, x, true)), { training: true }) as tf.Tensor2D), true, vars);
        cost?.dataSync();
        cost?.dispose();
      },
      params: trainableCount([extractor, head]),
      macsPerStep: B * (C * forwardMacs(extractor) + forwardMacs(head)),
      dispose: () => { tf.dispose([x, y]); opt.dispose(); extractor.dispose(); head.dispose(); },
    };
  }
  const pm = buildPretextModel('band', extractor, net.featureDim, C, rng, 'model.method');
  const vars = trainableVariables(extractor, pm.head);
  const x = tf.tensor4d(rnd.normalArray(B * S * S), [B, S, S, 1]);
  const labelIds = Array.from({ length: B }, () => rnd.int(0, C));
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d(labelIds, 'int32'), C));
  return {
    step: () => {
      // pretext-phase.ts, trainPretext's step: softmax cross-entropy of the band logits of single-band images
      const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(labels, pm.logits(x, true)) as tf.Scalar, true, vars);
      cost?.dataSync();
      cost?.dispose();
    },
    params: trainableCount([extractor, pm.head]),
    macsPerStep: B * (forwardMacs(extractor) + forwardMacs(pm.head)),
    dispose: () => { tf.dispose([x, labels]); opt.dispose(); extractor.dispose(); pm.head.dispose(); },
  };
}

/** Builds a plugin model's trainer from its spec (see the module comment). */
export function buildPluginTrainer(s: PluginSpec, rng: Rng): Trainer {
  switch (s.model) {
    case 'gan-quick': return buildGanQuick(s, rng);
    case 'rcgan-quick': return buildRcganQuick(s, rng);
    default: return buildBandPretext(s, rng);
  }
}
