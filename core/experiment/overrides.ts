import YAML from 'yaml';
import { ConfigError } from '../errors.js';
import { FORBIDDEN_KEYS, forbiddenKeyMessage } from './forbidden-keys.js';

/**
 * Split `a.b[0].c` / `a.b.0.c` into keys. `__proto__`, `constructor` and `prototype` are refused
 * (ConfigError naming the path), so no override can reach Object.prototype.
 */
export function parsePath(path: string, where = '--set'): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m || (!m[1] && !m[2])) throw new Error(`${where}: bad key path "${path}" (expected e.g. model.encoder.depth or evaluate[0].k)`);
    if (m[1]) keys.push(/^\d+$/.test(m[1]) ? Number(m[1]) : m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) keys.push(Number(idx[1]));
  }
  const bad = keys.find((k) => typeof k === 'string' && FORBIDDEN_KEYS.has(k));
  if (bad !== undefined) throw new ConfigError([{ path: `${where} ${path}`, message: forbiddenKeyMessage(String(bad)) }]);
  return keys;
}

/** Set `value` at `path` in a plain JSON object, creating objects on the way. */
export function setPath(root: Record<string, unknown>, path: string, value: unknown, where = '--set'): void {
  const keys = parsePath(path, where);
  let cur: Record<string | number, unknown> = root;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i];
    let next = cur[k];
    if (next === undefined || next === null || typeof next !== 'object') {
      // a bare component name becomes { use: name } so its options can be set
      next = typeof next === 'string' ? { use: next } : typeof keys[i + 1] === 'number' ? [] : {};
      cur[k] = next;
    }
    cur = next as Record<string | number, unknown>;
  }
  cur[keys[keys.length - 1]] = value;
}

/** Apply `path=value` overrides; values are parsed as YAML scalars/flow (`3`, `true`, `[1,2]`, `{use: x}`). */
export function applyOverrides(root: Record<string, unknown>, sets: readonly string[]): void {
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new Error(`--set: expected path=value, got "${s}"`);
    const raw = s.slice(eq + 1);
    let value: unknown;
    try { value = YAML.parse(raw); } catch { value = raw; }
    setPath(root, s.slice(0, eq).trim(), value === null && raw.trim() !== 'null' && raw.trim() !== '~' ? raw : value);
  }
}
