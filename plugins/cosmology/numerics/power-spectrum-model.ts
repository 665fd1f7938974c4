/** Parameters of {@link parametricPowerSpectrum}; k is in cycles per pixel. */
export interface PowerSpectrumParams {
  /** A: amplitude (pixel-variance per unit (cycles/pixel)² of k-space). Default 0.3. */
  amplitude: number;
  /** ns: power-law index. Default -1 (then σ² ≈ π^{3/2} A k_c, independent of the map size). */
  spectralIndex: number;
  /** k_c: Gaussian cut-off in cycles per pixel (smooths structure below ~1/k_c pixels). Default 0.15. */
  cutoff: number;
}

/** Defaults: A = 0.3, ns = -1, k_c = 0.15 → Gaussian pixel std σ_g ≈ 0.5 (0.46 at n = 32, 0.50 at n = 256). */
export const DEFAULT_POWER_SPECTRUM: Readonly<PowerSpectrumParams> = Object.freeze({
  amplitude: 0.3,
  spectralIndex: -1,
  cutoff: 0.15,
});

/**
 * The angular power spectrum model of the simulated convergence maps,
 *
 *   P(k) = A · k^ns · exp(-(k / k_c)²),   P(0) = 0 (the field has zero mean),
 *
 * with k = |k| in cycles per pixel (numpy fftfreq units, 0 < k <= √2/2). A power law with a
 * smooth small-scale cut-off is the usual toy stand-in for a lensing C_ℓ over a limited ℓ range.
 * The pixel variance of a field with this spectrum is σ² = (1/n²) Σ_k P(k) ≈ ∫ P(k) d²k.
 * @param params amplitude A > 0, spectralIndex ns (any real), cutoff k_c > 0
 * @returns P as a function of k (cycles/pixel)
 */
export function parametricPowerSpectrum(params: PowerSpectrumParams = DEFAULT_POWER_SPECTRUM): (k: number) => number {
  const { amplitude, spectralIndex, cutoff } = params;
  if (!(typeof amplitude === 'number' && Number.isFinite(amplitude) && amplitude > 0)) {
    throw new Error(`amplitude: expected a number > 0, got ${String(amplitude)}`);
  }
  if (!(typeof spectralIndex === 'number' && Number.isFinite(spectralIndex))) {
    throw new Error(`spectralIndex: expected a finite number, got ${String(spectralIndex)}`);
  }
  if (!(typeof cutoff === 'number' && Number.isFinite(cutoff) && cutoff > 0)) {
    throw new Error(`cutoff: expected a number > 0 (cycles/pixel), got ${String(cutoff)}`);
  }
  return (k: number): number => (k > 0 ? amplitude * k ** spectralIndex * Math.exp(-((k / cutoff) ** 2)) : 0);
}
