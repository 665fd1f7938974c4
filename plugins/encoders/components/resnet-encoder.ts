import { component, inject, TOKENS, z, type BuiltEncoder, type Encoder, type Rng } from '../../../core/index.js';
import { buildResNet } from '../nets/index.js';

export const ResNetEncoderOptions = z.strictObject({
  depth: z.literal([18, 34, 50, 101]).default(18).describe('18/34: basic blocks; 50/101: bottleneck blocks'),
  width: z.number().int().min(1).max(256).default(64).describe('base width (64 = torchvision)'),
  stem: z.enum(['imagenet', 'cifar', 'stride2']).default('imagenet').describe('imagenet: 7x7/2 conv + maxpool; cifar: 3x3/1; stride2: 3x3/2'),
});

/**
 * ResNet backbone (He et al. 2016) with global average pooling; any number of input channels
 * (1 for lens images, 5 for ugriz). featureDim = 8*width (18/34) or 32*width (50/101).
 */
@component({ kind: 'encoder', name: 'encoders/resnet', description: 'ResNet-18/34/50/101 backbone, any width and input channels', options: ResNetEncoderOptions })
export class ResNetEncoder implements Encoder {
  constructor(@inject(TOKENS.Options) private readonly opts: z.output<typeof ResNetEncoderOptions>) {}

  build(inputShape: readonly [number, number, number], rng: Rng): BuiltEncoder {
    const [h, w, c] = inputShape;
    if (h !== w) throw new Error(`encoders/resnet: expected square images, got ${h}x${w}`);
    return buildResNet({ depth: this.opts.depth, width: this.opts.width, stem: this.opts.stem, inChannels: c, inputSize: h, rng });
  }
}
