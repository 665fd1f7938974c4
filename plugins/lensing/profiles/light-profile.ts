/**
 * The interface every light (surface-brightness) profile implements. Surface brightness is per
 * arcsec^2 (lenstronomy `amp` convention); coordinates in arcsec.
 */
export interface LightProfile {
  /** lenstronomy model name (`SERSIC`, `SERSIC_ELLIPSE`, `CORE_SERSIC`). */
  readonly type: string;
  /** Surface brightness at (x, y) (lenstronomy `function`), computed with `Math` functions. */
  surfaceBrightness(x: number, y: number): number;
  /**
   * Render kernel: ADDS the surface brightness at the first `n` points to `out`. May use the fast
   * table-driven math of `fast-math.ts` (agrees with `surfaceBrightness` to ~1e-12 relative).
   */
  addSurfaceBrightness(xs: Float64Array, ys: Float64Array, out: Float64Array, n: number): void;
  /** Total flux (integral over the plane), where lenstronomy defines it. */
  totalFlux?(): number;
}
