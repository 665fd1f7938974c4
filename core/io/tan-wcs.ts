/**
 * The gnomonic (TAN) projection of FITS WCS Paper II (Calabretta & Greisen 2002, §5.1.3) for a
 * square pixel grid, and the header cards that describe it (Paper I, Greisen & Calabretta 2002).
 *
 * Conventions:
 * - standard coordinates (ξ, η) in degrees about the reference point (ra0, dec0): ξ towards
 *   east (increasing RA), η towards north; they are the FITS intermediate world coordinates
 *   x = CDELT1 (p1 − CRPIX1), y = CDELT2 (p2 − CRPIX2) of RA---TAN / DEC--TAN (LONPOLE 180).
 * - pixel coordinates are 0-based (the centre of the first pixel is (0, 0), numpy/astropy
 *   `origin=0`): p1 = x + 1, p2 = y + 1; x is the column (NAXIS1, fastest), y the row.
 * - `tanGrid` puts RA increasing to the LEFT (CDELT1 < 0, east left, north up, as the sky is
 *   displayed), the reference point at the grid centre (CRPIX = (n + 1) / 2).
 */
import { LensforgeError } from '../errors.js';

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

/** A TAN WCS of a 2-D image. */
export interface TanWcs {
  /** Reference point (CRVAL1, CRVAL2) in degrees. */
  crval: [number, number];
  /** Reference pixel (CRPIX1, CRPIX2), 1-based as in FITS. */
  crpix: [number, number];
  /** Degrees per pixel (CDELT1, CDELT2); CDELT1 < 0 puts RA increasing to the left. */
  cdelt: [number, number];
  /** Image size (NAXIS1 columns, NAXIS2 rows). */
  naxis: [number, number];
}

/** RA wrapped into [0, 360). */
export function wrapRa(ra: number): number {
  const r = ra % 360;
  return r < 0 ? r + 360 : r === 360 ? 0 : r;
}

/**
 * Gnomonic projection of (ra, dec) about (ra0, dec0), all in degrees: standard coordinates
 * (ξ, η) in degrees, or undefined for points 90° or more from the reference point (not on the
 * tangent plane's hemisphere).
 */
export function tanProject(ra: number, dec: number, ra0: number, dec0: number): { xi: number; eta: number } | undefined {
  const a = (ra - ra0) * D2R, d = dec * D2R, d0 = dec0 * D2R;
  const cosC = Math.sin(d0) * Math.sin(d) + Math.cos(d0) * Math.cos(d) * Math.cos(a);
  if (!(cosC > 0)) return undefined;
  const xi = (Math.cos(d) * Math.sin(a)) / cosC;
  const eta = (Math.cos(d0) * Math.sin(d) - Math.sin(d0) * Math.cos(d) * Math.cos(a)) / cosC;
  return { xi: xi * R2D, eta: eta * R2D };
}

/** Inverse of {@link tanProject}: (ra in [0, 360), dec) in degrees. */
export function tanDeproject(xi: number, eta: number, ra0: number, dec0: number): { ra: number; dec: number } {
  const x = xi * D2R, y = eta * D2R, d0 = dec0 * D2R;
  const rho = Math.hypot(x, y);
  if (rho === 0) return { ra: wrapRa(ra0), dec: dec0 };
  const c = Math.atan(rho);
  const sc = Math.sin(c), cc = Math.cos(c);
  const dec = Math.asin(Math.max(-1, Math.min(1, cc * Math.sin(d0) + (y * sc * Math.cos(d0)) / rho)));
  const ra = ra0 * D2R + Math.atan2(x * sc, rho * Math.cos(d0) * cc - y * Math.sin(d0) * sc);
  return { ra: wrapRa(ra * R2D), dec: dec * R2D };
}

