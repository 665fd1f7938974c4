/**
 * ResNet-18/34/50/101 feature extractors (He et al. 2016, "Deep Residual Learning for Image
 * Recognition"), built with the tfjs-layers functional API to match torchvision's
 * `resnet18/34/50/101` without the final fc layer:
 * - basic blocks (two 3x3 convs) for depths 18 and 34, bottleneck blocks (1x1, 3x3, 1x1,
 *   expansion 4, stride on the 3x3 as torchvision's "ResNet v1.5") for 50 and 101;
 * - stage widths width x [1, 2, 4, 8] with strides [1, 2, 2, 2];
 * - BN after every conv (PyTorch momentum 0.1, epsilon 1e-5), no conv bias before BN;
 * - a 1x1 conv + BN projection shortcut when the block changes the shape, identity otherwise;
 * - global average pooling at the end, so the output is `[batch, featureDim]` with
 *   featureDim = 8 * width (basic) or 32 * width (bottleneck): 512 / 2048 at width 64.
 * Layer names follow torchvision's state-dict keys with '_' for '.', e.g.
 * `${name}_layer2_0_downsample_0` (weights `${name}_layer2_0_conv1/kernel`).
 * With width 64 and 3 input channels the trainable parameter count equals torchvision's
 * (resnet18: 11,176,512; resnet50: 23,508,032; both without fc).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';
import { applyActivation, convBn } from './conv-bn.js';
import { checkInt, checkOneOf } from './init.js';

export type ResNetDepth = 18 | 34 | 50 | 101;
/**
 * Stem variants:
 * - 'imagenet': 7x7 stride-2 conv + BN + ReLU, then 3x3 stride-2 max pool (torchvision);
 * - 'cifar': 3x3 stride-1 conv + BN + ReLU, no pool (for small images; ~14x the compute);
 * - 'stride2': 3x3 stride-2 conv + BN + ReLU, no pool (the quick preset).
 */
export type ResNetStem = 'imagenet' | 'cifar' | 'stride2';

export interface ResNetOptions {
  /** 18 | 34 (basic blocks) or 50 | 101 (bottleneck blocks). */
  depth: ResNetDepth;
  /** Base width (channels of the stem and of stage 1's 3x3 convs); default 64. */
  width?: number;
  /** Input channels (bands); any positive integer. */
  inChannels: number;
  /** Input height = width in pixels. */
  inputSize: number;
  /** Stem variant, default 'imagenet'. */
  stem?: ResNetStem;
  /** Seed source: one `tfSeed()` is drawn per conv kernel, in build order. */
  rng: Rng;
  /** Model name and layer-name prefix, default 'resnet<depth>'. */
  name?: string;
}

export interface EncoderNet {
  /** Input `[batch, inputSize, inputSize, inChannels]`, output `[batch, featureDim]`. */
  model: tf.LayersModel;
  featureDim: number;
}

export const RESNET_DEPTHS: readonly ResNetDepth[] = [18, 34, 50, 101];
export const RESNET_STEMS: readonly ResNetStem[] = ['imagenet', 'cifar', 'stride2'];

const LAYOUT: Record<ResNetDepth, { block: 'basic' | 'bottleneck'; blocks: number[] }> = {
  18: { block: 'basic', blocks: [2, 2, 2, 2] },
  34: { block: 'basic', blocks: [3, 4, 6, 3] },
  50: { block: 'bottleneck', blocks: [3, 4, 6, 3] },
  101: { block: 'bottleneck', blocks: [3, 4, 23, 3] },
};

