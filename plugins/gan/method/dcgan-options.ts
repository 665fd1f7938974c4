import { componentRef, z } from '../../../core/index.js';
import { PixelTransformSchema } from './pixel-transform.js';
import { RemovedAdamOption } from './removed-adam-option.js';

const posInt = () => z.number().int().min(1);

/** Generator fields that override the preset (all optional). */
export const GeneratorOverrides = z.strictObject({
  latentDim: posInt().optional().describe('latent dimension (paper: 64)'),
  channels: z.array(posInt()).min(1).optional().describe('channels after the dense layer and each hidden transposed conv'),
  norm: z.enum(['vbn', 'bn', 'none']).optional().describe('virtual batch norm, batch norm or none'),
  referenceSize: posInt().optional().describe('VBN reference batch size m'),
  vbnStatistics: z.enum(['per-example', 'batch']).optional().describe('VBN: reference + each example (Salimans) or reference + whole batch (paper Alg. 1)'),
  kernelSize: posInt().optional().describe('transposed-conv kernel (paper: 5)'),
  upsample: z.enum(['transposed', 'nearest']).optional().describe("'transposed' stride-2 convs (paper) or 'nearest' ×2 upsampling + stride-1 conv (resize-convolution, no checkerboard)"),
});

/** Discriminator fields that override the preset (all optional). */
export const DiscriminatorOverrides = z.strictObject({
  channels: z.array(posInt()).min(1).optional().describe('channels of the stride-2 convs'),
  batchNormFrom: z.number().int().min(0).optional().describe('first conv (0-based) followed by batch norm'),
  leakyAlpha: z.number().min(0).max(1).optional().describe('LeakyReLU slope (paper: 0.2)'),
  minibatch: z.union([z.null(), z.strictObject({
    kernels: posInt().describe('kernels B (extra channels)'),
    kernelDim: posInt().describe('projection size C per kernel'),
    initStddev: z.number().positive().default(0.05).describe('std of the initial T'),
  })]).optional().describe('minibatch discrimination (null = none)'),
  postConv: z.boolean().optional().describe('5x5 stride-1 conv + BN + LReLU before the linear output'),
  kernelSize: posInt().optional().describe('conv kernel (paper: 5)'),
});

export const DcganOptions = z.strictObject({
  preset: z.enum(['quick', 'paper']).default('quick').describe('network preset; generator/discriminator fields override it'),
  generator: GeneratorOverrides.prefault({}),
  discriminator: DiscriminatorOverrides.prefault({}),
  adam: RemovedAdamOption,
  dSteps: posInt().default(1).describe('discriminator updates per generator update'),
  switchLoss: z.strictObject({
    epoch: z.number().int().min(0).describe('epochs trained with `loss` before switching'),
    to: componentRef('loss').describe('the loss used from then on (weights and optimizer state are kept)'),
  }).nullable().optional().describe('switch the loss during training (paper: hinge → relativistic after epoch 85); null = never'),
  ema: z.strictObject({
    decay: z.number().min(0).max(1).lt(1).default(0.999).describe('β of θ_ema ← β·θ_ema + (1 − β)·θ after every generator update'),
  }).nullable().default(null).describe('evaluate an exponential moving average of the generator weights (Yazıcı et al. 2019); null = evaluate the raw generator (paper)'),
  pixelTransform: PixelTransformSchema.prefault({ kind: 'cosmogan' }),
  validationSplit: z.string().min(1).default('validation').describe('split of `data` the validation maps come from'),
  floorSplit: z.string().min(1).optional().describe("also score `evalMaps` real maps of this split of `data` against the validation maps, reported as <metric>_floor: the real-vs-real noise floor of every statistic (e.g. 'test'); unset = no floor"),
  validation: componentRef('simulator').optional().describe('a separate simulator/dataset for validation maps (overrides validationSplit)'),
  evalMaps: posInt().default(64).describe('generated and validation maps handed to the metrics'),
  evalEvery: z.number().int().min(0).default(0).describe('also evaluate every N epochs, as the phase validation (train.earlyStopping can watch its metrics); 0 = only at the end'),
  evalBatch: posInt().default(32).describe('batch size when generating maps for evaluation'),
  sampleGrid: z.number().int().min(0).default(8).describe('real and generated maps in the sample-grid PNG (each)'),
  stabilityEpochs: posInt().default(10).describe('epochs over which the generator-loss variance is computed'),
});

export type DcganOptionsT = Omit<z.output<typeof DcganOptions>, 'adam'>;
