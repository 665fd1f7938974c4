import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LensforgeError } from '../errors.js';
import { displayPath } from '../io/io-error.js';
import { readJsonFile } from '../io/json-file.js';
import type { BenchOutput } from './bench-output.js';

const ColumnSchema = z.object({
  /** A metric (or timing) name of the runs. */
  metric: z.string().min(1),
  label: z.string().optional(),
  /** Decimals shown (of the value in percent when `percent`). */
  digits: z.number().int().min(0).max(10).default(3),
  /** Show 100 x the value followed by ` %`. */
  percent: z.boolean().default(false),
  /** Bold the variant whose mean is best. */
  best: z.enum(['max', 'min']).optional(),
}).strict();

const RowSchema = z.object({ variant: z.string().min(1), label: z.string().optional() }).strict();

const FloorSchema = z.object({
  label: z.string().min(1),
  /** column metric -> the run metric that holds its trivial floor (e.g. mae -> mae_floor). */
  metrics: z.record(z.string(), z.string()),
}).strict();

const TableFields = {
  title: z.string().optional(),
  rowHeader: z.string().default('variant'),
  rows: z.array(RowSchema).optional(),
  columns: z.array(ColumnSchema).min(1).optional(),
  floors: z.array(FloorSchema).optional(),
};

/** A table name in `tables` (it keys `<!-- results:BENCH/NAME -->`). */
export const TABLE_NAME = /^[A-Za-z0-9_.-]+$/;

export const TableSpecSchema = z.object({
  ...TableFields,
  /** Further tables of the same runs (e.g. a sweep), each marked `<!-- results:BENCH/NAME -->`. */
  tables: z.record(z.string().regex(TABLE_NAME, 'expected a table name of letters, digits, _ . -'),
    z.object({ ...TableFields, columns: TableFields.columns.unwrap() }).strict()).optional(),
}).strict();

export type ColumnSpec = z.output<typeof ColumnSchema>;
export type FloorSpec = z.output<typeof FloorSchema>;

/** How one bench's table is presented; every field is filled (defaults from the bench output). */
export interface TableSpec {
  title: string;
  rowHeader: string;
  rows: Array<{ variant: string; label: string }>;
  columns: ColumnSpec[];
  floors: FloorSpec[];
}

export const TABLE_SPEC_FILE = 'report.json';

/**
 * The presentation of a bench's table: `<bench>/report.json` (labels, column selection, digits,
 * percent, bold best, floor rows) or, without it, every variant and metric under its own name.
 * Without `floors` in report.json, a floor row is added for the columns `m` whose runs hold a
 * metric `m_floor`; `floors` given (`[]` for none) replaces it.
 * @throws LensforgeError naming report.json, the field, the value and what was expected
 */
export function readTableSpec(out: BenchOutput): TableSpec {
  return readTableSpecs(out)[0].spec;
}

/** A bench's tables: its main one (key: the bench name), then those of `tables` (key: BENCH/NAME). */
export interface KeyedTableSpec { key: string; spec: TableSpec }

/**
 * Every table of a bench: the main one, then those named in report.json's `tables`, each
 * resolved as {@link readTableSpec} describes (a table of `tables` must list its columns).
 * @throws LensforgeError naming report.json, the field, the value and what was expected
 */
export function readTableSpecs(out: BenchOutput): KeyedTableSpec[] {
  const path = join(out.dir, TABLE_SPEC_FILE);
  const shown = displayPath(path);
  let raw: unknown = {};
  if (existsSync(path)) raw = readJsonFile(path, 'report table spec', { uniqueKeys: true });
  const parsed = TableSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    // a bad record key: say which name and why (zod's own message is "Invalid key in record")
    const why = i.code === 'invalid_key' ? `the table name "${String(i.path[i.path.length - 1])}" is refused; ${i.issues[0]?.message}` : i.message;
    throw new LensforgeError(`${shown}: ${i.path.join('.') || '(root)'}: ${why}`);
  }
  const { tables, ...main } = parsed.data;
  return [
    { key: out.name, spec: resolveSpec(out, main, shown, '') },
    ...Object.entries(tables ?? {}).map(([name, t]) => ({ key: `${out.name}/${name}`, spec: resolveSpec(out, t, shown, `tables.${name}.`) })),
  ];
}

function resolveSpec(out: BenchOutput, spec: Omit<z.output<typeof TableSpecSchema>, 'tables'>, shown: string, at: string): TableSpec {
  const runNames = new Set(out.runs.flatMap((r) => [...Object.keys(r.metrics), ...Object.keys(r.timings)]));
  for (const [i, r] of (spec.rows ?? []).entries()) {
    if (!out.variants.includes(r.variant)) {
      throw new LensforgeError(`${shown}: ${at}rows.${i}.variant is "${r.variant}"; expected one of the bench's variants (${out.variants.join(', ')})`);
    }
  }
  for (const [i, c] of (spec.columns ?? []).entries()) {
    if (!runNames.has(c.metric)) {
      throw new LensforgeError(`${shown}: ${at}columns.${i}.metric is "${c.metric}"; expected a metric or timing of the runs in ${displayPath(out.summaryPath)} (${[...runNames].sort().join(', ')})`);
    }
  }
  const all = [...out.metrics, ...out.timings];
  // by default a `<m>_floor` metric becomes the floor row of column m, not a column of its own
  const columns = spec.columns ?? all.filter((m) => !(m.endsWith('_floor') && all.includes(m.slice(0, -6)))).map((metric) => ColumnSchema.parse({ metric }));
  // floors named in report.json (even none: `floors: []`, e.g. when a floor is a column of its own) replace the automatic row
  const auto = spec.floors ? [] : columns.filter((c) => runNames.has(`${c.metric}_floor`));
  const floors = spec.floors ?? (auto.length ? [{ label: 'trivial floor', metrics: Object.fromEntries(auto.map((c) => [c.metric, `${c.metric}_floor`])) }] : []);
  return {
    title: spec.title ?? out.name,
    rowHeader: spec.rowHeader,
    rows: spec.rows?.map((r) => ({ variant: r.variant, label: r.label ?? r.variant })) ?? out.variants.map((v) => ({ variant: v, label: v })),
    columns,
    floors,
  };
}
