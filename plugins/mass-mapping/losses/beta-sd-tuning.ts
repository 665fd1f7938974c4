/**
 * Automatic tuning of β_SD during validation, following rcGAN (Bendel et al. 2023, §3.3 and
 * their reference code): for a correct posterior, the P-sample mean has
 *   E‖x − x̂_(P)‖² = (1 + 1/P) E‖x − E[x|y]‖²,  while a single sample has 2 E‖x − E[x|y]‖²,
 * so the PSNR of the P-sample mean should exceed that of one sample by
 *   ΔPSNR_ideal(P) = 10·log10(2P / (P + 1)) dB  (2.5 dB for P = 8).
 * A smaller measured gain means the samples are too alike (β_SD too small), a larger one that
 * they scatter too much. Update (in dB units, rate μ; the reference code uses μ = 0.02):
 *   β_SD ← max(0, β_SD + μ · (PSNR_1 + ΔPSNR_ideal(P) − PSNR_P)).
 */

/** 10·log10(2P/(P+1)): the ideal PSNR gain of a P-sample posterior mean over one sample, dB. */
export function idealPsnrGain(p: number): number {
  if (!Number.isInteger(p) || p < 2) throw new Error(`P: expected an integer >= 2 (validation samples), got ${p}`);
  return 10 * Math.log10((2 * p) / (p + 1));
}

/**
 * One β_SD update.
 * @param betaSD current β_SD (>= 0)
 * @param psnrSingle mean PSNR (dB) of single posterior samples on validation maps
 * @param psnrMean mean PSNR (dB) of the P-sample posterior means on the same maps
 * @param p number of samples in the mean (>= 2)
 * @param rate μ, step per dB of mismatch (> 0)
 * @returns the new β_SD (never negative)
 */
export function updateBetaSD(betaSD: number, psnrSingle: number, psnrMean: number, p: number, rate: number): number {
  if (!(Number.isFinite(betaSD) && betaSD >= 0)) throw new Error(`betaSD: expected a number >= 0, got ${betaSD}`);
  if (!Number.isFinite(psnrSingle)) throw new Error(`psnrSingle: expected a finite number (dB), got ${psnrSingle}`);
  if (!Number.isFinite(psnrMean)) throw new Error(`psnrMean: expected a finite number (dB), got ${psnrMean}`);
  if (!(Number.isFinite(rate) && rate > 0)) throw new Error(`rate: expected a number > 0, got ${rate}`);
  return Math.max(0, betaSD + rate * (psnrSingle + idealPsnrGain(p) - psnrMean));
}
