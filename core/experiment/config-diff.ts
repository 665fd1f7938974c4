import { stableStringify } from './stable-hash.js';

/** One difference between two configs: its key path and both values (undefined: absent). */
export interface ConfigChange { path: string; before: unknown; after: unknown }

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The leaf-level differences between two resolved configs, as key paths in the style of config
 * errors (`train.optimizer.lr`, `evaluate[0].use`), in key order. Objects are compared key by
 * key (absent and undefined are the same), lists element by element; anything else by value.
 */
export function configDiff(before: unknown, after: unknown, path = ''): ConfigChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => configDiff(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) => configDiff(before[i], after[i], `${path}[${i}]`)).flat();
  }
  if (before === undefined && after === undefined) return [];
  const same = before !== undefined && after !== undefined && stableStringify(before) === stableStringify(after);
  return same ? [] : [{ path: path || '(root)', before, after }];
}

/** A value for a message: JSON, shortened to `max` characters; `(absent)` for a missing key. */
export function showValue(v: unknown, max = 60): string {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** `path: old → new; ...` for at most `cap` changes, then `... and N more`. */
export function formatConfigDiff(changes: ConfigChange[], cap = 8): string {
  const shown = changes.slice(0, cap).map((c) => `${c.path}: ${showValue(c.before)} → ${showValue(c.after)}`);
  if (changes.length > cap) shown.push(`… and ${changes.length - cap} more`);
  return shown.join('; ');
}
