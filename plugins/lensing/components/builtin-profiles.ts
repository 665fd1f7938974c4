/**
 * The built-in profile components of the lensing plugin: each lenstronomy model name is a
 * registered component (kind `mass-profile` or `light-profile`) exposing its `type`, its
 * parameters (a zod schema) and `create(params)`; the `lensforge list` line of each names its
 * parameters with their ranges and defaults. A plugin adds a profile the same way (see
 * `profile-component.ts`).
 */
import { component, z } from '../../../core/index.js';
import { CORE_SERSIC_DESCRIPTION, CORE_SERSIC_PARAMS, CoreSersicProfile, type CoreSersicParams } from '../profiles/core-sersic.js';
import { EPL_DESCRIPTION, EPL_PARAMS, EplProfile, type EplParams } from '../profiles/epl.js';
import { InterpolatedProfile, type InterpolatedParams } from '../profiles/interpolated.js';
import { INTERPOL_DESCRIPTION, INTERPOL_PARAMS, validateInterpolatedKwargs } from '../profiles/interpolated-kwargs.js';
import type { LightProfile } from '../profiles/light-profile.js';
import type { MassProfile } from '../profiles/mass-profile.js';
import type { ProfileValidation } from '../profiles/profile-component.js';
import { describeParameters, type ProfileParameters } from '../profiles/profile-params.js';
import type { LightProfileComponent, MassProfileComponent, MassProfileOptions } from '../profiles/profile-component.js';
import { SERSIC_DESCRIPTION, SERSIC_ELLIPSE_DESCRIPTION, SERSIC_ELLIPSE_PARAMS, SERSIC_PARAMS, SersicProfile, type SersicParams } from '../profiles/sersic.js';
import { SHEAR_DESCRIPTION, SHEAR_PARAMS, ShearProfile, type ShearParams } from '../profiles/shear.js';
import { SIE_DESCRIPTION, SIE_PARAMS, SieProfile, type SieParams } from '../profiles/sie.js';
import { SIS_DESCRIPTION, SIS_PARAMS, SisProfile, type SisParams } from '../profiles/sis.js';

/** Profile components take no options. */
const NoOptions = z.strictObject({}).describe('no options');

/** The `lensforge list` line of a profile: its description, type and parameters. */
const listed = (description: string, parameters: ProfileParameters) => `${description}; parameters: ${describeParameters(parameters)}`;

/** EPL, elliptical power law (Tessore & Metcalf 2015; lenstronomy `EPL`). */
@component({ kind: 'mass-profile', name: 'lensing/epl', description: listed(EPL_DESCRIPTION, EPL_PARAMS), options: NoOptions })
export class EplComponent implements MassProfileComponent {
  readonly type = 'EPL';
  readonly parameters = EPL_PARAMS;
  create(params: Record<string, number>, options: MassProfileOptions = {}): MassProfile { return new EplProfile(params as unknown as EplParams, options); }
}

/** SIE, singular isothermal ellipsoid (lenstronomy `SIE`). */
@component({ kind: 'mass-profile', name: 'lensing/sie', description: listed(SIE_DESCRIPTION, SIE_PARAMS), options: NoOptions })
export class SieComponent implements MassProfileComponent {
  readonly type = 'SIE';
  readonly parameters = SIE_PARAMS;
  create(params: Record<string, number>): MassProfile { return new SieProfile(params as unknown as SieParams); }
}

/** SIS, singular isothermal sphere (lenstronomy `SIS`). */
@component({ kind: 'mass-profile', name: 'lensing/sis', description: listed(SIS_DESCRIPTION, SIS_PARAMS), options: NoOptions })
export class SisComponent implements MassProfileComponent {
  readonly type = 'SIS';
  readonly parameters = SIS_PARAMS;
  create(params: Record<string, number>): MassProfile { return new SisProfile(params as unknown as SisParams); }
}

/** External shear (lenstronomy `SHEAR`). */
@component({ kind: 'mass-profile', name: 'lensing/shear', description: listed(SHEAR_DESCRIPTION, SHEAR_PARAMS), options: NoOptions })
export class ShearComponent implements MassProfileComponent {
  readonly type = 'SHEAR';
  readonly parameters = SHEAR_PARAMS;
  create(params: Record<string, number>): MassProfile { return new ShearProfile(params as unknown as ShearParams); }
}

/** Spherical Sersic (lenstronomy `SERSIC`). */
@component({ kind: 'light-profile', name: 'lensing/sersic', description: listed(SERSIC_DESCRIPTION, SERSIC_PARAMS), options: NoOptions })
export class SersicComponent implements LightProfileComponent {
  readonly type = 'SERSIC';
  readonly parameters = SERSIC_PARAMS;
  create(params: Record<string, unknown>): LightProfile { return new SersicProfile(params as unknown as SersicParams, 'SERSIC'); }
}

/** Elliptical Sersic (lenstronomy `SERSIC_ELLIPSE`). */
@component({ kind: 'light-profile', name: 'lensing/sersic-ellipse', description: listed(SERSIC_ELLIPSE_DESCRIPTION, SERSIC_ELLIPSE_PARAMS), options: NoOptions })
export class SersicEllipseComponent implements LightProfileComponent {
  readonly type = 'SERSIC_ELLIPSE';
  readonly parameters = SERSIC_ELLIPSE_PARAMS;
  create(params: Record<string, unknown>): LightProfile { return new SersicProfile(params as unknown as SersicParams, 'SERSIC_ELLIPSE'); }
}

/** Core-Sersic (Graham et al. 2003; lenstronomy `CORE_SERSIC`). */
@component({ kind: 'light-profile', name: 'lensing/core-sersic', description: listed(CORE_SERSIC_DESCRIPTION, CORE_SERSIC_PARAMS), options: NoOptions })
export class CoreSersicComponent implements LightProfileComponent {
  readonly type = 'CORE_SERSIC';
  readonly parameters = CORE_SERSIC_PARAMS;
  create(params: Record<string, unknown>): LightProfile { return new CoreSersicProfile(params as unknown as CoreSersicParams); }
}

/** Interpolated stamp (lenstronomy `INTERPOL`); `image` is a 2-D array, see `interpolated-kwargs.ts`. */
@component({ kind: 'light-profile', name: 'lensing/interpol', description: listed(INTERPOL_DESCRIPTION, INTERPOL_PARAMS), options: NoOptions })
export class InterpolComponent implements LightProfileComponent {
  readonly type = 'INTERPOL';
  readonly parameters = INTERPOL_PARAMS;
  validate(kwargs: Record<string, unknown>, path: string): ProfileValidation<Record<string, unknown>> { return validateInterpolatedKwargs(kwargs, path); }
  create(params: Record<string, unknown>): LightProfile { return new InterpolatedProfile(params as unknown as InterpolatedParams); }
}

/** The built-in mass-profile components, in lenstronomy's documentation order. */
export const BUILTIN_MASS_PROFILES = [EplComponent, SieComponent, SisComponent, ShearComponent] as const;
/** The built-in light-profile components. */
export const BUILTIN_LIGHT_PROFILES = [SersicComponent, SersicEllipseComponent, CoreSersicComponent, InterpolComponent] as const;
