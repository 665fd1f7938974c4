/**
 * Options of the `band-pretext/richness` method (Liang et al. 2021). Defaults follow the paper
 * where it states them (ResNet-18, 1x1 conv, FC 512, Table S2 head, SGD lr 1e-4 momentum 0.9
 * for pre-training (`pretext.optimizer`, an optimizer component), 100 pre-training epochs, a 4:1 cluster-level split); quick presets shrink them.
 */
import { componentRef, z } from '../../../core/index.js';

export const PRETRAIN_TASKS = ['band', 'channel-order', 'none'] as const;
export type PretrainTask = (typeof PRETRAIN_TASKS)[number];

export const ExtractorOptions = z.strictObject({
  depth: z.literal([18, 34, 50, 101]).default(18).describe('ResNet depth (paper: 18)'),
  width: z.number().int().min(1).max(256).default(64).describe('ResNet base width (64 = torchvision ResNet-18)'),
  stem: z.enum(['imagenet', 'cifar', 'stride2']).default('imagenet').describe('ResNet stem; stride2 for small images'),
  projChannels: z.number().int().min(0).default(0).describe('channels of the 1x1 conv before pooling (0 = as the trunk, 8 x width)'),
  featureDim: z.number().int().min(5).default(512).describe('units of the FC layer after pooling (paper: 512)'),
});

export const HeadOptions = z.strictObject({
  conv2Filters: z.number().int().min(1).default(16).describe('Table S2 Conv2 filters'),
  conv3Filters: z.number().int().min(1).default(64).describe('Table S2 Conv3 filters'),
  fc: z.array(z.number().int().min(1)).default([1024, 512]).describe('Table S2 hidden FC widths (FC3 = 1 follows)'),
});

export const PretextOptions = z.strictObject({
  epochs: z.number().int().min(0).default(100).describe('pre-training epochs (paper: 100)'),
  stepsPerEpoch: z.number().int().min(1).default(100).describe('optimisation steps per pre-training epoch'),
  batchSize: z.number().int().min(1).default(64).describe('single-band images (band task) or clusters (channel order) per step'),
  optimizer: z.union([z.enum(['sgd', 'adam']), componentRef('optimizer')]).optional()
    .describe('the pre-training optimizer component (default { use: core/sgd, lr: 1e-4, momentum: 0.9 }, the paper\'s); the names sgd / adam are the shorthand read with lr, momentum, weightDecay'),
  lr: z.number().positive().optional().describe('shorthand only (with optimizer: sgd | adam): learning rate (default 1e-4)'),
  momentum: z.number().min(0).lt(1).optional().describe('shorthand only: SGD momentum (default 0.9)'),
  weightDecay: z.number().min(0).optional().describe('shorthand only: coupled weight decay on the kernels (default 0)'),
  schedule: z.union([z.enum(['cosine', 'constant']), componentRef('schedule')]).default({ use: 'core/constant' })
    .describe('the pre-training learning-rate schedule component (cosine / constant = core/cosine / core/constant)'),
  evalImages: z.number().int().min(1).default(400).describe('held-out clusters used to measure pretext accuracy (x5 images for the band task)'),
});

export const RichnessOptions = z.strictObject({
  pretrain: z.enum(PRETRAIN_TASKS).default('band')
    .describe("'band': optical-band classification (Ours); 'channel-order': predict the channel permutation (supplement S1); 'none': from scratch (Base)"),
  labelFraction: z.number().gt(0).max(1).default(1).describe('fraction of the training clusters whose richness is used (the label-fraction study)'),
  target: z.string().default('lambda').describe('label to regress'),
  poolSize: z.number().int().min(10).default(4000).describe("observations of the simulator's train split forming the catalogue (train + test)"),
  testFraction: z.number().gt(0).lt(1).default(0.2).describe('fraction of clusters held out for testing (paper: 4:1)'),
  softening: z.number().positive().default(0.1).describe('asinh stretch: inputs are asinh(image / softening)'),
  normalizeTarget: z.boolean().default(true).describe('regress (y - mean) / std of the labelled subset; metrics are in the target units'),
  validationFraction: z.number().min(0).lt(1).default(0)
    .describe('fraction of the labelled clusters held out to validate the richness phase (val_mae each epoch, for train.earlyStopping); 0 = none'),
  freezeExtractor: z.boolean().default(false).describe('keep the (pre-trained) extractor fixed during richness training'),
  extractor: ExtractorOptions.prefault({}),
  head: HeadOptions.prefault({}),
  pretext: PretextOptions.prefault({}),
  evalBatchSize: z.number().int().min(1).default(64).describe('clusters per forward pass when evaluating'),
  occlusion: componentRef('analysis').nullable().default(null).describe("occlusion analysis of the band classifier (e.g. 'band-pretext/occlusion'); null = none"),
  occlusionImages: z.number().int().min(1).max(32).default(4).describe('held-out single-band images in the occlusion figure'),
  pretrainCacheDir: z.string().nullable().default(null)
    .describe('share pre-trained extractors between runs (e.g. the variants of a bench): a folder, relative to the run directory; null = pre-train in every run'),
});

export type RichnessConfig = z.output<typeof RichnessOptions>;
