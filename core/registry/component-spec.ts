import { z } from 'zod';
import type { ComponentKind } from './component.js';

/**
 * How a config names a component: `{ use: 'plugin/name', ...options }`, or just the name string.
 */
export interface ComponentSpec { use: string; [option: string]: unknown }

// keyed by the schema's def: zod 4's `.describe()`/`.meta()` return a clone sharing the def
const refKinds = new WeakMap<object, ComponentKind>();
const defKey = (s: z.ZodType): object => (s as unknown as { def?: object }).def ?? s;

/**
 * Schema for an option whose value is itself a component (e.g. a method's `encoder`).
 * The registry validates the nested component (name and options) with its full key path.
 * `defaultSpec` (a name or `{use, ...}`) is used when the option is absent.
 */
export function componentRef(kind: ComponentKind, defaultSpec?: string | ComponentSpec) {
  const schema = z.union([
    z.string().min(1),
    z.looseObject({ use: z.string().min(1) }),
  ]).transform((v): ComponentSpec => (typeof v === 'string' ? { use: v } : (v as ComponentSpec)));
  refKinds.set(defKey(schema), kind);
  return defaultSpec === undefined ? schema : schema.prefault(defaultSpec as never);
}

export function refKindOf(schema: z.ZodType): ComponentKind | undefined {
  return refKinds.get(defKey(schema));
}

export function normalizeSpec(value: unknown): ComponentSpec | undefined {
  if (typeof value === 'string' && value.length > 0) return { use: value };
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as { use?: unknown }).use === 'string') {
    return value as ComponentSpec;
  }
  return undefined;
}
