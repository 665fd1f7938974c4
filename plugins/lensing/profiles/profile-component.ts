/**
 * The contract of a profile component: lenstronomy model names (`EPL`, `SERSIC_ELLIPSE`, ...) are
 * registered components of kind `mass-profile` or `light-profile`, so that a plugin can add a
 * profile by registering a class with `@component({ kind: 'mass-profile', name: 'x/y', ... })`
 * and listing it in its manifest; render specs then accept its `type` by name. Its parameters are
 * a zod schema (`profileParameters(type, { theta_E: z.number().gt(0).lte(100).describe(...) })`):
 * user keywords are validated by that schema only (see `profile-params.ts`).
 */
import type { LightProfile } from './light-profile.js';
import type { MassProfile } from './mass-profile.js';
import type { ProfileParameters } from './profile-params.js';

/** Component kind of lens (mass) profiles. */
export const MASS_PROFILE_KIND = 'mass-profile';
/** Component kind of light (surface-brightness) profiles. */
export const LIGHT_PROFILE_KIND = 'light-profile';

/** Result of a profile's own keyword validation. */
export interface ProfileValidation<P> {
  /** The parameters with defaults filled in (meaningful only when `errors` is empty). */
  params: P;
  /** One `PATH.field: expected ..., got ...` line per problem. */
  errors: string[];
}

/** Build options of mass profiles (only EPL uses them). */
export interface MassProfileOptions {
  /** EPL angular-series truncation tolerance (default 1e-10). */
  tolerance?: number;
}

/** What a `mass-profile` component exposes. */
export interface MassProfileComponent {
  /** lenstronomy model name used as `type` in render specs, e.g. `EPL`. */
  readonly type: string;
  /** Parameters as a strict zod object (ranges, defaults, descriptions); validates the keywords. */
  readonly parameters: ProfileParameters;
  /** Optional custom validation replacing the schema-driven one. */
  validate?(kwargs: Record<string, unknown>, path: string): ProfileValidation<Record<string, number>>;
  /** Builds the profile from validated parameters (lenstronomy keyword names). */
  create(params: Record<string, number>, options?: MassProfileOptions): MassProfile;
}

/** What a `light-profile` component exposes. */
export interface LightProfileComponent {
  /** lenstronomy model name used as `type` in render specs, e.g. `SERSIC_ELLIPSE`. */
  readonly type: string;
  /** Parameters as a strict zod object (ranges, defaults, descriptions); validates the keywords. */
  readonly parameters: ProfileParameters;
  /** Optional custom validation (e.g. INTERPOL's image array) replacing the schema-driven one. */
  validate?(kwargs: Record<string, unknown>, path: string): ProfileValidation<Record<string, unknown>>;
  /** Builds the profile from validated parameters. */
  create(params: Record<string, unknown>): LightProfile;
}
