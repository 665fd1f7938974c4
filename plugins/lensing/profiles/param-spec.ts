/**
 * Parameter-specification tables for lens and light profiles, and the validator that checks a
 * lenstronomy-style keyword dictionary (`{ type: 'EPL', theta_E: 1.2, ... }`) against them.
 *
 * Every problem is reported as one line `PATH: what was expected, got VALUE`, e.g.
 * `lens[0].gamma: expected a number in [1.2, 2.9], got 3.5`; the validator collects all of them
 * so that a caller can report every bad field of a configuration at once (deeplenstronomy style).
 */

/** One numeric parameter of a profile. */
export interface ParamSpec {
  /** lenstronomy keyword name, e.g. `theta_E`. */
  readonly name: string;
  /** Lower bound. */
  readonly min: number;
  /** Upper bound. */
  readonly max: number;
  /** When true the lower bound itself is not allowed, i.e. the range is `(min, max]`. */
  readonly minExclusive?: boolean;
  /** Default used when the keyword is absent; a parameter without default is required. */
  readonly default?: number;
  /** Unit and meaning, for `lensforge list` style documentation. */
  readonly doc: string;
}

/** A profile type with its parameters, e.g. EPL. */
export interface ProfileSpec {
  /** lenstronomy model name, e.g. `EPL`, `SERSIC_ELLIPSE`. */
  readonly type: string;
  /** `mass` for lens models, `light` for source and lens-light models. */
  readonly kind: 'mass' | 'light';
  /** One-line description with the reference. */
  readonly description: string;
  /** Parameters in lenstronomy's order. */
  readonly params: readonly ParamSpec[];
  /**
   * When true the pair (e1, e2) must satisfy `sqrt(e1^2 + e2^2) <= MAX_E_MODULUS`
   * (elliptical profiles need |e| < 1).
   */
  readonly ellipticPair?: boolean;
}

/** Largest accepted ellipticity modulus |e| = sqrt(e1^2 + e2^2) (axis ratio q >= 0.0526). */
export const MAX_E_MODULUS = 0.9;

/** Shared parameter entries. */
export const CENTER_X: ParamSpec = { name: 'center_x', min: -100, max: 100, default: 0, doc: 'profile centre x [arcsec]' };
export const CENTER_Y: ParamSpec = { name: 'center_y', min: -100, max: 100, default: 0, doc: 'profile centre y [arcsec]' };
export const E1: ParamSpec = { name: 'e1', min: -MAX_E_MODULUS, max: MAX_E_MODULUS, default: 0, doc: 'ellipticity component e1 = (1-q)/(1+q) cos(2 phi)' };
export const E2: ParamSpec = { name: 'e2', min: -MAX_E_MODULUS, max: MAX_E_MODULUS, default: 0, doc: 'ellipticity component e2 = (1-q)/(1+q) sin(2 phi)' };

/** Human-readable range, `[a, b]` or `(a, b]`. */
export function formatRange(p: ParamSpec): string {
  return `${p.minExclusive ? '(' : '['}${p.min}, ${p.max}]`;
}

/** Renders any value compactly for an error message. */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  try {
    const s = JSON.stringify(v);
    return s.length > 60 ? s.slice(0, 57) + '...' : s;
  } catch {
    return typeof v;
  }
}

/** True when `v` is a finite number inside the parameter's range. */
export function inRange(p: ParamSpec, v: number): boolean {
  return Number.isFinite(v) && (p.minExclusive ? v > p.min : v >= p.min) && v <= p.max;
}

/** Result of validating one profile's keywords. */
export interface ValidatedProfile {
  /** The spec that matched the `type` keyword, when the type is known. */
  spec?: ProfileSpec;
  /** Every parameter with defaults filled in (only meaningful when `errors` is empty). */
  params: Record<string, number>;
  /** One message per problem, each prefixed with its path. */
  errors: string[];
}

/**
 * Validates a profile keyword dictionary `{ type, ...params }` against a table of specs.
 * @param input the user's object (anything; non-objects produce an error)
 * @param path the config path used as message prefix, e.g. `lens[0]`
 * @param specs the allowed profile specs by type name
 * @param kindLabel `mass` or `light`, used in the unknown-type message
 * @returns the parameters with defaults filled in, and every error found
 */
export function validateProfileKwargs(
  input: unknown,
  path: string,
  specs: Readonly<Record<string, ProfileSpec>>,
  kindLabel: string,
): ValidatedProfile {
  const errors: string[] = [];
  const params: Record<string, number> = {};
  const allowedTypes = Object.keys(specs).join(', ');
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    errors.push(`${path}: expected an object like { "type": ..., <parameters> }, got ${describeValue(input)}`);
    return { params, errors };
  }
  const obj = input as Record<string, unknown>;
  const type = obj.type;
  if (type === undefined) {
    errors.push(`${path}.type: missing; expected one of ${allowedTypes}`);
    return { params, errors };
  }
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(specs, type)) {
    errors.push(`${path}.type: unknown ${kindLabel} profile ${describeValue(type)}; expected one of ${allowedTypes}`);
    return { params, errors };
  }
  const spec = specs[type];
  const r = validateProfileParams(obj, path, spec);
  return { spec, params: r.params, errors: r.errors };
}

/**
 * Checks the parameters of one profile whose type is already known: unknown keywords (`type`
 * is ignored), missing required parameters, values outside their ranges and the (e1, e2)
 * modulus of elliptical profiles.
 * @param obj the user's keywords
 * @param path message prefix, e.g. `lens[0]`
 * @param spec the profile's parameter table
 * @returns the parameters with defaults filled in, and one `PATH.name: ...` line per problem
 */
export function validateProfileParams(obj: Record<string, unknown>, path: string, spec: ProfileSpec): { params: Record<string, number>; errors: string[] } {
  const errors: string[] = [];
  const params: Record<string, number> = {};
  const type = spec.type;
  const known = new Set(spec.params.map((p) => p.name));
  for (const key of Object.keys(obj)) {
    if (key === 'type') continue;
    if (!known.has(key)) {
      errors.push(`${path}.${key}: unknown parameter for ${type}; allowed: ${spec.params.map((p) => p.name).join(', ')}`);
    }
  }
  for (const p of spec.params) {
    const v = obj[p.name];
    if (v === undefined) {
      if (p.default === undefined) errors.push(`${path}.${p.name}: missing required parameter of ${type} (expected a number in ${formatRange(p)})`);
      else params[p.name] = p.default;
      continue;
    }
    if (typeof v !== 'number' || !inRange(p, v)) {
      errors.push(`${path}.${p.name}: expected a number in ${formatRange(p)}, got ${describeValue(v)}`);
      continue;
    }
    params[p.name] = v;
  }
  if (spec.ellipticPair && errors.length === 0) {
    const mod = Math.hypot(params.e1, params.e2);
    if (!(mod <= MAX_E_MODULUS)) {
      errors.push(`${path}.e1/e2: expected sqrt(e1^2 + e2^2) <= ${MAX_E_MODULUS}, got ${Number(mod.toPrecision(6))}`);
    }
  }
  return { params, errors };
}

/** Error carrying every validation problem found in a specification. */
export class SpecValidationError extends Error {
  /** Each problem as `PATH: message`. */
  readonly issues: readonly string[];

  constructor(what: string, issues: readonly string[]) {
    super(`${what} is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n  - ${issues.join('\n  - ')}`);
    this.name = 'SpecValidationError';
    this.issues = issues;
  }
}
