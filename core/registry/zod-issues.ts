import type { z } from 'zod';
import { closestMatches } from './suggest.js';

/** One zod problem flattened to a key path (relative to the parsed value) and a message. */
export interface FlatIssue { path: PropertyKey[]; message: string }

type Def = {
  type: string; innerType?: z.ZodType; element?: z.ZodType; shape?: Record<string, z.ZodType>;
  in?: z.ZodType; options?: z.ZodType[]; valueType?: z.ZodType; items?: z.ZodType[]; catchall?: z.ZodType;
};
const defOf = (s: z.ZodType | undefined): Def | undefined => (s as unknown as { def?: Def } | undefined)?.def;

/** Object schemas reachable from `schema` without consuming a key (through wrappers, pipes and unions). */
function objectShapes(schema: z.ZodType | undefined, depth = 0): Array<Record<string, z.ZodType>> {
  const d = defOf(schema);
  if (!d || depth > 20) return [];
  switch (d.type) {
    case 'object': return d.shape ? [d.shape] : [];
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'nonoptional': case 'catch':
      return objectShapes(d.innerType, depth + 1);
    case 'pipe': return objectShapes(d.in, depth + 1);
    case 'union': return (d.options ?? []).flatMap((o) => objectShapes(o, depth + 1));
    default: return [];
  }
}

/** The sub-schemas found at `path` inside `schema` (several where unions branch). */
export function schemasAt(schema: z.ZodType | undefined, path: readonly PropertyKey[], depth = 0): z.ZodType[] {
  if (!schema || depth > 50) return [];
  if (path.length === 0) return [schema];
  const [k, ...rest] = path;
  const d = defOf(schema)!;
  switch (d.type) {
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'nonoptional': case 'catch':
      return schemasAt(d.innerType, path, depth + 1);
    case 'pipe': return schemasAt(d.in, path, depth + 1);
    case 'union': return (d.options ?? []).flatMap((o) => schemasAt(o, path, depth + 1));
    case 'object': return d.shape && typeof k === 'string' && d.shape[k] ? schemasAt(d.shape[k], rest, depth + 1) : d.catchall ? schemasAt(d.catchall, rest, depth + 1) : [];
    case 'array': return schemasAt(d.element, rest, depth + 1);
    case 'tuple': return typeof k === 'number' && d.items?.[k] ? schemasAt(d.items[k], rest, depth + 1) : [];
    case 'record': return schemasAt(d.valueType, rest, depth + 1);
    default: return [];
  }
}

/** The option names valid at `path` (for unknown-option messages). */
export function optionNamesAt(schema: z.ZodType | undefined, path: readonly PropertyKey[]): string[] {
  return [...new Set(schemasAt(schema, path).flatMap((s) => objectShapes(s)).flatMap((sh) => Object.keys(sh)))].sort();
}

export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  try {
    const s = JSON.stringify(v);
    return s.length > 80 ? s.slice(0, 77) + '...' : s;
  } catch { return String(v); }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

type Issue = z.core.$ZodIssue;

/** How far a union branch got: the longest issue path, and whether it failed only at its root. */
function reach(errors: readonly Issue[]): number {
  let best = 0;
  for (const e of errors) {
    let d = e.path.length + (e.code === 'invalid_type' || e.code === 'invalid_value' ? 0 : 0.5);
    if (e.code === 'invalid_union') d += Math.max(0, ...((e as unknown as { errors: Issue[][] }).errors ?? []).map(reach));
    best = Math.max(best, d);
  }
  return best;
}

function expectedOf(errors: readonly Issue[]): string | undefined {
  const e = errors[0];
  if (!e || e.path.length) return undefined;
  if (e.code === 'invalid_type') return e.expected === 'object' ? 'an object' : e.expected === 'array' ? 'a list' : e.expected;
  if (e.code === 'invalid_value') return e.values.map((v) => JSON.stringify(v)).join('|');
  return undefined;
}

function one(iss: Issue, input: unknown, schema: z.ZodType | undefined, base: PropertyKey[], out: FlatIssue[]): void {
  const path = [...base, ...iss.path];
  const got = valueAt(input, path);
  if (iss.code === 'unrecognized_keys') {
    const valid = optionNamesAt(schema, path);
    for (const k of iss.keys) {
      const near = closestMatches(k, valid.filter((v) => !iss.keys.includes(v) || v === k).filter((v) => v !== k));
      out.push({
        path,
        message: `unknown option "${k}"${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''}${valid.length ? `${near.length ? ' Valid' : '; valid'} options: ${valid.join(', ')}` : ' (this takes no options)'}`,
      });
    }
    return;
  }
  if (iss.code === 'invalid_union') {
    const branches = ((iss as unknown as { errors: Issue[][] }).errors ?? []).filter((b) => b.length);
    const scored = branches.map((b) => ({ b, r: reach(b) })).sort((a, c) => c.r - a.r || a.b.length - c.b.length);
    if (scored.length && scored[0].r > 0) {
      // the branch that matched the value's shape furthest: its own field errors
      for (const e of scored[0].b) one(e, input, schema, path, out);
      return;
    }
    const expected = [...new Set(branches.map(expectedOf).filter((x): x is string => !!x))];
    if (expected.length) { out.push({ path, message: `expected ${expected.join(' or ')}, got ${show(got)}` }); return; }
  }
  if (iss.code === 'invalid_type' && iss.expected === 'number' && typeof got === 'number' && !Number.isFinite(got)) {
    out.push({ path, message: `expected a finite number, got ${got}` });
    return;
  }
  const msg = iss.message.replace(/^Invalid (input|option): /, '');
  if (/received/.test(msg)) { out.push({ path, message: msg.replace(/,? ?received .*/, `, got ${show(got)}`) }); return; }
  out.push({ path, message: `${msg}, got ${show(got)}` });
}

/**
 * zod issues as `expected ..., got ...` with their key paths: unions report the failing branch's
 * own field errors, unknown options get did-you-mean and the valid names (from `schema`), and
 * non-finite numbers are named as such.
 */
export function flattenZodIssues(issues: readonly Issue[], input: unknown, schema?: z.ZodType): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const iss of issues) one(iss, input, schema, [], out);
  return out;
}
