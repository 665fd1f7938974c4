import * as tf from '@tensorflow/tfjs';
import { component, inject, TOKENS, z, type Augmenter, type Batch, type Rng } from '../../../core/index.js';
import { addShapeNoise, kaiserSquiresForward, shapeNoiseSigma, type ShearField } from '../numerics/index.js';
import { circularHoleMask } from '../forward/hole-mask.js';

export const ShearForwardOptions = z.strictObject({
  sigmaE: z.number().min(0).default(0.37).describe('intrinsic ellipticity dispersion per shear component (COSMOS-like, as in the MMGAN setup)'),
  nGal: z.number().positive().default(30).describe('source galaxy density, galaxies per arcmin² (order of the COSMOS HST density)'),
  pixelArcmin: z.number().positive().default(1).describe('pixel side in arcmin'),
  maskHoles: z.number().int().min(0).default(0).describe('number of circular holes in the survey mask (0 = no mask); the same mask for every map'),
  maskHoleRadius: z.number().positive().default(4).describe('radius of each mask hole in pixels'),
});
export type ShearForwardOptionsT = z.output<typeof ShearForwardOptions>;

/**
 * The weak-lensing forward model γ = Aκ + n (Whitney et al. 2024; Kaiser & Squires 1993): the
 * Fourier-space shear operator A (plugins/mass-mapping/numerics `kaiserSquiresForward`) applied
 * to a convergence map, plus Gaussian shape noise per pixel and component with
 * σ = σ_e / sqrt(n_gal · A_pix) (`shapeNoiseSigma`; defaults σ_e = 0.37, n_gal = 30 arcmin⁻²,
 * 1 arcmin pixels → σ ≈ 0.0676), and an optional survey mask (masked pixels: γ = 0).
 *
 * As an augmenter it turns a batch of κ maps [B, n, n, 1] into observed shear maps
 * [B, n, n, C] with channels (γ1, γ2) — plus the mask (1 = observed) as a third channel when a
 * mask is set — drawing fresh noise from the given rng on every call, so each epoch sees a new
 * noise realisation of the same maps.
 */
@component({ kind: 'augmenter', name: 'mass-mapping/shear-forward', description: 'weak-lensing forward model: κ → γ = Aκ + shape noise (+ optional mask)', options: ShearForwardOptions })
export class ShearForwardModel implements Augmenter {
  /** Per-pixel noise std of each shear component. */
  readonly sigma: number;
  private readonly masks = new Map<number, Uint8Array>();

  constructor(@inject(TOKENS.Options) readonly opts: ShearForwardOptionsT, @inject(TOKENS.Rng) private readonly rng: Rng) {
    this.sigma = shapeNoiseSigma(opts.sigmaE, opts.nGal, opts.pixelArcmin);
  }

  /** Channels of an observation: γ1, γ2 (+ mask). */
  get channels(): number { return this.opts.maskHoles > 0 ? 3 : 2; }

  /** The survey mask for n × n maps (1 = observed), or undefined without holes. Fixed per component seed. */
  mask(n: number): Uint8Array | undefined {
    if (this.opts.maskHoles === 0) return undefined;
    let m = this.masks.get(n);
    if (!m) {
      m = circularHoleMask(n, this.opts.maskHoles, this.opts.maskHoleRadius, this.rng.derive(`mask:${n}`));
      this.masks.set(n, m);
    }
    return m;
  }

  /**
   * Observe one n × n convergence map: noiseless shear by the KS forward operator, then noise
   * (2n² normals from `rng`) and the mask.
   */
  observe(kappa: ArrayLike<number>, n: number, rng: Rng): ShearField {
    if (kappa.length !== n * n) throw new Error(`kappa: expected ${n * n} pixels (${n}x${n}), got ${kappa.length}`);
    const clean = kaiserSquiresForward(Float64Array.from(kappa), n);
    return addShapeNoise(clean, this.sigma, rng, this.mask(n));
  }

  /** Pack observations as one [B, n, n, C] float32 tensor (channels γ1, γ2 [, mask]). */
  pack(obs: ShearField[], n: number): tf.Tensor4D {
    const c = this.channels, m = this.mask(n);
    const buf = new Float32Array(obs.length * n * n * c);
    obs.forEach((o, b) => {
      for (let i = 0; i < n * n; i++) {
        const at = (b * n * n + i) * c;
        buf[at] = o.gamma1[i];
        buf[at + 1] = o.gamma2[i];
        if (m) buf[at + 2] = m[i];
      }
    });
    return tf.tensor4d(buf, [obs.length, n, n, c]);
  }

  /** Augmenter contract: κ batch [B, n, n, 1] → observed shear [B, n, n, C] with fresh noise. */
  view(batch: Batch, rng: Rng): tf.Tensor4D {
    const [b, h, w, c] = batch.images.shape;
    if (h !== w || c !== 1) throw new Error(`mass-mapping/shear-forward: expected square single-channel κ maps [B, n, n, 1], got [${batch.images.shape.join(', ')}]`);
    const data = batch.images.dataSync();
    const obs: ShearField[] = [];
    for (let i = 0; i < b; i++) obs.push(this.observe(data.subarray(i * h * w, (i + 1) * h * w), h, rng));
    return this.pack(obs, h);
  }
}
