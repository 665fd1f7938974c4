/**
 * The lenstronomy-shaped JSON description of one simulated lens system, and its validation.
 * Validation collects EVERY problem with its key path (deeplenstronomy style) and reports them in
 * one `SpecValidationError`, e.g.
 * `lens[0].gamma: expected a number in [1.2, 2.9] for EPL, got 3.5`. Profile `type`s and their
 * parameters come from the {@link ProfileCatalog} passed in (required).
 *
 * ```json
 * {"numPix": 64, "deltaPix": 0.08, "supersampling": 1,
 *  "lens": [{"type": "EPL", "theta_E": 1.2, "gamma": 2.1, "e1": 0.1, "e2": -0.05},
 *           {"type": "SHEAR", "gamma1": 0.02, "gamma2": -0.01}],
 *  "source": [{"type": "SERSIC_ELLIPSE", "amp": 20, "R_sersic": 0.3, "n_sersic": 1.5}],
 *  "lensLight": [{"type": "SERSIC_ELLIPSE", "amp": 5, "R_sersic": 1.0, "n_sersic": 3}],
 *  "psf": {"type": "GAUSSIAN", "fwhm": 0.1, "truncation": 5},
 *  "noise": {"background_rms": 0.05, "exposure_time": 1000, "seed": 1},
 *  "normalize": false}
 * ```
 */
import { describeValue } from '../profiles/describe-value.js';
import type { ProfileCatalog } from '../profiles/profile-catalog.js';
import { SpecValidationError } from '../profiles/spec-validation-error.js';
import { validatePixelKernel, type PixelKernelInput } from './pixel-psf.js';

/** PSF choices. */
export type PsfSpec =
  | { type: 'NONE' }
  | { type: 'GAUSSIAN'; fwhm: number; truncation?: number }
  | {
    type: 'PIXEL'; kernel: PixelKernelInput; normalize?: boolean; tolerance?: number;
    pixelScale?: number; supersampling?: number;
  };

/** Noise settings of a render spec. */
export interface RenderNoiseSpec {
  background_rms: number;
  /** Exposure time [s]; null disables the Poisson term. */
  exposure_time: number | null;
  /** Seed of the noise stream when no `Rng` is passed to the renderer. */
  seed?: number;
}

/** A lens system as the user writes it. */
export interface RenderSpec {
  numPix: number;
  deltaPix: number;
  supersampling?: number;
  lens?: ReadonlyArray<{ type: string } & Record<string, unknown>>;
  source?: ReadonlyArray<{ type: string } & Record<string, unknown>>;
  lensLight?: ReadonlyArray<{ type: string } & Record<string, unknown>>;
  psf?: PsfSpec | null;
  noise?: RenderNoiseSpec | null;
  normalize?: boolean;
}

/** A profile after validation: its registered type and every parameter with defaults filled in. */
export interface ValidatedProfileRef<P = Record<string, number>> { type: string; params: P }

/** A render spec after validation, with defaults filled in. */
export interface ValidatedRenderSpec {
  numPix: number;
  deltaPix: number;
  supersampling: number;
  lens: ValidatedProfileRef[];
  source: ValidatedProfileRef<Record<string, unknown>>[];
  lensLight: ValidatedProfileRef<Record<string, unknown>>[];
  psf:
    | { type: 'NONE' }
    | { type: 'GAUSSIAN'; fwhm: number; truncation: number }
    | { type: 'PIXEL'; kernel: Float64Array; size: number; supersampling: number; pixelScale?: number };
  noise: RenderNoiseSpec | null;
  normalize: boolean;
}

const TOP_KEYS = ['numPix', 'deltaPix', 'supersampling', 'lens', 'source', 'lensLight', 'psf', 'noise', 'normalize'];
const PSF_KEYS: Record<string, string[]> = {
  NONE: ['type'],
  GAUSSIAN: ['type', 'fwhm', 'truncation'],
  PIXEL: ['type', 'kernel', 'normalize', 'tolerance', 'pixelScale', 'supersampling'],
};
const NOISE_KEYS = ['background_rms', 'exposure_time', 'seed'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

function checkUnknownKeys(obj: Record<string, unknown>, allowed: string[], path: string, errors: string[]): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) errors.push(`${path}${path ? '.' : ''}${k}: unknown field; allowed: ${allowed.join(', ')}`);
  }
}

