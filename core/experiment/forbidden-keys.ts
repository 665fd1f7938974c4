import type { ConfigIssue } from '../errors.js';

/** Keys that could reach Object.prototype (or a constructor) through a path; refused everywhere. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function forbiddenKeyMessage(key: string): string {
  return `"${key}" is not allowed as a key (it could modify Object.prototype); rename the key`;
}

/** Every forbidden key at any depth of a parsed config, as issues with their key paths. */
export function findForbiddenKeys(value: unknown, path = '', issues: ConfigIssue[] = [], source?: string, depth = 0): ConfigIssue[] {
  if (depth > 200 || value === null || typeof value !== 'object') return issues;
  if (Array.isArray(value)) {
    value.forEach((v, i) => findForbiddenKeys(v, path ? `${path}.${i}` : String(i), issues, source, depth + 1));
    return issues;
  }
  for (const k of Object.keys(value)) {
    const p = path ? `${path}.${k}` : k;
    if (FORBIDDEN_KEYS.has(k)) { issues.push({ path: p, message: forbiddenKeyMessage(k), source }); continue; }
    findForbiddenKeys((value as Record<string, unknown>)[k], p, issues, source, depth + 1);
  }
  return issues;
}
