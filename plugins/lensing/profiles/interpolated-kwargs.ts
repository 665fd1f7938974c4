/**
 * Render-spec keywords of the INTERPOL light profile (lenstronomy 1.14.2
 * `LightModel/Profiles/interpolation.py`): `image` (a 2-D array of surface brightness, row 0 at
 * the most negative y) plus the numeric `amp, center_x, center_y, phi_G, scale`.
 */
import type { InterpolatedParams } from './interpolated.js';
import { z } from '../../../core/index.js';
import { describeValue } from './describe-value.js';
import type { ProfileValidation } from './profile-component.js';
import { CENTER_X, CENTER_Y, parseProfileParams, profileParameters } from './profile-params.js';

const IMAGE_EXPECTED = 'a 2-D array of finite numbers [rows][cols] (the render command also takes a path to a .npy or FITS file)';

/** One-line description of INTERPOL. */
export const INTERPOL_DESCRIPTION = 'bilinear interpolation of a surface-brightness stamp (lenstronomy INTERPOL); image: 2-D array [rows][cols], row 0 at the most negative y';

/** Numeric parameters of INTERPOL. */
const INTERPOL_NUMERIC = {
  amp: z.number().min(0).max(1e12).default(1).describe('multiplies the stamp'),
  center_x: CENTER_X,
  center_y: CENTER_Y,
  phi_G: z.number().min(-7).max(7).default(0).describe('rotation of the stamp [rad]'),
  scale: z.number().gt(0).lte(100).default(1).describe('stamp pixel size [arcsec/pixel]'),
};

/** Numeric parameters of INTERPOL without the stamp (what {@link validateInterpolatedKwargs} parses with zod). */
const INTERPOL_NUMERIC_PARAMS = profileParameters('INTERPOL', INTERPOL_NUMERIC);

/**
 * Parameters of INTERPOL (lenstronomy keywords): the stamp `image` (checked element by element
 * by {@link validateInterpolatedKwargs}, whose messages name the bad cell) and the numeric ones.
 */
export const INTERPOL_PARAMS = profileParameters('INTERPOL', {
  image: z.array(z.array(z.number())).describe(IMAGE_EXPECTED),
  ...INTERPOL_NUMERIC,
});

/**
 * Validates INTERPOL keywords `{ type: 'INTERPOL', image: number[][], amp?, center_x?, center_y?, phi_G?, scale? }`.
 * @param kwargs the user's keywords
 * @param path message prefix, e.g. `source[0]`
 * @returns {@link InterpolatedParams} (image as a row-major Float64Array with rows, cols) and every problem found
 */
export function validateInterpolatedKwargs(kwargs: Record<string, unknown>, path: string): ProfileValidation<Record<string, unknown>> {
  const { image, ...rest } = kwargs;
  const r = parseProfileParams(INTERPOL_NUMERIC_PARAMS, 'INTERPOL', rest, path);
  const errors = r.errors.map((e) => e.replace(/; allowed: /, '; allowed: image, '));
  let out: Pick<InterpolatedParams, 'image' | 'rows' | 'cols'> | undefined;
  if (image === undefined) {
    errors.push(`${path}.image: missing; expected ${IMAGE_EXPECTED}`);
  } else if (!Array.isArray(image) || image.length === 0 || !image.every((row) => Array.isArray(row) && row.length > 0 && row.length === (image[0] as unknown[]).length)) {
    errors.push(`${path}.image: expected ${IMAGE_EXPECTED}, got ${describeValue(image)}`);
  } else {
    const rows = image.length, cols = (image[0] as unknown[]).length;
    const data = new Float64Array(rows * cols);
    let bad: string | undefined;
    for (let i = 0; i < rows && !bad; i++) {
      for (let j = 0; j < cols; j++) {
        const v = (image[i] as unknown[])[j];
        if (typeof v !== 'number' || !Number.isFinite(v)) { bad = `${path}.image[${i}][${j}]: expected a finite number, got ${describeValue(v)}`; break; }
        data[i * cols + j] = v;
      }
    }
    if (bad) errors.push(bad);
    else out = { image: data, rows, cols };
  }
  return { params: { ...r.params, ...out }, errors };
}