function checkInt(v: unknown, path: string, lo: number, hi: number, errors: string[]): number | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    errors.push(`${path}: expected an integer in [${lo}, ${hi}], got ${describeValue(v)}`);
    return undefined;
  }
  return v;
}

function checkNum(v: unknown, path: string, lo: number, hi: number, loOpen: boolean, errors: string[]): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v) || (loOpen ? v <= lo : v < lo) || v > hi) {
    errors.push(`${path}: expected a number in ${loOpen ? '(' : '['}${lo}, ${hi}], got ${describeValue(v)}`);
    return undefined;
  }
  return v;
}

function validateList<P>(
  v: unknown, path: string, errors: string[], one: (kw: unknown, p: string) => { type?: string; params: P; errors: string[] },
): ValidatedProfileRef<P>[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) { errors.push(`${path}: expected an array of profiles, got ${describeValue(v)}`); return []; }
  const out: ValidatedProfileRef<P>[] = [];
  v.forEach((kw, i) => {
    const r = one(kw, `${path}[${i}]`);
    errors.push(...r.errors);
    if (r.errors.length === 0 && r.type) out.push({ type: r.type, params: r.params });
  });
  return out;
}

/** Options of {@link validateRenderSpec}. */
export interface RenderSpecValidationOptions {
  /** Require `noise.seed` when noise is on (true when no Rng will be supplied). */
  requireNoiseSeed?: boolean;
  /** Profiles accepted by `type` (`ProfileCatalog.fromRegistry(registry)`: the built-in and every plugin's). */
  catalog: ProfileCatalog;
}

/**
 * Validates a render spec, collecting every problem.
 * @returns `value` (defaults filled in) when there are no errors, and the list of errors
 */
