import { component, inject, TOKENS, z } from '../../../core/index.js';
import { writeOcclusionFigure, type OcclusionExample } from '../analysis/occlusion-figure.js';
import { occlusionMap, type Classifier, type OcclusionResult } from '../analysis/occlusion-map.js';

export const OcclusionOptions = z.strictObject({
  patch: z.number().int().min(1).default(4).describe('occluding patch side in pixels'),
  stride: z.number().int().min(1).default(1).describe('step between patch positions in pixels ("every possible location" = 1)'),
  fill: z.union([z.number(), z.literal('mean')]).default(0).describe("value inside the patch, or 'mean' for the image mean"),
  batchSize: z.number().int().min(1).default(64).describe('occluded images per forward pass'),
  softmax: z.boolean().default(true).describe('apply softmax to the model outputs (they are logits)'),
  scale: z.number().int().min(1).max(16).default(4).describe('pixel magnification of the PNG figure'),
});
export type OcclusionOptionsT = z.output<typeof OcclusionOptions>;

/**
 * Occlusion-map analysis of a trained classifier (Liang et al. 2021, §3.4, Fig. 2): the
 * probability of the correct class (band) as a patch hides each part of the image, and a PNG
 * figure (image | map | overlay, members as blue dots, stars as red circles).
 */
@component({ kind: 'analysis', name: 'band-pretext/occlusion', description: 'occlusion map: P(correct band) as a patch slides over the image; PNG like Liang et al. Fig. 2', options: OcclusionOptions })
export class OcclusionAnalysis {
  constructor(@inject(TOKENS.Options) readonly opts: OcclusionOptionsT) {}

  /** Occlusion map of `image` (H x W x C) for class `target`; see `occlusionMap`. */
  analyze(model: Classifier, image: Float32Array, shape: readonly [number, number, number], target: number): OcclusionResult {
    return occlusionMap(model, image, shape, target, this.opts);
  }

  /** Write the figure of single-band examples to `path` (PNG). */
  writeFigure(path: string, examples: OcclusionExample[]): void {
    writeOcclusionFigure(path, examples, this.opts.scale);
  }
}
