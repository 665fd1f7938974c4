/**
 * Lens models by name (lenstronomy `LensModel` with a `lens_model_list`): validation and
 * construction through a {@link ProfileCatalog} (the registered `mass-profile` components), and `MassModel`, the sum of a list of
 * profiles in a single lens plane.
 */
import { EPL_PARAMS, type EplOptions } from './epl.js';
import type { MassProfile } from './mass-profile.js';
import type { ProfileCatalog } from './profile-catalog.js';
import type { ProfileParameters } from './profile-params.js';
import { SHEAR_PARAMS } from './shear.js';
import { SIE_PARAMS } from './sie.js';
import { SIS_PARAMS } from './sis.js';
import { SpecValidationError } from './spec-validation-error.js';

/** The built-in lens model names (plugins may register more; see `profile-catalog.ts`). */
export type MassProfileType = 'EPL' | 'SIE' | 'SIS' | 'SHEAR';

/** Parameter schemas of the built-in mass profiles, by lenstronomy name. */
export const MASS_PROFILE_PARAMS: Readonly<Record<MassProfileType, ProfileParameters>> = {
  EPL: EPL_PARAMS,
  SIE: SIE_PARAMS,
  SIS: SIS_PARAMS,
  SHEAR: SHEAR_PARAMS,
};

/** A lens profile as lenstronomy keywords plus its model name, e.g. `{ type: 'SIS', theta_E: 1 }`. */
export type MassProfileKwargs = { type: string } & Record<string, unknown>;

/**
 * Validates a mass-profile keyword dictionary.
 * @param catalog the registered profiles (e.g. `ProfileCatalog.fromRegistry(registry)`)
 * @param kwargs e.g. `{ type: 'EPL', theta_E: 1.2, gamma: 2.1, e1: 0.1, e2: 0 }`
 * @param path prefix for messages (default `lens`)
 * @returns the errors (empty when valid) and the parameters with defaults filled in
 */
export function validateMassProfile(catalog: ProfileCatalog, kwargs: unknown, path = 'lens'): { type?: string; params: Record<string, number>; errors: string[] } {
  return catalog.validateMass(kwargs, path);
}

/** Builds a profile of a type registered in `catalog` from already validated parameters. */
export function buildMassProfile(catalog: ProfileCatalog, type: string, params: Record<string, number>, options: EplOptions = {}): MassProfile {
  return catalog.createMass(type, params, options);
}

/**
 * Validates and builds one mass profile; throws a {@link SpecValidationError} listing every
 * problem (unknown type with the catalog's names, missing or out-of-range parameters).
 * @param catalog the registered profiles
 * @param kwargs lenstronomy keywords plus `type`
 * @param path prefix for messages (default `lens`)
 */
export function createMassProfile(catalog: ProfileCatalog, kwargs: unknown, path = 'lens', options: EplOptions = {}): MassProfile {
  const v = validateMassProfile(catalog, kwargs, path);
  if (v.errors.length > 0 || !v.type) throw new SpecValidationError(`mass profile ${path}`, v.errors);
  return buildMassProfile(catalog, v.type, v.params, options);
}

/**
 * Sum of several mass profiles in one lens plane (lenstronomy `LensModel` without multi-plane).
 * All methods take and return plain numbers or arrays; deflections, potentials and Hessians add.
 */
export class MassModel {
  constructor(readonly profiles: readonly MassProfile[]) {}

  /**
   * Builds a model from a list of keyword dictionaries (validating all of them; the thrown
   * error lists every problem with its `lens[i]` path).
   * @param catalog the registered profiles
   */
  static fromKwargs(catalog: ProfileCatalog, list: readonly unknown[], options: EplOptions = {}): MassModel {
    const errors: string[] = [];
    const built: MassProfile[] = [];
    list.forEach((kw, i) => {
      const v = validateMassProfile(catalog, kw, `lens[${i}]`);
      errors.push(...v.errors);
      if (v.errors.length === 0 && v.type) built.push(buildMassProfile(catalog, v.type, v.params, options));
    });
    if (errors.length > 0) throw new SpecValidationError('lens model list', errors);
    return new MassModel(built);
  }

  /** Total deflection `[alpha_x, alpha_y]` at (x, y). */
  deflection(x: number, y: number): [number, number] {
    let ax = 0, ay = 0;
    for (const p of this.profiles) { const [a, b] = p.deflection(x, y); ax += a; ay += b; }
    return [ax, ay];
  }

  /** Total potential at (x, y). */
  potential(x: number, y: number): number {
    let s = 0;
    for (const p of this.profiles) s += p.potential(x, y);
    return s;
  }

  /** Total Hessian `[f_xx, f_xy, f_yx, f_yy]` at (x, y). */
  hessian(x: number, y: number): [number, number, number, number] {
    let a = 0, b = 0, c = 0, d = 0;
    for (const p of this.profiles) { const h = p.hessian(x, y); a += h[0]; b += h[1]; c += h[2]; d += h[3]; }
    return [a, b, c, d];
  }

  /** kappa = (f_xx + f_yy)/2 (lenstronomy `LensModel.kappa`). */
  convergence(x: number, y: number): number {
    const h = this.hessian(x, y);
    return 0.5 * (h[0] + h[3]);
  }

  /** Shear `[gamma1, gamma2] = [(f_xx - f_yy)/2, f_xy]` (lenstronomy `LensModel.gamma`). */
  shear(x: number, y: number): [number, number] {
    const h = this.hessian(x, y);
    return [0.5 * (h[0] - h[3]), h[1]];
  }

  /** Source position `beta = theta - alpha(theta)` (lenstronomy `ray_shooting`). */
  rayShoot(x: number, y: number): [number, number] {
    const [ax, ay] = this.deflection(x, y);
    return [x - ax, y - ay];
  }

  /**
   * Ray-shoots n points with the fast render kernels: writes beta into (bx, by). The outputs may
   * not alias the inputs.
   */
  rayShootMany(xs: Float64Array, ys: Float64Array, bx: Float64Array, by: Float64Array, n = xs.length): void {
    bx.fill(0, 0, n);
    by.fill(0, 0, n);
    for (const p of this.profiles) p.addDeflections(xs, ys, bx, by, n);
    for (let i = 0; i < n; i++) { bx[i] = xs[i] - bx[i]; by[i] = ys[i] - by[i]; }
  }
}
