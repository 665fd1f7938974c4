import { z } from '../../../core/index.js';

/** Options schema of the map ↔ network-range transform (a discriminated union on `kind`). */
export const PixelTransformSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('cosmogan'),
    shift: z.union([z.number(), z.literal('auto')]).default('auto').describe("added before the transform so that pixels are >= 0; 'auto' = -min of the training maps"),
    a: z.union([z.number().positive(), z.literal('auto')]).default('auto').describe("scale a of s = 2y/(y+a) - 1; 'auto' = median of the shifted training pixels (maps the median to 0)"),
  }),
  z.strictObject({
    kind: z.literal('affine'),
    offset: z.number().default(0).describe('s = (x - offset) / scale'),
    scale: z.number().positive().default(1),
  }),
  z.strictObject({ kind: z.literal('none') }),
]).describe('map pixels → the generator\'s tanh range (−1, 1), inverted before evaluation');

export type PixelTransformOptions = z.output<typeof PixelTransformSchema>;

/** A resolved, invertible pixel transform. */
export interface PixelTransform {
  /** Human-readable description with the resolved constants. */
  readonly description: string;
  /** The options with every constant resolved (no 'auto'): rebuilds this transform without data. */
  readonly resolved: PixelTransformOptions;
  forward(x: Float32Array): Float32Array;
  inverse(s: Float32Array): Float32Array;
}

/**
 * Build the transform. 'cosmogan' is CosmoGAN's (Mustafa et al. 2019, Eq. 6) s(y) = 2y/(y + a) − 1
 * on y = x + shift >= 0, which maps [0, ∞) → [−1, 1) and compresses the long positive tail of
 * convergence maps; inverse y = a(1 + s)/(1 − s) (s is clipped to 1 − 1e-6). 'affine':
 * s = (x − offset)/scale. 'none': identity. `sample` supplies training pixels for 'auto' constants.
 */
export function buildPixelTransform(opts: PixelTransformOptions, sample: () => Float32Array): PixelTransform {
  if (opts.kind === 'none') return { description: 'none', resolved: { kind: 'none' }, forward: (x) => x, inverse: (s) => s };
  if (opts.kind === 'affine') {
    const { offset, scale } = opts;
    return {
      description: `affine: s = (x - ${offset}) / ${scale}`,
      resolved: { kind: 'affine', offset, scale },
      forward: (x) => Float32Array.from(x, (v) => (v - offset) / scale),
      inverse: (s) => Float32Array.from(s, (v) => v * scale + offset),
    };
  }
  let shift = opts.shift, a = opts.a;
  if (shift === 'auto' || a === 'auto') {
    const px = sample();
    if (px.length === 0) throw new Error('pixelTransform: no training pixels to estimate the automatic constants from');
    if (shift === 'auto') {
      let min = Infinity;
      for (const v of px) if (v < min) min = v;
      shift = -min;
    }
    if (a === 'auto') {
      const s = shift;
      const sorted = Float64Array.from(px, (v) => v + s).sort();
      a = sorted[Math.floor(sorted.length / 2)];
      if (!(a > 0)) throw new Error(`pixelTransform.a: the median of the shifted training pixels is ${a}; set a > 0 explicitly`);
    }
  }
  const sh = shift as number, aa = a as number;
  return {
    description: `cosmogan: s = 2y/(y + ${aa.toPrecision(6)}) - 1, y = x + ${sh.toPrecision(6)}`,
    resolved: { kind: 'cosmogan', shift: sh, a: aa },
    forward: (x) => Float32Array.from(x, (v) => { const y = v + sh; return (2 * y) / (y + aa) - 1; }),
    inverse: (s) => Float32Array.from(s, (v) => { const c = Math.min(v, 1 - 1e-6); return (aa * (1 + c)) / (1 - c) - sh; }),
  };
}