export function validateRenderSpec(spec: unknown, options: RenderSpecValidationOptions): { value?: ValidatedRenderSpec; errors: string[] } {
  const errors: string[] = [];
  if (!isObject(spec)) return { errors: [`spec: expected an object with numPix, deltaPix, lens, source, ..., got ${describeValue(spec)}`] };
  checkUnknownKeys(spec, TOP_KEYS, '', errors);
  const numPix = spec.numPix === undefined
    ? (errors.push('numPix: missing; expected an integer in [1, 4096]'), undefined)
    : checkInt(spec.numPix, 'numPix', 1, 4096, errors);
  const deltaPix = spec.deltaPix === undefined
    ? (errors.push('deltaPix: missing; expected a number in (0, 10] [arcsec/pixel]'), undefined)
    : checkNum(spec.deltaPix, 'deltaPix', 0, 10, true, errors);
  const supersampling = spec.supersampling === undefined ? 1 : checkInt(spec.supersampling, 'supersampling', 1, 16, errors);
  const catalog = options.catalog;
  const lens = validateList(spec.lens, 'lens', errors, (kw, p) => catalog.validateMass(kw, p));
  const source = validateList(spec.source, 'source', errors, (kw, p) => catalog.validateLight(kw, p));
  const lensLight = validateList(spec.lensLight, 'lensLight', errors, (kw, p) => catalog.validateLight(kw, p));

  let psf: ValidatedRenderSpec['psf'] | undefined = { type: 'NONE' };
  const p = spec.psf;
  if (p !== undefined && p !== null) {
    if (!isObject(p)) { errors.push(`psf: expected an object with a type of NONE, GAUSSIAN or PIXEL, got ${describeValue(p)}`); psf = undefined; }
    else if (typeof p.type !== 'string' || !(p.type in PSF_KEYS)) {
      errors.push(`psf.type: expected one of NONE, GAUSSIAN, PIXEL, got ${describeValue(p.type)}`);
      psf = undefined;
    } else {
      checkUnknownKeys(p, PSF_KEYS[p.type], 'psf', errors);
      if (p.type === 'GAUSSIAN') {
        const fwhm = p.fwhm === undefined
          ? (errors.push('psf.fwhm: missing; expected a number in (0, 100] [arcsec]'), undefined)
          : checkNum(p.fwhm, 'psf.fwhm', 0, 100, true, errors);
        const truncation = p.truncation === undefined ? 5 : checkNum(p.truncation, 'psf.truncation', 0, 50, true, errors);
        psf = fwhm !== undefined && truncation !== undefined ? { type: 'GAUSSIAN', fwhm, truncation } : undefined;
      } else if (p.type === 'PIXEL') {
        if (p.normalize !== undefined && typeof p.normalize !== 'boolean') errors.push(`psf.normalize: expected a boolean, got ${describeValue(p.normalize)}`);
        const tolerance = p.tolerance === undefined ? undefined : checkNum(p.tolerance, 'psf.tolerance', 0, 1, true, errors);
        const ks = p.supersampling === undefined ? 1 : checkInt(p.supersampling, 'psf.supersampling', 1, 16, errors);
        const pixelScale = p.pixelScale === undefined ? undefined : checkNum(p.pixelScale, 'psf.pixelScale', 0, 10, true, errors);
        const kv = p.kernel === undefined
          ? { errors: ['psf.kernel: missing; expected a square odd-sized kernel (number[][] or flat Float32Array)'] }
          : validatePixelKernel(p.kernel, 'psf.kernel', { normalize: p.normalize === true, tolerance });
        errors.push(...kv.errors);
        if (ks !== undefined && supersampling !== undefined && ks !== 1 && ks !== supersampling) {
          errors.push(`psf.supersampling: expected 1 or the render supersampling ${supersampling}, got ${ks}`);
        }
        if (pixelScale !== undefined && deltaPix !== undefined && ks !== undefined) {
          const want = deltaPix / ks;
          if (Math.abs(pixelScale - want) > 1e-6 * want) {
            errors.push(`psf.pixelScale: expected ${want} (deltaPix / psf.supersampling), got ${pixelScale}`);
          }
        }
        psf = kv.kernel && kv.size && ks !== undefined ? { type: 'PIXEL', kernel: kv.kernel, size: kv.size, supersampling: ks, pixelScale } : undefined;
      }
    }
  }

  let noise: RenderNoiseSpec | null | undefined = null;
  const nz = spec.noise;
  if (nz !== undefined && nz !== null) {
    if (!isObject(nz)) { errors.push(`noise: expected null or an object with background_rms, exposure_time, seed, got ${describeValue(nz)}`); noise = undefined; }
    else {
      checkUnknownKeys(nz, NOISE_KEYS, 'noise', errors);
      const bg = nz.background_rms === undefined
        ? (errors.push('noise.background_rms: missing; expected a number in [0, 1e12]'), undefined)
        : checkNum(nz.background_rms, 'noise.background_rms', 0, 1e12, false, errors);
      const et = nz.exposure_time === undefined || nz.exposure_time === null ? null : checkNum(nz.exposure_time, 'noise.exposure_time', 0, 1e12, true, errors);
      let seed: number | undefined;
      if (nz.seed !== undefined) {
        if (typeof nz.seed !== 'number' || !Number.isSafeInteger(nz.seed)) errors.push(`noise.seed: expected a safe integer, got ${describeValue(nz.seed)}`);
        else seed = nz.seed;
      } else if (options.requireNoiseSeed) {
        errors.push('noise.seed: missing; expected an integer seed (or pass an Rng to the renderer)');
      }
      noise = bg !== undefined && et !== undefined ? { background_rms: bg, exposure_time: et, seed } : undefined;
    }
  }

  const normalize = spec.normalize === undefined ? false : spec.normalize;
  if (typeof normalize !== 'boolean') errors.push(`normalize: expected a boolean, got ${describeValue(normalize)}`);

  if (errors.length > 0 || numPix === undefined || deltaPix === undefined || supersampling === undefined || psf === undefined || noise === undefined) {
    return { errors };
  }
  return {
    value: { numPix, deltaPix, supersampling, lens, source, lensLight, psf, noise, normalize: normalize as boolean },
    errors,
  };
}

/** Validates a render spec and throws one {@link SpecValidationError} listing every problem. */
export function parseRenderSpec(spec: unknown, options: RenderSpecValidationOptions): ValidatedRenderSpec {
  const r = validateRenderSpec(spec, options);
  if (!r.value) throw new SpecValidationError('render spec', r.errors);
  return r.value;
}
