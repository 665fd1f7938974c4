/**
 * Light models by name (lenstronomy `LightModel` with a `light_model_list`): validation and
 * construction through a {@link ProfileCatalog} (the registered `light-profile` components), and `LightModel`, the sum of a
 * list of profiles.
 */
import { CORE_SERSIC_SPEC } from './core-sersic.js';
import type { LightProfile } from './light-profile.js';
import { SpecValidationError, type ProfileSpec } from './param-spec.js';
import { builtinProfileCatalog, type ProfileCatalog } from './profile-catalog.js';
import { SERSIC_ELLIPSE_SPEC, SERSIC_SPEC } from './sersic.js';

/** The built-in analytic light model names (INTERPOL and plugin profiles come from the catalog). */
export type LightProfileType = 'SERSIC' | 'SERSIC_ELLIPSE' | 'CORE_SERSIC';

/** Parameter tables of the built-in analytic light profiles, by lenstronomy name. */
export const LIGHT_PROFILE_SPECS: Readonly<Record<LightProfileType, ProfileSpec>> = {
  SERSIC: SERSIC_SPEC,
  SERSIC_ELLIPSE: SERSIC_ELLIPSE_SPEC,
  CORE_SERSIC: CORE_SERSIC_SPEC,
};

/**
 * Validates a light-profile keyword dictionary.
 * @param kwargs e.g. `{ type: 'SERSIC_ELLIPSE', amp: 20, R_sersic: 0.3, n_sersic: 1.5 }`
 * @param path prefix for messages (default `source`)
 * @param catalog the registered profiles (default: the built-in ones)
 */
export function validateLightProfile(kwargs: unknown, path = 'source', catalog: ProfileCatalog = builtinProfileCatalog()): { type?: string; params: Record<string, unknown>; errors: string[] } {
  return catalog.validateLight(kwargs, path);
}

/** Builds a light profile of a registered type from already validated parameters. */
export function buildLightProfile(type: string, params: Record<string, unknown>, catalog: ProfileCatalog = builtinProfileCatalog()): LightProfile {
  return catalog.createLight(type, params);
}

/**
 * Validates and builds one light profile; throws a {@link SpecValidationError} listing every
 * problem.
 */
export function createLightProfile(kwargs: unknown, path = 'source', catalog: ProfileCatalog = builtinProfileCatalog()): LightProfile {
  const v = validateLightProfile(kwargs, path, catalog);
  if (v.errors.length > 0 || !v.type) throw new SpecValidationError(`light profile ${path}`, v.errors);
  return buildLightProfile(v.type, v.params, catalog);
}

/** Sum of several light profiles (lenstronomy `LightModel.surface_brightness`). */
export class LightModel {
  constructor(readonly profiles: readonly LightProfile[]) {}

  /** Builds a model from keyword dictionaries; the error lists every problem with `PATH[i]`. */
  static fromKwargs(list: readonly unknown[], path = 'source', catalog: ProfileCatalog = builtinProfileCatalog()): LightModel {
    const errors: string[] = [];
    const built: LightProfile[] = [];
    list.forEach((kw, i) => {
      const v = validateLightProfile(kw, `${path}[${i}]`, catalog);
      errors.push(...v.errors);
      if (v.errors.length === 0 && v.type) built.push(buildLightProfile(v.type, v.params, catalog));
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
