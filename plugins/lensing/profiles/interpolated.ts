/**
 * Interpolated-image light profile, lenstronomy 1.14.2 `INTERPOL`
 * (`LightModel/Profiles/interpolation.py`): the surface brightness is read off a pixelised stamp
 * (e.g. a COSMOS galaxy or a procedurally generated galaxy) by bilinear interpolation.
 *
 * Conventions (as lenstronomy):
 * - `image[i, j]` (row-major, `rows x cols`) is SURFACE BRIGHTNESS (flux / arcsec^2, not flux per
 *   pixel) at stamp pixel (i, j); row i sits at stamp coordinate `v = i - (rows-1)/2`, column j at
 *   `u = j - (cols-1)/2` (row 0 at the most negative y, like every image in this plugin).
 * - A sky position (x, y) maps to stamp coordinates by
 *   `(u, v) = rotate((x - center_x) / scale, (y - center_y) / scale, phi_G)` with
 *   `rotate(a, b, phi) = (a cos phi + b sin phi, -a sin phi + b cos phi)`.
 * - The stamp is padded with one ring of zeros and interpolated bilinearly
 *   (scipy RectBivariateSpline kx = ky = 1); beyond the padded ring the value is 0.
 * - `I(x, y) = amp * interp(u, v)`; the total flux is `amp * sum(image) * scale^2`.
 */
import type { LightProfile } from './light-profile.js';
import { describeValue } from './describe-value.js';
import { SpecValidationError } from './spec-validation-error.js';

/** INTERPOL keyword arguments (lenstronomy names) plus the stamp's shape. */
export interface InterpolatedParams {
  /** Row-major stamp of surface brightness [flux/arcsec^2], rows * cols values. */
  image: Float32Array | Float64Array;
  /** Stamp rows (y extent). */
  rows: number;
  /** Stamp columns (x extent). */
  cols: number;
  /** Multiplies the stamp (default 1). */
  amp?: number;
  /** Sky position of the stamp centre [arcsec] (default 0). */
  center_x?: number;
  center_y?: number;
  /** Rotation of the stamp relative to the sky axes [rad] (default 0). */
  phi_G?: number;
  /** Stamp pixel size [arcsec/pixel] (default 1). */
  scale?: number;
}

/**
 * Checks INTERPOL parameters; returns one `PATH.field: expected ..., got ...` line per problem.
 * @param p the parameters
 * @param path message prefix (default `source`)
 */
export function validateInterpolatedParams(p: InterpolatedParams, path = 'source'): string[] {
  const errors: string[] = [];
  const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1;
  if (!isInt(p.rows)) errors.push(`${path}.rows: expected a positive integer, got ${describeValue(p.rows)}`);
  if (!isInt(p.cols)) errors.push(`${path}.cols: expected a positive integer, got ${describeValue(p.cols)}`);
  if (!(p.image instanceof Float32Array || p.image instanceof Float64Array)) {
    errors.push(`${path}.image: expected a Float32Array or Float64Array of rows*cols values, got ${describeValue(p.image)}`);
  } else if (isInt(p.rows) && isInt(p.cols) && p.image.length !== p.rows * p.cols) {
    errors.push(`${path}.image: expected rows*cols = ${p.rows * p.cols} values, got ${p.image.length}`);
  } else {
    for (let i = 0; i < p.image.length; i++) {
      if (!Number.isFinite(p.image[i])) { errors.push(`${path}.image: expected finite values, got ${p.image[i]} at index ${i}`); break; }
    }
  }
  const num = (name: 'amp' | 'center_x' | 'center_y' | 'phi_G') => {
    const v = p[name];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v))) errors.push(`${path}.${name}: expected a finite number, got ${describeValue(v)}`);
  };
  num('amp'); num('center_x'); num('center_y'); num('phi_G');
  if (p.scale !== undefined && !(typeof p.scale === 'number' && Number.isFinite(p.scale) && p.scale > 0)) {
    errors.push(`${path}.scale: expected a positive number [arcsec/pixel], got ${describeValue(p.scale)}`);
  }
  return errors;
}

