/**
 * The shared single-band feature extractor of Liang et al. 2021 (§2.3): a ResNet-18 trunk
 * (He et al. 2016; `buildResNet` from the encoders plugin) whose last feature map goes
 * through a 1x1 conv + BatchNorm + ReLU, then global average pooling, then an FC layer of
 * 512 units (+ ReLU). Input [B, S, S, 1] (one band), output [B, featureDim].
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';
import { buildResNet, convBn, linearInit, type ResNetDepth, type ResNetStem } from '../../encoders/index.js';

export interface BandExtractorOptions {
  /** ResNet depth (paper: 18). */
  depth: ResNetDepth;
  /** ResNet base width (paper: 64 = torchvision; smaller for quick runs). */
  width: number;
  /** ResNet stem ('imagenet' = torchvision; 'stride2' for small images). */
  stem: ResNetStem;
  /** Output channels of the 1x1 conv before pooling; 0 = as many as the trunk (8 x width). */
  projChannels: number;
  /** Units of the FC layer after pooling (paper: 512). */
  featureDim: number;
  /** Image side in pixels. */
  inputSize: number;
  /** Seeds every initialiser. */
  rng: Rng;
  /** Model / layer-name prefix, default 'band_extractor'. */
  name?: string;
}

/** A built extractor: the model and its output width. */
export interface BandExtractor { model: tf.LayersModel; featureDim: number }

/** Build the shared single-band extractor; see the module comment. Throws on bad sizes, naming the field. */
export function buildBandExtractor(o: BandExtractorOptions): BandExtractor {
  if (!Number.isInteger(o.featureDim) || o.featureDim < 1) throw new Error(`extractor.featureDim: expected an integer >= 1, got ${o.featureDim}`);
  if (!Number.isInteger(o.projChannels) || o.projChannels < 0) throw new Error(`extractor.projChannels: expected an integer >= 0, got ${o.projChannels}`);
  const name = o.name ?? 'band_extractor';
  const trunk = buildResNet({ depth: o.depth, width: o.width, stem: o.stem, inChannels: 1, inputSize: o.inputSize, rng: o.rng, name: `${name}_resnet` });
  const pool = trunk.model.getLayer(`${name}_resnet_avgpool`);
  const fmap = pool.input as tf.SymbolicTensor;
  const proj = o.projChannels || trunk.featureDim;
  let h = convBn(fmap, { filters: proj, kernel: 1, name: `${name}_proj`, rng: o.rng });
  h = tf.layers.globalAveragePooling2d({ name: `${name}_gap` }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: o.featureDim, activation: 'relu', name: `${name}_fc`,
    kernelInitializer: linearInit(o.rng, proj), biasInitializer: linearInit(o.rng, proj) }).apply(h) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: trunk.model.inputs, outputs: h, name }), featureDim: o.featureDim };
}

/**
 * Run the shared extractor on every channel of [B, S, S, C] images: returns [B, C, D] features
 * (channel c of sample b through the same weights). `training` selects BN batch statistics.
 */
export function extractPerBand(extractor: tf.LayersModel, images: tf.Tensor4D, training: boolean): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, h, w, c] = images.shape;
    const singles = tf.reshape(tf.transpose(images, [0, 3, 1, 2]), [b * c, h, w, 1]);
    const f = extractor.apply(singles, { training }) as tf.Tensor2D;
    return tf.reshape(f, [b, c, f.shape[1]]) as tf.Tensor3D;
  });
}