/** Build a ResNet feature extractor; see the module comment for the architecture. */
export function buildResNet(opts: ResNetOptions): EncoderNet {
  const depth = checkOneOf('resnet.depth', opts.depth, RESNET_DEPTHS);
  const width = checkInt('resnet.width', opts.width ?? 64);
  const inChannels = checkInt('resnet.inChannels', opts.inChannels);
  const inputSize = checkInt('resnet.inputSize', opts.inputSize);
  const stem = checkOneOf('resnet.stem', opts.stem ?? 'imagenet', RESNET_STEMS);
  if (!opts.rng) throw new Error('resnet.rng: expected an Rng, got ' + String(opts.rng));
  const rng = opts.rng;
  const name = opts.name ?? `resnet${depth}`;
  const { block, blocks } = LAYOUT[depth];
  const expansion = block === 'basic' ? 1 : 4;

  const input = tf.input({ shape: [inputSize, inputSize, inChannels], name: `${name}_input` });
  let h: tf.SymbolicTensor;
  if (stem === 'imagenet') {
    h = convBn(input, { filters: width, kernel: 7, stride: 2, name: `${name}_stem`, convName: `${name}_conv1`, bnName: `${name}_bn1`, rng });
    // PyTorch pads the max pool with -inf; after ReLU every value is >= 0, so zero padding is equivalent.
    h = tf.layers.zeroPadding2d({ padding: 1, name: `${name}_maxpool_pad` }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: `${name}_maxpool` }).apply(h) as tf.SymbolicTensor;
  } else {
    h = convBn(input, { filters: width, kernel: 3, stride: stem === 'cifar' ? 1 : 2, name: `${name}_stem`, convName: `${name}_conv1`, bnName: `${name}_bn1`, rng });
  }

  let channels = width;
  for (let s = 0; s < 4; s++) {
    const planes = width * 2 ** s;
    for (let b = 0; b < blocks[s]; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      const prefix = `${name}_layer${s + 1}_${b}`;
      h = block === 'basic'
        ? basicBlock(h, channels, planes, stride, prefix, rng)
        : bottleneckBlock(h, channels, planes, stride, prefix, rng);
      channels = planes * expansion;
    }
  }
  const out = tf.layers.globalAveragePooling2d({ name: `${name}_avgpool` }).apply(h) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: input, outputs: out, name }), featureDim: channels };
}

function shortcut(x: tf.SymbolicTensor, inCh: number, outCh: number, stride: number, prefix: string, rng: Rng): tf.SymbolicTensor {
  if (stride === 1 && inCh === outCh) return x;
  return convBn(x, { filters: outCh, kernel: 1, stride, activation: 'none', name: `${prefix}_downsample`,
    convName: `${prefix}_downsample_0`, bnName: `${prefix}_downsample_1`, rng });
}

function merge(a: tf.SymbolicTensor, b: tf.SymbolicTensor, prefix: string): tf.SymbolicTensor {
  const sum = tf.layers.add({ name: `${prefix}_add` }).apply([a, b]) as tf.SymbolicTensor;
  return applyActivation(sum, 'relu', `${prefix}_relu`);
}

function basicBlock(x: tf.SymbolicTensor, inCh: number, planes: number, stride: number, prefix: string, rng: Rng): tf.SymbolicTensor {
  let h = convBn(x, { filters: planes, kernel: 3, stride, name: `${prefix}_1`, convName: `${prefix}_conv1`, bnName: `${prefix}_bn1`, rng });
  h = convBn(h, { filters: planes, kernel: 3, activation: 'none', name: `${prefix}_2`, convName: `${prefix}_conv2`, bnName: `${prefix}_bn2`, rng });
  return merge(h, shortcut(x, inCh, planes, stride, prefix, rng), prefix);
}

function bottleneckBlock(x: tf.SymbolicTensor, inCh: number, planes: number, stride: number, prefix: string, rng: Rng): tf.SymbolicTensor {
  let h = convBn(x, { filters: planes, kernel: 1, name: `${prefix}_1`, convName: `${prefix}_conv1`, bnName: `${prefix}_bn1`, rng });
  h = convBn(h, { filters: planes, kernel: 3, stride, name: `${prefix}_2`, convName: `${prefix}_conv2`, bnName: `${prefix}_bn2`, rng });
  h = convBn(h, { filters: planes * 4, kernel: 1, activation: 'none', name: `${prefix}_3`, convName: `${prefix}_conv3`, bnName: `${prefix}_bn3`, rng });
  return merge(h, shortcut(x, inCh, planes * 4, stride, prefix, rng), prefix);
}

