import { component, tf, inject, TOKENS, z, type BuiltEncoder, type Encoder, type Rng } from 'lensforge';

export const TinyCnnOptions = z.strictObject({ width: z.number().int().min(1).max(64).default(8).describe('channels of the first conv') });

/** Two stride-2 3x3 convolutions with ReLU, then global average pooling. */
@component({ kind: 'encoder', name: 'example/tiny-cnn', description: 'two-layer CNN (tutorial plugin)', options: TinyCnnOptions })
export class TinyCnnEncoder implements Encoder {
  constructor(@inject(TOKENS.Options) private readonly opts: z.output<typeof TinyCnnOptions>) {}

  build(inputShape: readonly [number, number, number], rng: Rng): BuiltEncoder {
    const w = this.opts.width;
    const input = tf.input({ shape: [...inputShape] });
    let x = tf.layers.conv2d({ filters: w, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: rng.tfSeed() }) }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: 2 * w, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: rng.tfSeed() }) }).apply(x) as tf.SymbolicTensor;
    const out = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
    return { model: tf.model({ inputs: input, outputs: out }), featureDim: 2 * w };
  }
}
