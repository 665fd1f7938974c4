import { componentRef, z } from '../../../core/index.js';

/** Options of the `mass-mapping/rcgan` method (defaults: the quick 64x64 CPU setting). */
export const RcganOptions = z.strictObject({
  forward: componentRef('augmenter', 'mass-mapping/shear-forward').describe('forward model κ → noisy shear (component)'),
  regulariser: componentRef('loss', 'mass-mapping/rcgan-regulariser').describe('rcGAN regulariser component (P, β_SD, auto-tuning)'),
  condition: z.enum(['ks', 'shear']).default('ks').describe("what G and D are conditioned on: 'ks' = unsmoothed Kaiser-Squires E/B modes of γ (same information, local for the U-Net), 'shear' = γ1, γ2"),
  conditionSmoothing: z.array(z.number().positive()).default([2, 4]).describe("condition 'ks' only: extra channels with the E mode smoothed at these Gaussian σ (pixels)"),
  generator: z.strictObject({
    baseFilters: z.number().int().min(1).default(32).describe('U-Net first-level filters'),
    levels: z.number().int().min(1).max(6).default(4).describe('encoder/decoder levels (paper: 4)'),
    residualBlocks: z.number().int().min(0).default(5).describe('residual blocks at the bottleneck (paper: 5)'),
    latentChannels: z.number().int().min(1).default(2).describe('latent z channels appended to the shear'),
    batchNorm: z.boolean().default(true).describe('batch norm in the U-Net'),
    outputInitScale: z.number().min(0).default(0.1).describe('factor on the initial weights of the output convolution (G starts near κ = 0)'),
  }).prefault({}),
  critic: z.strictObject({
    baseFilters: z.number().int().min(1).default(16).describe('filters of the first of the 6 conv layers'),
  }).prefault({}),
  betaAdv: z.number().min(0).default(0.03).describe('β_adv, weight of the adversarial term in the generator loss. The SD reward is unbounded in the spread; only the critic bounds it, and a 1-Lipschitz critic pushes each pixel by ~β_adv/n, so a too-small β_adv (1e-3 at 64x64) lets the spread and the critic blow up'),
  driftWeight: z.number().min(0).default(1e-3).describe('ε_drift·E[D(x)²] added to the critic loss (Karras et al. 2018; rcGAN code)'),
  criticSteps: z.number().int().min(1).default(1).describe('critic updates per generator update'),
  kappaScale: z.union([z.literal('auto'), z.number().positive()]).default('auto').describe("s: networks see κ/s and γ/s; 'auto' = pixel std of up to 64 training maps"),
  valSize: z.number().int().min(1).default(16).describe('validation maps (split "val"): β_SD tuning, KS smoothing choice, per-epoch monitor'),
  testSize: z.number().int().min(1).default(64).describe('held-out maps (split "test") for the final metrics'),
  posteriorSamples: z.number().int().min(2).default(32).describe('N, posterior samples per test map (mean and std)'),
  sweep: z.array(z.number().int().min(1)).default([1, 2, 4, 8, 16, 32]).describe('numbers of samples for the posterior-mean sweep ("Changing N")'),
  ksSmoothing: z.union([z.literal('auto'), z.number().min(0)]).default('auto').describe("Gaussian σ (pixels) of the KS baseline; 'auto' = RMSE-optimal on the validation maps"),
  wienerMaps: z.number().int().min(0).default(512).describe('training maps whose mean mode power S(k) is the prior of the Wiener-filter baseline (estimator "wf"; unmasked fields only); 0 = no Wiener baseline'),
  sampleBatch: z.number().int().min(1).default(64).describe('generator batch when drawing posterior samples'),
  panelMaps: z.number().int().min(0).default(3).describe('rows of the truth | KS | mean | std | error panel'),
});
export type RcganOptionsT = z.output<typeof RcganOptions>;
