/**
 * The interface every lens (mass) profile implements, in lenstronomy's conventions:
 * coordinates in arcsec, the deflection is the gradient of the lensing potential
 * (`alpha = grad psi`) and the lens equation is `beta = theta - alpha(theta)`.
 */
export interface MassProfile {
  /** lenstronomy model name (`EPL`, `SIE`, `SIS`, `SHEAR`). */
  readonly type: string;
  /** Deflection `[alpha_x, alpha_y]` in arcsec at (x, y) (lenstronomy `derivatives`). */
  deflection(x: number, y: number): [number, number];
  /** Hessian `[f_xx, f_xy, f_yx, f_yy]` of the potential at (x, y) (lenstronomy `hessian`). */
  hessian(x: number, y: number): [number, number, number, number];
  /** Lensing potential psi at (x, y) in arcsec^2 (lenstronomy `function`). */
  potential(x: number, y: number): number;
  /** Convergence kappa = (f_xx + f_yy) / 2 at (x, y). */
  convergence(x: number, y: number): number;
  /**
   * Render kernel: ADDS the deflection at the first `n` points `(xs[i], ys[i])` to
   * `(ax[i], ay[i])`. Uses the fast table-driven math of `fast-math.ts` where that helps
   * (agrees with `deflection` to ~1e-12 relative); allocates nothing.
   */
  addDeflections(xs: Float64Array, ys: Float64Array, ax: Float64Array, ay: Float64Array, n: number): void;
}

/**
 * Rotates a major-axis-frame Hessian back to the sky frame (as lenstronomy's EPL.hessian does):
 * kappa is invariant, the shear (gamma1, gamma2) rotates by 2 phi.
 * @param fxx,fxy,fyy Hessian in the frame whose x-axis is the major axis
 * @param cos2 cos(2 phi), sin2 sin(2 phi)
 * @returns `[f_xx, f_xy, f_yx, f_yy]` in the sky frame
 */
export function rotateHessianBack(
  fxx: number, fxy: number, fyy: number, cos2: number, sin2: number,
): [number, number, number, number] {
  const kappa = 0.5 * (fxx + fyy);
  const g1r = 0.5 * (fxx - fyy);
  const g2r = fxy;
  const g1 = cos2 * g1r - sin2 * g2r;
  const g2 = sin2 * g1r + cos2 * g2r;
  return [kappa + g1, g2, g2, kappa - g1];
}
