/**
 * Light models by name (lenstronomy `LightModel` with a `light_model_list`): validation and
 * construction through a {@link ProfileCatalog} (the registered `light-profile` components), and `LightModel`, the sum of a
 * list of profiles.
 */
import { CORE_SERSIC_PARAMS } from './core-sersic.js';
import type { LightProfile } from './light-profile.js';
import type { ProfileCatalog } from './profile-catalog.js';
import type { ProfileParameters } from './profile-params.js';
import { SERSIC_ELLIPSE_PARAMS, SERSIC_PARAMS } from './sersic.js';
import { SpecValidationError } from './spec-validation-error.js';

/** The built-in analytic light model names (INTERPOL and plugin profiles come from the catalog). */
export type LightProfileType = 'SERSIC' | 'SERSIC_ELLIPSE' | 'CORE_SERSIC';

/** Parameter schemas of the built-in analytic light profiles, by lenstronomy name. */
export const LIGHT_PROFILE_PARAMS: Readonly<Record<LightProfileType, ProfileParameters>> = {
  SERSIC: SERSIC_PARAMS,
  SERSIC_ELLIPSE: SERSIC_ELLIPSE_PARAMS,
  CORE_SERSIC: CORE_SERSIC_PARAMS,
};

/**
 * Validates a light-profile keyword dictionary.
 * @param catalog the registered profiles (e.g. `ProfileCatalog.fromRegistry(registry)`)
 * @param kwargs e.g. `{ type: 'SERSIC_ELLIPSE', amp: 20, R_sersic: 0.3, n_sersic: 1.5 }`
 * @param path prefix for messages (default `source`)
 */
export function validateLightProfile(catalog: ProfileCatalog, kwargs: unknown, path = 'source'): { type?: string; params: Record<string, unknown>; errors: string[] } {
  return catalog.validateLight(kwargs, path);
}

/** Builds a light profile of a type registered in `catalog` from already validated parameters. */
export function buildLightProfile(catalog: ProfileCatalog, type: string, params: Record<string, unknown>): LightProfile {
  return catalog.createLight(type, params);
}

/**
 * Validates and builds one light profile; throws a {@link SpecValidationError} listing every
 * problem.
 * @param catalog the registered profiles
 */
export function createLightProfile(catalog: ProfileCatalog, kwargs: unknown, path = 'source'): LightProfile {
  const v = validateLightProfile(catalog, kwargs, path);
  if (v.errors.length > 0 || !v.type) throw new SpecValidationError(`light profile ${path}`, v.errors);
  return buildLightProfile(catalog, v.type, v.params);
}

/** Sum of several light profiles (lenstronomy `LightModel.surface_brightness`). */
export class LightModel {
  constructor(readonly profiles: readonly LightProfile[]) {}

  /**
   * Builds a model from keyword dictionaries; the error lists every problem with `PATH[i]`.
   * @param catalog the registered profiles
   */
  static fromKwargs(catalog: ProfileCatalog, list: readonly unknown[], path = 'source'): LightModel {
    const errors: string[] = [];
    const built: LightProfile[] = [];
    list.forEach((kw, i) => {
      const v = validateLightProfile(catalog, kw, `${path}[${i}]`);
      errors.push(...v.errors);
      if (v.errors.length === 0 && v.type) built.push(buildLightProfile(catalog, v.type, v.params));
    });
    if (errors.length > 0) throw new SpecValidationError(`${path} light model list`, errors);
    return new LightModel(built);
  }

  /** Total surface brightness at (x, y). */
  surfaceBrightness(x: number, y: number): number {
    let s = 0;
    for (const p of this.profiles) s += p.surfaceBrightness(x, y);
    return s;
  }

  /** ADDS the total surface brightness at n points to `out` (fast render kernels). */
  addSurfaceBrightness(xs: Float64Array, ys: Float64Array, out: Float64Array, n = xs.length): void {
    for (const p of this.profiles) p.addSurfaceBrightness(xs, ys, out, n);
  }

  /** Total flux of each profile (throws for a profile without a defined total flux). */
  totalFlux(): number[] {
    return this.profiles.map((p) => {
      if (!p.totalFlux) throw new Error(`totalFlux: profile ${p.type} does not define a total flux (only SERSIC and SERSIC_ELLIPSE do)`);
      return p.totalFlux();
    });
  }
}
