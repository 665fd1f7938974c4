import type * as tf from '@tensorflow/tfjs';
import { component, inject, TOKENS, z, type LossBase } from '../../../core/index.js';
import { updateBetaSD } from '../losses/beta-sd-tuning.js';
import { rcganRegulariser, type RcganRegulariserTerms } from '../losses/rcgan-regulariser-fn.js';

export const RcganRegulariserOptions = z.strictObject({
  betaSD: z.number().min(0).default(1).describe('initial β_SD, weight of the standard-deviation reward (rcGAN starts at 1)'),
  samples: z.number().int().min(2).max(64).default(2).describe('P = N_train, generator samples per conditioning input in training'),
  autoTune: z.boolean().default(true).describe('tune β_SD after every epoch from the validation PSNR gain of the P_val-sample mean'),
  tuneSamples: z.number().int().min(2).max(64).default(8).describe('P_val, samples per validation map for the tuning'),
  tuneRate: z.number().positive().default(0.02).describe('μ, β_SD step per dB of PSNR-gain mismatch (rcGAN code: 0.02)'),
});
export type RcganRegulariserOptionsT = z.output<typeof RcganRegulariserOptions>;

/**
 * The rcGAN regulariser as a loss component (family 'regulariser'): holds the current β_SD,
 * evaluates L_{1,P} − β_SD·L_{SD,P} ({@link rcganRegulariser}) and updates β_SD from validation
 * PSNRs ({@link updateBetaSD}). β_SD is training state: methods save `betaSD` in their checkpoints
 * and restore it with `setBetaSD`.
 */
@component({ kind: 'loss', name: 'mass-mapping/rcgan-regulariser', description: 'rcGAN regulariser L1(x, mean of P samples) − β_SD·SD term, β_SD auto-tuned (Bendel et al. 2023)', options: RcganRegulariserOptions })
export class RcganRegulariser implements LossBase {
  readonly family = 'regulariser' as const;
  private beta: number;

  constructor(@inject(TOKENS.Options) readonly opts: RcganRegulariserOptionsT) {
    this.beta = opts.betaSD;
  }

  /** Current β_SD. */
  get betaSD(): number { return this.beta; }

  /** Restore β_SD (e.g. from a checkpoint). */
  setBetaSD(value: number): void {
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) throw new Error(`betaSD: expected a number >= 0, got ${String(value)}`);
    this.beta = value;
  }

  /** P, samples per conditioning input during training. */
  get samples(): number { return this.opts.samples; }

  /** The regulariser terms for truth x [B, ...] and samples [P, B, ...] at the current β_SD. */
  compute(x: tf.Tensor, samples: tf.Tensor): RcganRegulariserTerms {
    if (samples.shape[0] !== this.opts.samples) {
      throw new Error(`samples: expected P = ${this.opts.samples} samples (loss option "samples"), got ${samples.shape[0]}`);
    }
    return rcganRegulariser(x, samples, this.beta);
  }

  /**
   * Update β_SD from validation PSNRs (single sample vs mean of `tuneSamples`); a no-op returning
   * the unchanged β_SD when autoTune is off.
   */
  tune(psnrSingle: number, psnrMean: number): number {
    if (this.opts.autoTune) this.beta = updateBetaSD(this.beta, psnrSingle, psnrMean, this.opts.tuneSamples, this.opts.tuneRate);
    return this.beta;
  }
}
