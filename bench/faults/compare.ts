/**
 * Exact comparisons of run directories, bench folders and datasets with a reference made in the
 * same invocation. "Identical" means:
 *
 * - run directory: the same set of files (ignoring `.tmp` temp names, which embed a pid, lock
 *   files, and `plots/`' byte content is compared too); `summary.json` `name/tag/seed/configHash/
 *   backend` and `metrics` bit-identical (JSON numbers are printed round-trip exact, so equal text
 *   = equal doubles) with timing keys removed (`wallSeconds`, `finishedAt`, the whole `timings`
 *   object, and any `*_ms_per_step`, `*_ms`, `*_seconds` metric that timings still live in
 *   today); `metrics.jsonl` the same records in the same order without `time`, `seconds`,
 *   `msPerStep`; every checkpoint's `latest.json` tag equal, `tensors.bin` byte-identical,
 *   `tensors.json` equal but for tensor names (tfjs auto-names), the digest of `state.json` and
 *   the digest of the (named) tensor list,
 *   `state.json` equal without timing keys; `config.resolved.json` equal without
 *   `createdAt`; every other file byte-identical.
 * - bench folder: `results.csv` equal without timing columns, `summary.json` equal without timing
 *   keys, `cached` flags and with run paths made relative; `results.md` byte-identical unless it
 *   holds timing columns; every cell's run directory identical as above.
 * - dataset: every file byte-identical, `manifest.json` without `createdAt`/`updatedAt`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listTree } from './process-runner.js';

export const TIMING_KEY = /^(time|timings|seconds|msPerStep|wallSeconds|finishedAt|createdAt|updatedAt|savedAt|startedAt)$|ms_per_step|_ms$|_seconds$|per_second|msPerStep/i;

/** Temp names (pid-named), lock files and moved-aside folders are not part of a result. */
export const isTempName = (rel: string) => /(^|\/)[^/]*\.tmp($|\/)/.test(rel);
const isIgnored = (rel: string) => isTempName(rel) || /(^|\/)[^/]*\.?lock(\.json)?$/i.test(rel);

/** Recursively drop timing keys and sort keys, so JSON text equality = value equality. */
export function canonical(v: unknown, drop: (k: string) => boolean = (k) => TIMING_KEY.test(k)): unknown {
  if (Array.isArray(v)) return v.map((x) => canonical(x, drop));
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) if (!drop(k)) o[k] = canonical((v as Record<string, unknown>)[k], drop);
    return o;
  }
  return v;
}

const text = (p: string) => readFileSync(p, 'utf8');
function parseJson(p: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try { return { ok: true, value: JSON.parse(text(p)) }; } catch (e) { return { ok: false, error: (e as Error).message }; }
}

function jsonDiff(rel: string, a: string, b: string, pick: (v: unknown) => unknown): string | undefined {
  const pa = parseJson(a), pb = parseJson(b);
  if (!pa.ok) return `${rel}: reference unreadable (${pa.error})`;
  if (!pb.ok) return `${rel}: not valid JSON (${pb.error})`;
  const sa = JSON.stringify(canonical(pick(pa.value))), sb = JSON.stringify(canonical(pick(pb.value)));
  return sa === sb ? undefined : `${rel}: differs (${firstDifference(sa, sb)})`;
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const s = Math.max(0, i - 40);
  return `reference …${a.slice(s, i + 40)}… vs …${b.slice(s, i + 40)}…`;
}

function bytesDiff(rel: string, a: string, b: string): string | undefined {
  const x = readFileSync(a), y = readFileSync(b);
  if (x.equals(y)) return undefined;
  if (x.length !== y.length) return `${rel}: ${y.length} bytes, reference ${x.length}`;
  let n = 0, first = -1;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) { n++; if (first < 0) first = i; }
  return `${rel}: ${n} byte(s) differ, first at offset ${first}`;
}

