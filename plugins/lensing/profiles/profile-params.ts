/**
 * Profile parameters as zod schemas: every profile declares its lenstronomy keywords
 * (`theta_E`, `gamma`, `e1`, ...) as a strict zod object whose fields carry their range, default
 * and description (`z.number().gt(0).lte(100).describe('... [arcsec]')`). User keywords are
 * validated by that schema only; {@link parseProfileParams} turns zod's issues into one line per
 * problem, `PATH.name: what was expected, got VALUE`, naming the profile type and the range, e.g.
 * `lens[0].gamma: expected a number in [1.2, 2.9] for EPL, got 3.5`.
 */
import { z } from '../../../core/index.js';
import { describeValue } from './describe-value.js';

/** The zod object schema of a profile's keywords (lenstronomy names). */
export type ProfileParameters = z.ZodObject<Record<string, z.ZodType>>;

/** Largest accepted ellipticity modulus |e| = sqrt(e1^2 + e2^2) (axis ratio q >= 0.0526). */
export const MAX_E_MODULUS = 0.9;

/** Shared parameter fields. */
export const CENTER_X = z.number().min(-100).max(100).default(0).describe('profile centre x [arcsec]');
export const CENTER_Y = z.number().min(-100).max(100).default(0).describe('profile centre y [arcsec]');
export const E1 = z.number().min(-MAX_E_MODULUS).max(MAX_E_MODULUS).default(0).describe('ellipticity component e1 = (1-q)/(1+q) cos(2 phi)');
export const E2 = z.number().min(-MAX_E_MODULUS).max(MAX_E_MODULUS).default(0).describe('ellipticity component e2 = (1-q)/(1+q) sin(2 phi)');

/**
 * The parameter schema of a profile: a strict object (unknown keywords are errors) of `shape`.
 * @param type lenstronomy model name, used in the messages of the schema's own checks
 * @param shape the parameters in lenstronomy's order
 * @param options `ellipticPair`: require sqrt(e1^2 + e2^2) <= {@link MAX_E_MODULUS} (|e| < 1 for
 *   elliptical profiles)
 */
export function profileParameters(type: string, shape: Record<string, z.ZodType>, options: { ellipticPair?: boolean } = {}): ProfileParameters {
  const schema = z.strictObject(shape);
  if (!options.ellipticPair) return schema;
  return schema.superRefine((v, ctx) => {
    const { e1, e2 } = v as Record<string, unknown>;
    if (typeof e1 !== 'number' || typeof e2 !== 'number') return;
    const mod = Math.hypot(e1, e2);
    if (!(mod <= MAX_E_MODULUS)) {
      ctx.addIssue({ code: 'custom', path: ['e1/e2'], message: `expected sqrt(e1^2 + e2^2) <= ${MAX_E_MODULUS} for ${type}, got ${Number(mod.toPrecision(6))}` });
    }
  });
}

/** What a parameter field declares, read from its JSON schema. */
export interface ParamInfo {
  /** lenstronomy keyword. */
  readonly name: string;
  /** True for number/integer fields. */
  readonly numeric: boolean;
  /** `[a, b]`, `(a, b]`, ... for numeric fields (`-inf`/`inf` when unbounded). */
  readonly range: string;
  /** The default, when the parameter is optional. */
  readonly default?: unknown;
  /** Unit and meaning. */
  readonly description?: string;
  /** JSON-schema type name (`number`, `array`, ...). */
  readonly type: string;
}

const infoCache = new WeakMap<object, ParamInfo[]>();

/**
 * The parameters of a profile schema in declaration order, with their ranges, defaults and
 * descriptions (cached per schema).
 */
