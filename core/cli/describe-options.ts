import { z } from 'zod';
import type { RegisteredComponent } from '../registry/registry.js';

export interface OptionDoc { name: string; type: string; default?: unknown; description?: string; required: boolean }

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

/** The options of a component (name, type, default, description) from its zod schema. */
export function describeOptions(comp: RegisteredComponent): OptionDoc[] {
  let js: Record<string, unknown>;
  try { js = z.toJSONSchema(comp.options, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>; } catch { return []; }
  const props = (js.properties ?? {}) as Record<string, Record<string, unknown>>;
  const req = new Set((js.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name, type: typeOf(s), default: s.default, description: s.description as string | undefined, required: req.has(name) && s.default === undefined,
  }));
}