function recordsDiff(rel: string, a: string, b: string): string | undefined {
  const read = (p: string) => text(p).split('\n').filter((l) => l.trim()).map((l) => {
    try { return JSON.stringify(canonical(JSON.parse(l))); } catch { return `<unparsable line ${JSON.stringify(l.slice(0, 60))}>`; }
  });
  const ra = read(a), rb = read(b);
  if (ra.length === rb.length && ra.every((l, i) => l === rb[i])) return undefined;
  const epochs = (rs: string[]) => rs.map((l) => { const m = /"epoch":(\d+)/.exec(l); const ph = /"phase":"([^"]+)"/.exec(l); return `${ph?.[1] ?? '?'}:${m?.[1] ?? '-'}`; }).join(' ');
  const i = ra.findIndex((l, k) => l !== rb[k]);
  return `${rel}: ${rb.length} record(s), reference ${ra.length}; first difference at record ${i < 0 ? ra.length : i} [${epochs(rb)}] vs reference [${epochs(ra)}]`;
}

function fileSet(dir: string): string[] {
  return listTree(dir).filter((r) => !isIgnored(r) && statSync(join(dir, r), { throwIfNoEntry: false })?.isFile()).sort();
}

function setDiff(ref: string[], got: string[]): string[] {
  const a = new Set(ref), b = new Set(got);
  const out: string[] = [];
  const missing = ref.filter((r) => !b.has(r)), extra = got.filter((r) => !a.has(r));
  if (missing.length) out.push(`missing: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ` (+${missing.length - 8})` : ''}`);
  if (extra.length) out.push(`extra: ${extra.slice(0, 8).join(', ')}${extra.length > 8 ? ` (+${extra.length - 8})` : ''}`);
  return out;
}

/** Differences between a reference run directory and another; [] = identical. */
export function compareRunDirs(ref: string, got: string, prefix = '', notes?: string[]): string[] {
  if (!existsSync(got)) return [`${prefix}run directory missing`];
  const fa = fileSet(ref), fb = fileSet(got);
  const diffs = setDiff(fa, fb).map((d) => prefix + d);
  for (const rel of fa.filter((r) => fb.includes(r))) {
    const a = join(ref, rel), b = join(got, rel);
    const base = rel.split('/').pop() as string;
    let d: string | undefined;
    if (rel === 'summary.json') d = jsonDiff(rel, a, b, (v) => { const s = v as Record<string, unknown>; return { name: s.name, tag: s.tag, seed: s.seed, configHash: s.configHash, backend: s.backend, metrics: s.metrics }; });
    else if (rel === 'metrics.jsonl') d = recordsDiff(rel, a, b);
    else if (base === 'latest.json') d = jsonDiff(rel, a, b, (v) => (v as { tag?: unknown }).tag);
    else if (base === 'tensors.json') {
      // tensor names are tfjs auto-names (a per-process layer counter): compared as a note only
      // format 2 also holds the digest of state.json, whose history carries wall-clock timings
      // (compared without them, as state.json itself), and the digest of the tensor list, names
      // included: only the tensor index without names and the tensors.bin digest count
      const unnamed = (list: unknown) => (Array.isArray(list) ? list.map((e) => ({ ...(e as object), name: undefined })) : list);
      d = jsonDiff(rel, a, b, (v) => (Array.isArray(v) ? unnamed(v)
        : { ...(v as Record<string, unknown>), state: undefined, tensorsSha256: undefined, tensors: unnamed((v as { tensors?: unknown }).tensors) }));
      const n = jsonDiff(rel, a, b, (v) => (Array.isArray(v) ? v : (v as { tensors?: unknown }).tensors));
      if (!d && n) notes?.push(prefix + n.replace('differs', 'tensor names differ'));
    }
    else if (base.endsWith('.json')) d = jsonDiff(rel, a, b, (v) => v);
    else d = bytesDiff(rel, a, b);
    if (d) diffs.push(prefix + d);
  }
  return diffs;
}

