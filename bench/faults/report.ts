import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CaseRecord, Category, Classification } from './types.js';

export const CATEGORIES: Category[] = ['control', 'kill-run', 'kill-bench', 'kill-simulate', 'corrupt-run', 'corrupt-bench', 'corrupt-dataset', 'full-disk', 'concurrent'];
const COLS: Array<[Classification, string]> = [['clear-error', 'clear error'], ['unclear-error', 'unclear error'], ['resumed-identically', 'resumed identically'], ['silently-wrong', 'silently wrong']];

export interface CategoryRow { category: Category; tried: number; counts: Record<Classification, number>; tmpLeft: number; restarted: number; skipped?: string }

export function summarise(cases: CaseRecord[], skipped: Partial<Record<Category, string>>): CategoryRow[] {
  return CATEGORIES.filter((c) => cases.some((x) => x.category === c) || skipped[c]).map((category) => {
    const cs = cases.filter((x) => x.category === category);
    const counts = { 'clear-error': 0, 'unclear-error': 0, 'resumed-identically': 0, 'silently-wrong': 0, skipped: 0, 'harness-error': 0 } as Record<Classification, number>;
    for (const c of cs) counts[c.classification]++;
    return { category, tried: cs.filter((c) => c.classification !== 'skipped').length, counts, tmpLeft: cs.filter((c) => c.tmpLeft?.length).length, restarted: cs.filter((c) => c.restarted).length, skipped: skipped[category] };
  });
}

export function table(rows: CategoryRow[]): string {
  const head = ['category', 'tried', ...COLS.map(([, n]) => n), 'harness error', '.tmp left', 'restarted'];
  const body = rows.map((r) => r.skipped && r.tried === 0
    ? [r.category, '0', `skipped: ${r.skipped}`, '', '', '', '', '', '']
    : [r.category, String(r.tried), ...COLS.map(([k]) => String(r.counts[k])), String(r.counts['harness-error']), String(r.tmpLeft), String(r.restarted)]);
  const tot = rows.filter((r) => r.category !== 'control');
  body.push(['total (without control)', String(tot.reduce((a, r) => a + r.tried, 0)), ...COLS.map(([k]) => String(tot.reduce((a, r) => a + r.counts[k], 0))),
    String(tot.reduce((a, r) => a + r.counts['harness-error'], 0)), String(tot.reduce((a, r) => a + r.tmpLeft, 0)), String(tot.reduce((a, r) => a + r.restarted, 0))]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (c ?? '').padEnd(w[i])).join(' | ')} |`;
  return [line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** Write JSON atomically (temp file beside it, then rename). */
export function writeJsonAtomic(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.faults.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, path);
}
