/**
 * Ellipticity conventions of lenstronomy (`lenstronomy.Util.param_util`), shared by every
 * elliptical mass and light profile in this plugin.
 *
 * - `phi = atan2(e2, e1) / 2` is the position angle of the MAJOR axis, counter-clockwise from +x.
 * - `c = min(sqrt(e1^2 + e2^2), 0.9999)`, `q = (1 - c) / (1 + c)` is the minor/major axis ratio.
 * - `rotate(x, y, phi) = (x cos phi + y sin phi, -x sin phi + y cos phi)` expresses a vector in
 *   the frame whose x-axis is the major axis.
 */

/** Largest ellipticity modulus lenstronomy uses (`param_util.ellipticity2phi_q` clips to it). */
export const MAX_ELLIPTICITY_MODULUS = 0.9999;

/** Position angle and axis ratio of an ellipse. */
export interface PhiQ {
  /** Major-axis position angle in radians, counter-clockwise from +x, in (-pi/2, pi/2]. */
  phi: number;
  /** Minor/major axis ratio in (0, 1]. */
  q: number;
}

/**
 * Converts ellipticity components (e1, e2) to position angle and axis ratio
 * (lenstronomy `param_util.ellipticity2phi_q`).
 * @param e1 ellipticity component along the x axis (dimensionless)
 * @param e2 ellipticity component along the diagonal (dimensionless)
 * @returns `{ phi, q }` with `phi` in radians and `q = (1 - |e|) / (1 + |e|)`, |e| clipped at 0.9999
 */
export function ellipticityToPhiQ(e1: number, e2: number): PhiQ {
  const phi = Math.atan2(e2, e1) / 2;
  const c = Math.min(Math.sqrt(e1 * e1 + e2 * e2), MAX_ELLIPTICITY_MODULUS);
  return { phi, q: (1 - c) / (1 + c) };
}

/**
 * Inverse of {@link ellipticityToPhiQ} (lenstronomy `param_util.phi_q2_ellipticity`):
 * `e1 = (1-q)/(1+q) cos(2 phi)`, `e2 = (1-q)/(1+q) sin(2 phi)`.
 * @param phi major-axis position angle in radians
 * @param q axis ratio in (0, 1]
 */
export function phiQToEllipticity(phi: number, q: number): { e1: number; e2: number } {
  const e = (1 - q) / (1 + q);
  return { e1: e * Math.cos(2 * phi), e2: e * Math.sin(2 * phi) };
}

/**
 * Rotates the vector (x, y) into the frame rotated by `phi` (lenstronomy `util.rotate`):
 * returns `[x cos phi + y sin phi, -x sin phi + y cos phi]`.
 */
export function rotate(x: number, y: number, phi: number): [number, number] {
  const c = Math.cos(phi), s = Math.sin(phi);
  return [x * c + y * s, -x * s + y * c];
}

/**
 * Coefficients of lenstronomy's product-average elliptical radius
 * (`param_util.transform_e1e2_product_average`): with `d = sqrt(1 - e1^2 - e2^2)`,
 * `x' = ((1-e1) dx - e2 dy)/d`, `y' = (-e2 dx + (1+e1) dy)/d` and `R = hypot(x', y')`, which equals
 * `sqrt(q x_maj^2 + y_min^2 / q)` in the major-axis frame. Returned as the symmetric matrix entries
 * `[a11, a12, a22]` so that `x' = a11 dx + a12 dy`, `y' = a12 dx + a22 dy`.
 * Requires `e1^2 + e2^2 < 1`.
 */
export function productAverageMatrix(e1: number, e2: number): [number, number, number] {
  const d = Math.sqrt(1 - e1 * e1 - e2 * e2);
  return [(1 - e1) / d, -e2 / d, (1 + e1) / d];
}
