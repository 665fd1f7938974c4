/**
 * Light models by name (lenstronomy `LightModel` with a `light_model_list`): the table of
 * supported light profiles, a factory from keyword dictionaries, and `LightModel`, the sum of a
 * list of profiles.
 */
import { CORE_SERSIC_SPEC, CoreSersicProfile, type CoreSersicParams } from './core-sersic.js';
import type { LightProfile } from './light-profile.js';
import { SpecValidationError, validateProfileKwargs, type ProfileSpec } from './param-spec.js';
import { SERSIC_ELLIPSE_SPEC, SERSIC_SPEC, SersicProfile, type SersicParams } from './sersic.js';

/** Supported light model names. */
export type LightProfileType = 'SERSIC' | 'SERSIC_ELLIPSE' | 'CORE_SERSIC';

/** Parameter tables of every supported light profile, by lenstronomy name. */
export const LIGHT_PROFILE_SPECS: Readonly<Record<LightProfileType, ProfileSpec>> = {
  SERSIC: SERSIC_SPEC,
  SERSIC_ELLIPSE: SERSIC_ELLIPSE_SPEC,
  CORE_SERSIC: CORE_SERSIC_SPEC,
};

/**
 * Validates a light-profile keyword dictionary.
 * @param kwargs e.g. `{ type: 'SERSIC_ELLIPSE', amp: 20, R_sersic: 0.3, n_sersic: 1.5 }`
 * @param path prefix for messages (default `source`)
 */
export function validateLightProfile(kwargs: unknown, path = 'source'): { type?: LightProfileType; params: Record<string, number>; errors: string[] } {
  const r = validateProfileKwargs(kwargs, path, LIGHT_PROFILE_SPECS, 'light');
  return { type: r.spec?.type as LightProfileType | undefined, params: r.params, errors: r.errors };
}

/** Builds a light profile from already validated parameters. */
export function buildLightProfile(type: LightProfileType, params: Record<string, number>): LightProfile {
  switch (type) {
    case 'SERSIC': return new SersicProfile(params as unknown as SersicParams, 'SERSIC');
    case 'SERSIC_ELLIPSE': return new SersicProfile(params as unknown as SersicParams, 'SERSIC_ELLIPSE');
    case 'CORE_SERSIC': return new CoreSersicProfile(params as unknown as CoreSersicParams);
  }
}

/**
 * Validates and builds one light profile; throws a {@link SpecValidationError} listing every
 * problem.
 */
export function createLightProfile(kwargs: unknown, path = 'source'): LightProfile {
  const v = validateLightProfile(kwargs, path);
  if (v.errors.length > 0 || !v.type) throw new SpecValidationError(`light profile ${path}`, v.errors);
  return buildLightProfile(v.type, v.params);
}

/** Sum of several light profiles (lenstronomy `LightModel.surface_brightness`). */
export class LightModel {
  constructor(readonly profiles: readonly LightProfile[]) {}

  /** Builds a model from keyword dictionaries; the error lists every problem with `PATH[i]`. */
  static fromKwargs(list: readonly unknown[], path = 'source'): LightModel {
    const errors: string[] = [];
    const built: LightProfile[] = [];
    list.forEach((kw, i) => {
      const v = validateLightProfile(kw, `${path}[${i}]`);
      errors.push(...v.errors);
      if (v.errors.length === 0 && v.type) built.push(buildLightProfile(v.type, v.params));
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
