import { component, inject, TOKENS, z, type BuiltEncoder, type Encoder, type Rng } from '../../../core/index.js';
import { buildSmallCnn } from '../nets/index.js';

export const SmallCnnEncoderOptions = z.strictObject({
  width: z.number().int().min(1).max(256).default(16).describe('base width w; featureDim = 4w'),
});

/** A three-layer conv-BN-ReLU network with global average pooling, for tests and quick runs. */
@component({ kind: 'encoder', name: 'encoders/small-cnn', description: 'small conv net (3 conv-BN-ReLU + GAP) for tests and quick runs', options: SmallCnnEncoderOptions })
export class SmallCnnEncoder implements Encoder {
  constructor(@inject(TOKENS.Options) private readonly opts: z.output<typeof SmallCnnEncoderOptions>) {}

  build(inputShape: readonly [number, number, number], rng: Rng): BuiltEncoder {
    const [h, w, c] = inputShape;
    if (h !== w) throw new Error(`encoders/small-cnn: expected square images, got ${h}x${w}`);
    return buildSmallCnn({ width: this.opts.width, inChannels: c, inputSize: h, rng });
  }
}