export function parameterInfo(schema: ProfileParameters): ParamInfo[] {
  let info = infoCache.get(schema);
  if (info) return info;
  info = Object.entries(schema.shape).map(([name, field]) => {
    let js: Record<string, unknown> = {};
    try { js = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>; } catch { /* keep {} */ }
    const type = String(js.type ?? 'any');
    const numeric = type === 'number' || type === 'integer';
    const lo = js.exclusiveMinimum ?? js.minimum, hi = js.exclusiveMaximum ?? js.maximum;
    const range = `${js.exclusiveMinimum !== undefined ? '(' : '['}${lo ?? '-inf'}, ${hi ?? 'inf'}${js.exclusiveMaximum !== undefined ? ')' : ']'}`;
    return { name, numeric, range, default: js.default, description: (js.description as string | undefined) ?? field.description, type };
  });
  infoCache.set(schema, info);
  return info;
}

/** One line listing the parameters of a schema, e.g. `theta_E (0, 100], gamma [1.2, 2.9], e1 [-0.9, 0.9] = 0`. */
export function describeParameters(schema: ProfileParameters): string {
  return parameterInfo(schema)
    .map((p) => `${p.name} ${p.numeric ? p.range : `(${p.type})`}${p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : ''}`)
    .join(', ');
}

/** Result of validating one profile's keywords. */
export interface ParsedProfileParams<P> {
  /** The parameters with defaults filled in (meaningful only when `errors` is empty). */
  params: P;
  /** One `PATH.name: ...` line per problem. */
  errors: string[];
}

/**
 * Validates a profile's keywords with its zod schema (`type` is ignored): unknown keywords,
 * missing required parameters, values outside their ranges and the schema's own checks (e.g. the
 * (e1, e2) modulus), all reported at once.
 * @param schema the profile's parameter schema
 * @param type the profile's lenstronomy name, for messages
 * @param kwargs the user's keywords
 * @param path message prefix, e.g. `lens[0]`
 * @returns the parsed parameters, and one `PATH.name: ...` line per problem: unknown keywords
 *   first, then the parameters in declaration order; the schema's own checks only when every
 *   keyword is valid
 */
export function parseProfileParams<P = Record<string, number>>(
  schema: ProfileParameters, type: string, kwargs: Record<string, unknown>, path: string,
): ParsedProfileParams<P> {
  const { type: _type, ...rest } = kwargs;
  const r = schema.safeParse(rest);
  if (r.success) return { params: r.data as P, errors: [] };
  const info = parameterInfo(schema);
  const byName = new Map(info.map((p) => [p.name, p]));
  const unknown: string[] = [];
  const fields = new Map<string, string>();
  const checks: string[] = [];
  for (const issue of r.error.issues) {
    const head = issue.path.length ? String(issue.path[0]) : undefined;
    if (issue.code === 'unrecognized_keys') {
      const allowed = info.map((p) => p.name).join(', ');
      for (const key of issue.keys) unknown.push(`${path}.${key}: unknown parameter for ${type}; allowed: ${allowed}`);
    } else if (head !== undefined && byName.has(head) && issue.code !== 'custom') {
      if (fields.has(head)) continue; // one line per parameter
      const p = byName.get(head)!;
      const v = rest[head];
      if (p.numeric) {
        fields.set(head, v === undefined
          ? `${path}.${head}: missing required parameter of ${type} (expected a number in ${p.range})`
          : `${path}.${head}: expected a number in ${p.range} for ${type}, got ${describeValue(v)}`);
      } else {
        const where = [path, ...issue.path.map(String)].join('.');
        fields.set(head, v === undefined
          ? `${where}: missing required parameter of ${type} (expected ${p.description ?? p.type})`
          : `${where}: ${issue.message} (${type} parameter ${head}), got ${describeValue(v)}`);
      }
    } else {
      checks.push(`${[path, ...issue.path.map(String)].join('.')}: ${issue.message}`);
    }
  }
  const ordered = info.map((p) => fields.get(p.name)).filter((x): x is string => x !== undefined);
  // the schema's own checks (e.g. the (e1, e2) modulus) are only meaningful on valid fields
  return { params: {} as P, errors: unknown.length || ordered.length ? [...unknown, ...ordered] : checks };
}