/** 0-based pixel (x = column, y = row) of (ra, dec), or undefined off the tangent hemisphere. */
export function worldToPixel(w: TanWcs, ra: number, dec: number): { x: number; y: number } | undefined {
  const p = tanProject(ra, dec, w.crval[0], w.crval[1]);
  if (!p) return undefined;
  return { x: w.crpix[0] - 1 + p.xi / w.cdelt[0], y: w.crpix[1] - 1 + p.eta / w.cdelt[1] };
}

/** (ra, dec) in degrees of the 0-based pixel (x = column, y = row). */
export function pixelToWorld(w: TanWcs, x: number, y: number): { ra: number; dec: number } {
  return tanDeproject((x + 1 - w.crpix[0]) * w.cdelt[0], (y + 1 - w.crpix[1]) * w.cdelt[1], w.crval[0], w.crval[1]);
}

/**
 * An n × n TAN grid of `pixelArcmin` square pixels centred on (ra0, dec0): RA increases to the
 * left (CDELT1 = −pixel), Dec upwards (CDELT2 = +pixel), CRPIX = (n + 1) / 2 (the reference point
 * is the grid centre: a pixel centre for odd n, a pixel corner for even n).
 */
export function tanGrid(ra0: number, dec0: number, n: number, pixelArcmin: number): TanWcs {
  if (!(Number.isInteger(n) && n >= 1)) throw new LensforgeError(`grid size: expected an integer >= 1, got ${n}`);
  if (!(Number.isFinite(pixelArcmin) && pixelArcmin > 0)) throw new LensforgeError(`pixel scale: expected a number of arcmin > 0, got ${pixelArcmin}`);
  if (!(Number.isFinite(ra0) && Number.isFinite(dec0) && dec0 >= -90 && dec0 <= 90)) {
    throw new LensforgeError(`centre: expected RA in degrees and Dec in [-90, 90], got (${ra0}, ${dec0})`);
  }
  const d = pixelArcmin / 60;
  return { crval: [wrapRa(ra0), dec0], crpix: [(n + 1) / 2, (n + 1) / 2], cdelt: [-d, d], naxis: [n, n] };
}

/**
 * FITS cards of a TAN WCS (Paper I/II): WCSAXES, CTYPE1 = 'RA---TAN', CTYPE2 = 'DEC--TAN',
 * CRVAL1/2, CRPIX1/2, CDELT1/2, CUNIT1/2 = 'deg', RADESYS = 'ICRS', EQUINOX = 2000, LONPOLE = 180.
 * (NAXISn are written by the image writer from the data shape.)
 */
export function tanWcsCards(w: TanWcs): Record<string, string | number> {
  return {
    WCSAXES: 2, CTYPE1: 'RA---TAN', CTYPE2: 'DEC--TAN',
    CRVAL1: w.crval[0], CRVAL2: w.crval[1], CRPIX1: w.crpix[0], CRPIX2: w.crpix[1],
    CDELT1: w.cdelt[0], CDELT2: w.cdelt[1], CUNIT1: 'deg', CUNIT2: 'deg',
    RADESYS: 'ICRS', EQUINOX: 2000, LONPOLE: 180,
  };
}

/** The centre of a set of sky positions: the normalised mean of their unit vectors (safe across RA = 0 and near the poles). */
export function skyCentre(ra: ArrayLike<number>, dec: ArrayLike<number>): { ra: number; dec: number } {
  let x = 0, y = 0, z = 0;
  for (let i = 0; i < ra.length; i++) {
    const a = ra[i] * D2R, d = dec[i] * D2R;
    x += Math.cos(d) * Math.cos(a); y += Math.cos(d) * Math.sin(a); z += Math.sin(d);
  }
  const r = Math.hypot(x, y, z);
  if (!(r > 0)) throw new LensforgeError('sky centre: the positions have no defined mean direction (empty or antipodal); give the centre explicitly');
  return { ra: wrapRa(Math.atan2(y, x) * R2D), dec: Math.asin(z / r) * R2D };
}
