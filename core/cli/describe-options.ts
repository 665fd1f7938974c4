import { z } from 'zod';
import type { RegisteredComponent } from '../registry/registry.js';
import { refKindOf } from '../registry/component-spec.js';

/**
 * One option of a component: name, type, default, description; `options` lists the fields of an
 * object option (or of the objects in a list option) the same way, `component` names the kind of
 * an option whose value is itself a component (componentRef).
 */
export interface OptionDoc {
  name: string; type: string; default?: unknown; description?: string; required: boolean;
  component?: string; options?: OptionDoc[];
}

function typeOf(s: Record<string, unknown>): string {
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => JSON.stringify(v)).join('|');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.anyOf)) return (s.anyOf as Record<string, unknown>[]).map(typeOf).join(' | ');
  if (Array.isArray(s.oneOf)) return (s.oneOf as Record<string, unknown>[]).map(typeOf).join(' | ');
  if (s.type === 'array' && Array.isArray(s.prefixItems)) return `[${(s.prefixItems as Record<string, unknown>[]).map(typeOf).join(', ')}]`;
  if (s.type === 'array') return `${typeOf((s.items ?? {}) as Record<string, unknown>)}[]`;
  let t = String(s.type ?? 'any');
  const big = (v: unknown) => (typeof v === 'number' && Math.abs(v) >= Number.MAX_SAFE_INTEGER ? undefined : v);
  const lo = big(s.minimum ?? s.exclusiveMinimum), hi = big(s.maximum ?? s.exclusiveMaximum);
  if ((t === 'number' || t === 'integer') && (lo !== undefined || hi !== undefined)) t += ` in [${lo ?? '-inf'}, ${hi ?? 'inf'}]`;
  return t;
}

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; element?: z.ZodType; shape?: Record<string, z.ZodType>; options?: z.ZodType[] };
const defOf = (s: z.ZodType): Def => (s as unknown as { def: Def }).def;

/** The componentRef kind of a field, looking through optional/default/nullable wrappers. */
function refKind(s: z.ZodType, depth = 0): string | undefined {
  const k = refKindOf(s);
  if (k || depth > 10) return k;
  const d = defOf(s);
  return d.innerType ? refKind(d.innerType, depth + 1) : undefined;
}

/** Object shapes inside a field: the object itself, a list's element objects, union branches. */
function nestedShapes(s: z.ZodType, depth = 0): { shapes: Array<Record<string, z.ZodType>>; list: boolean } {
  if (depth > 10 || refKindOf(s)) return { shapes: [], list: false };
  const d = defOf(s);
  switch (d.type) {
    case 'object': return { shapes: d.shape ? [d.shape] : [], list: false };
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'nonoptional': case 'catch':
      return d.innerType ? nestedShapes(d.innerType, depth + 1) : { shapes: [], list: false };
    case 'pipe': return d.in ? nestedShapes(d.in, depth + 1) : { shapes: [], list: false };
    case 'array': { const r = d.element ? nestedShapes(d.element, depth + 1) : { shapes: [] }; return { shapes: r.shapes, list: true }; }
    case 'union': {
      const rs = (d.options ?? []).map((o) => nestedShapes(o, depth + 1));
      return { shapes: rs.flatMap((r) => r.shapes), list: rs.some((r) => r.list) };
    }
    default: return { shapes: [], list: false };
  }
}

function describeShape(shape: Record<string, z.ZodType>, depth: number): OptionDoc[] {
  return Object.entries(shape).map(([name, field]) => {
    let js: Record<string, unknown> = {};
    try { js = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>; } catch { /* keep 'any' */ }
    const optional = (field as unknown as { safeParse(v: unknown): { success: boolean } }).safeParse(undefined).success;
    const doc: OptionDoc = {
      name, type: typeOf(js), default: js.default, description: (js.description as string | undefined) ?? field.description,
      required: !optional && js.default === undefined,
    };
    const kind = refKind(field);
    if (kind) {
      doc.component = kind;
      doc.type = `${kind} component (name or { use, ...options })`;
      return doc;
    }
    if (depth < 8) {
      const { shapes, list } = nestedShapes(field);
      if (shapes.length) {
        const merged: Record<string, z.ZodType> = Object.assign({}, ...shapes);
        doc.options = describeShape(merged, depth + 1);
        if (list && !/\[\]/.test(doc.type)) doc.type = 'object[]';
      }
    }
    return doc;
  });
}

/** The options of a component (name, type, default, description, nested options) from its zod schema. */
export function describeOptions(comp: RegisteredComponent): OptionDoc[] {
  const { shapes } = nestedShapes(comp.options);
  if (!shapes.length) return [];
  return describeShape(Object.assign({}, ...shapes), 0);
}

/** `describeOptions` as indented text lines (nested options two spaces deeper per level). */
export function formatOptions(docs: OptionDoc[], indent = '      '): string[] {
  const lines: string[] = [];
  for (const d of docs) {
    lines.push(`${indent}${d.name}: ${d.type}${d.required ? ' (required)' : d.default !== undefined ? ` = ${JSON.stringify(d.default)}` : ''}${d.description ? `  — ${d.description}` : ''}`);
    if (d.options) lines.push(...formatOptions(d.options, indent + '  '));
  }
  return lines;
}