/** INTERPOL light profile: bilinear interpolation of a surface-brightness stamp. */
export class InterpolatedProfile implements LightProfile {
  readonly type: string = 'INTERPOL';
  readonly image: Float32Array | Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly amp: number;
  readonly centerX: number;
  readonly centerY: number;
  readonly phiG: number;
  readonly scale: number;
  // sky -> stamp index: col = m00 dx + m01 dy + c0, row = m10 dx + m11 dy + r0
  private readonly m00: number;
  private readonly m01: number;
  private readonly m10: number;
  private readonly m11: number;
  private readonly c0: number;
  private readonly r0: number;

  /** @throws SpecValidationError naming every bad parameter */
  constructor(params: InterpolatedParams) {
    const errors = validateInterpolatedParams(params);
    if (errors.length) throw new SpecValidationError('INTERPOL light profile', errors);
    this.image = params.image;
    this.rows = params.rows;
    this.cols = params.cols;
    this.amp = params.amp ?? 1;
    this.centerX = params.center_x ?? 0;
    this.centerY = params.center_y ?? 0;
    this.phiG = params.phi_G ?? 0;
    this.scale = params.scale ?? 1;
    const c = Math.cos(this.phiG) / this.scale, s = Math.sin(this.phiG) / this.scale;
    this.m00 = c; this.m01 = s; this.m10 = -s; this.m11 = c;
    this.c0 = (this.cols - 1) / 2;
    this.r0 = (this.rows - 1) / 2;
  }

  /**
   * The 9 parameters of the WebAssembly INTERPOL kernel (`imaging/wasm/render-kernel.c`
   * interpol_add) into out[0..8]: centre, sky-to-stamp matrix and offsets, amp.
   */
  kernelParameters(out: Float64Array): void {
    out[0] = this.centerX; out[1] = this.centerY; out[2] = this.m00; out[3] = this.m01;
    out[4] = this.m10; out[5] = this.m11; out[6] = this.c0; out[7] = this.r0; out[8] = this.amp;
  }

  /** Bilinear value of the zero-padded stamp at fractional (row, col); 0 outside. */
  private sample(r: number, c: number): number {
    const { rows, cols, image } = this;
    if (!(r > -1 && r < rows && c > -1 && c < cols)) return 0;
    const i0 = Math.floor(r), j0 = Math.floor(c);
    const fr = r - i0, fc = c - j0;
    const top = i0 >= 0, bot = i0 + 1 < rows, left = j0 >= 0, right = j0 + 1 < cols;
    const v00 = top && left ? image[i0 * cols + j0] : 0;
    const v01 = top && right ? image[i0 * cols + j0 + 1] : 0;
    const v10 = bot && left ? image[(i0 + 1) * cols + j0] : 0;
    const v11 = bot && right ? image[(i0 + 1) * cols + j0 + 1] : 0;
    return (1 - fr) * ((1 - fc) * v00 + fc * v01) + fr * ((1 - fc) * v10 + fc * v11);
  }

  surfaceBrightness(x: number, y: number): number {
    const dx = x - this.centerX, dy = y - this.centerY;
    const c = this.m00 * dx + this.m01 * dy + this.c0;
    const r = this.m10 * dx + this.m11 * dy + this.r0;
    return this.amp * this.sample(r, c);
  }

  addSurfaceBrightness(xs: Float64Array, ys: Float64Array, out: Float64Array, n: number): void {
    const { rows, cols, image, amp, centerX, centerY, m00, m01, m10, m11, c0, r0 } = this;
    const rLast = rows - 1, cLast = cols - 1;
    for (let k = 0; k < n; k++) {
      const dx = xs[k] - centerX, dy = ys[k] - centerY;
      const c = m00 * dx + m01 * dy + c0;
      const r = m10 * dx + m11 * dy + r0;
      if (!(r > -1 && r < rows && c > -1 && c < cols)) continue;
      const i0 = Math.floor(r), j0 = Math.floor(c);
      const fr = r - i0, fc = c - j0;
      let v: number;
      if (i0 >= 0 && j0 >= 0 && i0 < rLast && j0 < cLast) {
        const o = i0 * cols + j0;
        v = (1 - fr) * ((1 - fc) * image[o] + fc * image[o + 1]) + fr * ((1 - fc) * image[o + cols] + fc * image[o + cols + 1]);
      } else {
        v = this.sample(r, c);
      }
      out[k] += amp * v;
    }
  }

  /** lenstronomy total_flux: amp * sum(image) * scale^2. */
  totalFlux(): number {
    let s = 0;
    for (let i = 0; i < this.image.length; i++) s += this.image[i];
    return this.amp * s * this.scale * this.scale;
  }
}
