import { stableHash } from '../experiment/stable-hash.js';
import type { BenchOutput, ReportRun } from './bench-output.js';
import { formatCell } from './format-cell.js';
import type { ColumnSpec, TableSpec } from './table-spec.js';

export interface TableCell { text: string; bold: boolean }
export interface TableRow { label: string; floor: boolean; cells: TableCell[] }

/** What a table is stamped with: taken from the runs of the bench output. */
export interface TableStamp {
  /** One hash over every run's (variant, seed, config hash), in the bench's order. */
  configHash: string;
  seeds: number[];
  backends: string[];
  commits: string[];
  /** Runs that recorded no commit (run outside a git checkout). */
  runsWithoutCommit: number;
  /** The summary.json the table was made from, as shown. */
  source: string;
}

export interface ResultsTable { name: string; title: string; header: string[]; rows: TableRow[]; stamp: TableStamp; columns: ColumnSpec[] }

const valueOf = (r: ReportRun, name: string): number | undefined => {
  const v = r.metrics[name] ?? r.timings[name];
  return typeof v === 'number' ? v : undefined;
};

/** The stamp of a bench output; `source` is the summary path as it should be shown. */
export function tableStamp(out: BenchOutput, source: string): TableStamp {
  const runs = out.runs;
  const order = (r: ReportRun) => [out.variants.indexOf(r.variant), r.seed] as const;
  const sorted = [...runs].sort((a, b) => order(a)[0] - order(b)[0] || a.seed - b.seed);
  return {
    configHash: stableHash(sorted.map((r) => [r.variant, r.seed, r.configHash])),
    seeds: [...new Set(runs.map((r) => r.seed))].sort((a, b) => a - b),
    backends: [...new Set(runs.map((r) => r.backend))],
    commits: [...new Set(runs.flatMap((r) => (r.commit ? [r.commit] : [])))],
    runsWithoutCommit: runs.filter((r) => !r.commit).length,
    source,
  };
}

/**
 * The result table of one bench: a row per variant (in the spec's order) with `mean ± std` over
 * its seeds per column, the best mean of a column in bold where the spec asks, then the floor
 * rows (each floor metric's mean ± std over seeds, one value per seed).
 */
export function buildResultsTable(out: BenchOutput, spec: TableSpec, source: string): ResultsTable {
  const seedsOf = (v: string) => new Set(out.runs.filter((r) => r.variant === v).map((r) => r.seed)).size;
  const formatted = spec.rows.map((row) => {
    const runs = out.runs.filter((r) => r.variant === row.variant);
    return spec.columns.map((c) => formatCell(runs.map((r) => valueOf(r, c.metric)), c, seedsOf(row.variant)));
  });
  const rows: TableRow[] = spec.rows.map((row, i) => ({ label: row.label, floor: false, cells: formatted[i].map((x) => ({ text: x.text, bold: false })) }));
  spec.columns.forEach((c, j) => {
    if (!c.best) return;
    const means = formatted.map((cells) => cells[j].mean);
    const finite = means.filter((m) => Number.isFinite(m));
    if (finite.length < 2) return;
    const best = c.best === 'max' ? Math.max(...finite) : Math.min(...finite);
    rows.forEach((r, i) => { if (means[i] === best) r.cells[j].bold = true; });
  });
  const seeds = [...new Set(out.runs.map((r) => r.seed))].sort((a, b) => a - b);
  const floors: TableRow[] = spec.floors.map((f) => ({
    label: f.label, floor: true,
    cells: spec.columns.map((c) => {
      const name = f.metrics[c.metric];
      if (!name) return { text: '–', bold: false };
      // a floor depends on the data (the seed), not on the variant: one value per seed
      const perSeed = seeds.map((s) => out.runs.filter((r) => r.seed === s).map((r) => valueOf(r, name)).find((v) => v !== undefined));
      return { text: formatCell(perSeed, c).text, bold: false };
    }),
  }));
  return {
    name: out.name, title: spec.title,
    header: [spec.rowHeader, ...spec.columns.map((c) => c.label ?? c.metric)],
    rows: [...rows, ...floors],
    stamp: tableStamp(out, source),
    columns: spec.columns,
  };
}