function csvWithoutTimings(p: string): string {
  const rows = text(p).trimEnd().split('\n').map((l) => l.split(','));
  const keep = rows[0].map((h, i) => (TIMING_KEY.test(h) ? -1 : i)).filter((i) => i >= 0);
  return rows.map((r) => keep.map((i) => r[i] ?? '').join(',')).join('\n');
}

/** Differences between a reference bench output folder and another; [] = identical. */
export function compareBenchDirs(ref: string, got: string, notes?: string[]): string[] {
  if (!existsSync(got)) return ['bench folder missing'];
  const diffs: string[] = [];
  const top = (d: string) => fileSet(d).filter((r) => !r.includes('/'));
  diffs.push(...setDiff(top(ref), top(got)));
  for (const rel of top(ref).filter((r) => existsSync(join(got, r)))) {
    const a = join(ref, rel), b = join(got, rel);
    if (rel === 'results.csv') {
      const x = csvWithoutTimings(a), y = csvWithoutTimings(b);
      if (x !== y) diffs.push(`results.csv: differs (${firstDifference(x, y)})`);
    } else if (rel === 'summary.json') {
      const norm = (root: string) => (v: unknown) => JSON.parse(JSON.stringify(v).split(JSON.stringify(root).slice(1, -1)).join('<out>'));
      const pa = parseJson(a), pb = parseJson(b);
      if (!pb.ok) { diffs.push(`summary.json: not valid JSON (${pb.error})`); continue; }
      if (!pa.ok) continue;
      const drop = (k: string) => TIMING_KEY.test(k) || k === 'cached';
      const sa = JSON.stringify(canonical(norm(ref)(pa.value), drop)), sb = JSON.stringify(canonical(norm(got)(pb.value), drop));
      if (sa !== sb) diffs.push(`summary.json: differs (${firstDifference(sa, sb)})`);
    } else if (rel === 'results.md') {
      if (!/ms_per_step|_ms\b|seconds/i.test(text(a))) { const d = bytesDiff(rel, a, b); if (d) diffs.push(d); }
    } else { const d = bytesDiff(rel, a, b); if (d) diffs.push(d); }
  }
  for (const cell of benchCells(ref)) diffs.push(...compareRunDirs(join(ref, cell), join(got, cell), `${cell}/`, notes));
  const extraCells = benchCells(got).filter((c) => !benchCells(ref).includes(c));
  if (extraCells.length) diffs.push(`extra cells: ${extraCells.join(', ')}`);
  return diffs;
}

/** `<variant>/seed-<n>` folders of a bench output. */
export function benchCells(dir: string): string[] {
  return listTree(dir).filter((r) => /^[^/]+\/seed-[^/]+$/.test(r) && statSync(join(dir, r), { throwIfNoEntry: false })?.isDirectory()).sort();
}

/** Differences between a reference dataset and another; [] = identical (byte for byte). */
export function compareDatasets(ref: string, got: string): string[] {
  if (!existsSync(got)) return ['dataset folder missing'];
  const fa = fileSet(ref), fb = fileSet(got);
  const diffs = setDiff(fa, fb);
  for (const rel of fa.filter((r) => fb.includes(r))) {
    const a = join(ref, rel), b = join(got, rel);
    const d = rel === 'manifest.json' ? jsonDiff(rel, a, b, (v) => v) : bytesDiff(rel, a, b);
    if (d) diffs.push(d);
  }
  return diffs;
}

/** `.tmp` files and folders under dir. */
export function tmpLeft(dir: string): string[] {
  return listTree(dir).filter((r) => /\.tmp$/.test(r));
}

/** Differences of two runs' summary.json metrics only (runs whose configs differ in a path). */
export function compareSummaryMetrics(ref: string, got: string): string[] {
  const d = jsonDiff('summary.json metrics', join(ref, 'summary.json'), join(got, 'summary.json'), (v) => (v as { metrics?: unknown }).metrics);
  return d ? [d] : [];
}
