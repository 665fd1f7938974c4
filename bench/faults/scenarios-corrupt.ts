/**
 * Corruption of every file kind in a run directory, a bench folder and a dataset, followed by the
 * natural next command: `run --resume` (interrupted or finished run), `bench` again, `simulate`
 * again and then a `run` that reads the dataset through io/dataset (faults/checksum fingerprints
 * every sample it reads, so damaged data used without an error shows as a different summary).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchCells, compareBenchDirs, compareDatasets, compareRunDirs, compareSummaryMetrics, tmpLeft } from './compare.js';
import { judge } from './classify.js';
import { appendText, editJson, flipBytes, nanFloats, npyDataOffset, remove, replaceText, truncateHalf, truncateTo } from './damage.js';
import { checksumConfig, runArgs, simulateArgs, type Ctx } from './fixtures.js';
import { record, runCli } from './process-runner.js';
import type { SeededRng } from './seeded-rng.js';
import type { CaseRecord } from './types.js';

interface RunDamage { id: string; what: string; base: 'mid' | 'finished'; files: (run: string, latest: string, older: string | undefined) => string[]; apply(run: string, latest: string, older: string | undefined, rng: SeededRng, caseRoot: string): string | void }

const ck = (run: string, tag: string, f = '') => join(run, 'checkpoints', 'train', tag, f);
const rel = (run: string, p: string) => p.slice(run.length + 1);
/** The tensor entries of a checkpoint index: format 1 is the list itself, format 2 holds it under `tensors`. */
const tensorList = <T>(index: T[] | { tensors: T[] }): T[] => (Array.isArray(index) ? index : index.tensors);

function tags(run: string): { latest: string; older?: string } {
  const d = join(run, 'checkpoints', 'train');
  const all = readdirSync(d).filter((n) => /^epoch-\d+$/.test(n)).sort();
  let latest = all[all.length - 1];
  try { latest = (JSON.parse(readFileSync(join(d, 'latest.json'), 'utf8')) as { tag: string }).tag; } catch { /* keep */ }
  return { latest, older: all.filter((t) => t < latest).pop() };
}

const RUN_DAMAGES: RunDamage[] = [
  { id: 'none', what: 'no damage (control: an intact interrupted run resumes identically)', base: 'mid', files: () => [], apply: () => undefined },
  { id: 'tensors-flip16', what: 'latest checkpoint tensors.bin: 16 bytes flipped', base: 'mid', files: (r, l) => [rel(r, ck(r, l, 'tensors.bin')), 'tensors.bin'], apply: (r, l, _o, rng) => `offsets ${flipBytes(ck(r, l, 'tensors.bin'), rng, 16).join(',')}` },
  { id: 'tensors-nan', what: 'latest checkpoint tensors.bin: 4 floats set to NaN', base: 'mid', files: (r, l) => [rel(r, ck(r, l, 'tensors.bin')), 'tensors.bin'], apply: (r, l, _o, rng) => `offsets ${nanFloats(ck(r, l, 'tensors.bin'), rng, 4).join(',')}` },
  { id: 'tensors-half', what: 'latest checkpoint tensors.bin truncated to half', base: 'mid', files: (r, l) => [rel(r, ck(r, l, 'tensors.bin')), 'tensors.bin'], apply: (r, l) => truncateHalf(ck(r, l, 'tensors.bin')) },
  { id: 'tensors-empty', what: 'latest checkpoint tensors.bin truncated to 0 bytes', base: 'mid', files: (r, l) => [rel(r, ck(r, l, 'tensors.bin')), 'tensors.bin'], apply: (r, l) => truncateTo(ck(r, l, 'tensors.bin'), 0) },
  { id: 'tensors-older-flip', what: 'older checkpoint tensors.bin: 16 bytes flipped (latest intact)', base: 'mid', files: (r, _l, o) => (o ? [rel(r, ck(r, o, 'tensors.bin'))] : []), apply: (r, _l, o, rng) => (o ? `offsets ${flipBytes(ck(r, o, 'tensors.bin'), rng, 16).join(',')}` : 'no older checkpoint') },
  { id: 'state-epoch-four', what: 'state.json: "epoch": "four"', base: 'mid', files: (r, l) => [rel(r, ck(r, l, 'state.json')), 'state.json'], apply: (r, l) => editJson(ck(r, l, 'state.json'), (s) => { s.epoch = 'four'; }) },
  { id: 'state-no-epoch', what: 'state.json: field "epoch" missing', base: 'mid', files: (r, l) => [rel(r, ck(r, l, 'state.json')), 'state.json'], apply: (r, l) => editJson(ck(r, l, 'state.json'), (s) => { delete s.epoch; }) },
  { id: 'state-no-rngs', what: 'state.json: field "rngs" missing', base: 'mid', files: (r, l) => [rel(r, ck(r, l, 'state.json')), 'state.json'], apply: (r, l) => editJson(ck(r, l, 'state.json'), (s) => { delete s.rngs; }) },
  { id: 'state-invalid', what: 'state.json: invalid JSON (cut in half)', base: 'mid', files: (r, l) => [rel(r, ck(r, l, 'state.json')), 'state.json'], apply: (r, l) => truncateHalf(ck(r, l, 'state.json')) },
  { id: 'latest-missing-tag', what: 'latest.json names a tag that does not exist (epoch-0099)', base: 'mid', files: () => ['latest.json'], apply: (r) => editJson(join(r, 'checkpoints', 'train', 'latest.json'), (s) => { s.tag = 'epoch-0099'; }) },
  {
    id: 'latest-traversal', what: 'latest.json tag ../../../otherrun/checkpoints/train/epoch-0009 (another run\'s weights)', base: 'mid', files: () => ['latest.json'],
    apply: (r, l, _o, _rng, root) => {
      // another run beside this one, holding a checkpoint of the same shapes with other weights
      const other = join(root, 'otherrun', 'checkpoints', 'train', 'epoch-0009');
      for (const f of ['state.json', 'tensors.json', 'tensors.bin']) {
        const src = ck(r, l, f);
        const buf = readFileSync(src);
        if (f === 'tensors.bin') { const fl = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)); for (let i = 0; i < fl.length; i++) fl[i] = fl[i] * 0.5 + 0.01; writeFileAt(join(other, f), Buffer.from(fl.buffer)); }
        else writeFileAt(join(other, f), buf);
      }
      editJson(join(r, 'checkpoints', 'train', 'latest.json'), (s) => { s.tag = '../../../otherrun/checkpoints/train/epoch-0009'; });
    },
  },
  { id: 'latest-invalid', what: 'latest.json: invalid JSON', base: 'mid', files: () => ['latest.json'], apply: (r) => writeFileSync(join(r, 'checkpoints', 'train', 'latest.json'), '{"tag": "epoch-00') },
  { id: 'latest-deleted', what: 'latest.json deleted (intact checkpoints remain)', base: 'mid', files: () => ['latest.json'], apply: (r) => remove(join(r, 'checkpoints', 'train', 'latest.json')) },
  { id: 'index-invalid', what: 'tensors.json: invalid JSON', base: 'mid', files: (r, l) => [rel(r, ck(r, l, 'tensors.json')), 'tensors.json'], apply: (r, l) => truncateHalf(ck(r, l, 'tensors.json')) },
  {
    id: 'index-swapped', what: 'tensors.json: offsets of two same-sized tensors swapped', base: 'mid', files: (r, l) => [rel(r, ck(r, l, 'tensors.json')), 'tensors.json'],
    apply: (r, l) => {
      let note = '';
      type Entry = { name: string; offset: number; length: number };
      editJson(ck(r, l, 'tensors.json'), (index: Entry[] | { tensors: Entry[] }) => {
        const idx = tensorList(index);
        for (let i = 0; i < idx.length && !note; i++) for (let j = i + 1; j < idx.length && !note; j++) {
          if (idx[i].length === idx[j].length && idx[i].length > 1) { [idx[i].offset, idx[j].offset] = [idx[j].offset, idx[i].offset]; note = `swapped ${idx[i].name} and ${idx[j].name}`; }
        }
      });
      return note || 'no two tensors of one size';
    },
  },
  { id: 'index-entry-removed', what: 'tensors.json: first entry removed', base: 'mid', files: (r, l) => [rel(r, ck(r, l, 'tensors.json')), 'tensors.json'], apply: (r, l) => editJson(ck(r, l, 'tensors.json'), (idx: unknown[] | { tensors: unknown[] }) => (Array.isArray(idx) ? idx.slice(1) : { ...idx, tensors: idx.tensors.slice(1) })) },
  { id: 'config-invalid', what: 'config.resolved.json: invalid JSON', base: 'mid', files: () => ['config.resolved.json'], apply: (r) => truncateHalf(join(r, 'config.resolved.json')) },
  { id: 'config-hash', what: 'config.resolved.json: configHash edited', base: 'mid', files: () => ['config.resolved.json'], apply: (r) => editJson(join(r, 'config.resolved.json'), (c) => { c.configHash = '0000000000000000'; }) },
  { id: 'metrics-torn-last', what: 'metrics.jsonl: torn last line appended', base: 'mid', files: () => ['metrics.jsonl'], apply: (r) => appendText(join(r, 'metrics.jsonl'), '{"time":"2026-01-01T00:00:00.000Z","phase":"train","epo') },
  {
    id: 'metrics-garbage-middle', what: 'metrics.jsonl: second line replaced by a torn one', base: 'mid', files: () => ['metrics.jsonl'],
    apply: (r) => { const p = join(r, 'metrics.jsonl'); const ls = readFileSync(p, 'utf8').split('\n'); ls[1] = ls[1].slice(0, 20); writeFileSync(p, ls.join('\n')); },
  },
  { id: 'summary-invalid', what: 'finished run: summary.json invalid JSON', base: 'finished', files: () => ['summary.json'], apply: (r) => truncateHalf(join(r, 'summary.json')) },
  { id: 'final-tensors-flip16', what: 'finished run: final checkpoint tensors.bin 16 bytes flipped', base: 'finished', files: (r, l) => [rel(r, ck(r, l, 'tensors.bin')), 'tensors.bin'], apply: (r, l, _o, rng) => `offsets ${flipBytes(ck(r, l, 'tensors.bin'), rng, 16).join(',')}` },
];

function writeFileAt(p: string, data: Buffer): void {
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
}

export async function corruptRunCases(ctx: Ctx): Promise<CaseRecord[]> {
  const f = ctx.fixtures.blobs;
  const ref = await ctx.fixtures.ref(f);
  const mid = await ctx.fixtures.midRun();
  const out: CaseRecord[] = [];
  const list = ctx.quick ? RUN_DAMAGES.filter((d) => ['none', 'tensors-flip16', 'state-epoch-four', 'latest-traversal', 'metrics-torn-last'].includes(d.id)) : RUN_DAMAGES;
  for (const d of list) {
    const root = ctx.caseDir(`corrupt-run-${d.id}`);
    const run = ctx.fixtures.copy(d.base === 'mid' ? mid.dir : ref.dir, join(root, 'run'));
    const { latest, older } = tags(run);
    const note = d.apply(run, latest, older, ctx.rng.derive(`corrupt-run/${d.id}`), root);
    const started = Date.now();
    const c = await runCli(runArgs(f, run, ['--resume']));
    const names: string[] = [];
    const diffs = c.exitCode === 0 ? compareRunDirs(ref.dir, run, '', names) : undefined;
    const v = judge(c.exitCode, c.stderr, d.files(run, latest, older), diffs);
    out.push({
      category: 'corrupt-run', id: `corrupt-run-${d.id}`, description: `${d.what}; then run --resume (${d.base === 'mid' ? 'interrupted at ' + latest : 'finished'} run)`,
      commands: [record(c)], ...v, diffs, tmpLeft: tmpLeft(run), notes: [...(note ? [note] : []), ...names.slice(0, 2)], ms: Date.now() - started,
    });
    ctx.log(`  corrupt-run-${d.id}: ${v.classification}`);
  }
  return out;
}

interface BenchDamage { id: string; what: string; files: string[]; apply(bench: string, cell: string, rng: SeededRng): void }

export async function corruptBenchCases(ctx: Ctx): Promise<CaseRecord[]> {
  const ref = await ctx.fixtures.benchRef();
  const cell0 = benchCells(ref.dir)[1] ?? benchCells(ref.dir)[0];
  const lastTag = (b: string) => tags(join(b, cell0)).latest;
  const damages: BenchDamage[] = [
    { id: 'cell-summary-invalid', what: `${cell0}/summary.json invalid JSON`, files: [`${cell0}/summary.json`, 'summary.json'], apply: (b) => truncateHalf(join(b, cell0, 'summary.json')) },
    { id: 'cell-summary-empty', what: `${cell0}/summary.json empty`, files: [`${cell0}/summary.json`, 'summary.json'], apply: (b) => truncateTo(join(b, cell0, 'summary.json'), 0) },
    { id: 'cell-summary-hash', what: `${cell0}/summary.json configHash of another config`, files: [`${cell0}/summary.json`], apply: (b) => editJson(join(b, cell0, 'summary.json'), (s) => { s.configHash = 'ffffffffffffffff'; }) },
    {
      id: 'cell-unfinished-flipped', what: `${cell0}: summary.json removed (unfinished) and its last checkpoint tensors.bin 16 bytes flipped`, files: ['tensors.bin'],
      apply: (b, _c, rng) => { remove(join(b, cell0, 'summary.json')); flipBytes(ck(join(b, cell0), lastTag(b), 'tensors.bin'), rng, 16); },
    },
    { id: 'cell-metrics-torn', what: `${cell0}: summary.json removed and metrics.jsonl torn last line`, files: ['metrics.jsonl'], apply: (b) => { remove(join(b, cell0, 'summary.json')); appendText(join(b, cell0, 'metrics.jsonl'), '{"phase":"tr'); } },
    { id: 'results-csv-truncated', what: 'results.csv truncated to half', files: ['results.csv'], apply: (b) => truncateHalf(join(b, 'results.csv')) },
  ];
  const out: CaseRecord[] = [];
  const args = (o: string) => ['bench', ctx.fixtures.blobs.config, '--out', o, ...ctx.fixtures.benchSets.flatMap((s) => ['--set', s])];
  for (const d of ctx.quick ? damages.slice(0, 2) : damages) {
    const b = ctx.fixtures.copy(ref.dir, join(ctx.caseDir(`corrupt-bench-${d.id}`), 'bench'));
    d.apply(b, cell0, ctx.rng.derive(`corrupt-bench/${d.id}`));
    const started = Date.now();
    const c = await runCli(args(b));
    const names: string[] = [];
    const diffs = c.exitCode === 0 ? compareBenchDirs(ref.dir, b, names) : undefined;
    const v = judge(c.exitCode, c.stderr, d.files, diffs);
    out.push({ category: 'corrupt-bench', id: `corrupt-bench-${d.id}`, description: `finished bench: ${d.what}; then bench again`, commands: [record(c)], ...v, diffs, tmpLeft: tmpLeft(b), notes: names.slice(0, 2), ms: Date.now() - started });
    ctx.log(`  corrupt-bench-${d.id}: ${v.classification}`);
  }
  return out;
}

interface DatasetDamage { id: string; what: string; files: string[]; apply(ds: string, rng: SeededRng): string | void }

const DATASET_DAMAGES: DatasetDamage[] = [
  { id: 'npy-flip', what: 'images-00002.npy: one data byte flipped', files: ['images-00002.npy'], apply: (d, rng) => `offset ${flipBytes(join(d, 'images-00002.npy'), rng, 1, npyDataOffset(join(d, 'images-00002.npy')))}` },
  { id: 'npy-dtype', what: "images-00001.npy header: '<f4' changed to '<i4'", files: ['images-00001.npy'], apply: (d) => (replaceText(join(d, 'images-00001.npy'), "'<f4'", "'<i4'") ? undefined : 'no <f4 in header') },
  { id: 'npy-truncated', what: 'images-00003.npy truncated to 5,000 bytes', files: ['images-00003.npy'], apply: (d) => truncateTo(join(d, 'images-00003.npy'), 5000) },
  { id: 'npy-deleted', what: 'images-00004.npy deleted', files: ['images-00004.npy'], apply: (d) => remove(join(d, 'images-00004.npy')) },
  { id: 'manifest-shape', what: 'manifest.json: imageShape [16, 64, 1] instead of [32, 32, 1]', files: ['manifest.json'], apply: (d) => editJson(join(d, 'manifest.json'), (m) => { m.imageShape = [16, 64, 1]; }) },
  { id: 'manifest-count', what: 'manifest.json: count 80 instead of 96', files: ['manifest.json'], apply: (d) => editJson(join(d, 'manifest.json'), (m) => { m.count = 80; }) },
  { id: 'manifest-invalid', what: 'manifest.json: invalid JSON', files: ['manifest.json'], apply: (d) => truncateHalf(join(d, 'manifest.json')) },
  { id: 'params-short', what: 'params-00001.json: last row removed', files: ['params-00001.json'], apply: (d) => editJson(join(d, 'params-00001.json'), (rows: unknown[]) => rows.slice(0, -1)) },
  { id: 'params-invalid', what: 'params-00002.json: invalid JSON', files: ['params-00002.json'], apply: (d) => truncateHalf(join(d, 'params-00002.json')) },
  { id: 'params-value', what: 'params-00000.json: one theta_E value changed', files: ['params-00000.json'], apply: (d) => editJson(join(d, 'params-00000.json'), (rows: Array<{ labels: Record<string, number> }>) => { rows[3].labels.theta_E += 0.25; }) },
  { id: 'params-table-truncated', what: 'params.json (the whole table) truncated to half', files: ['params.json'], apply: (d) => truncateHalf(join(d, 'params.json')) },
];

export async function corruptDatasetCases(ctx: Ctx): Promise<CaseRecord[]> {
  const ref = await ctx.fixtures.datasetRef(1);
  const sumRef = await ctx.fixtures.checksumRef();
  const out: CaseRecord[] = [];
  const list = ctx.quick ? DATASET_DAMAGES.filter((d) => ['npy-flip', 'npy-truncated', 'manifest-shape'].includes(d.id)) : DATASET_DAMAGES;
  for (const d of list) {
    const root = ctx.caseDir(`corrupt-dataset-${d.id}`);
    const ds = ctx.fixtures.copy(ref.dir, join(root, 'dataset'));
    const note = d.apply(ds, ctx.rng.derive(`corrupt-dataset/${d.id}`));
    const started = Date.now();
    const c1 = await runCli(simulateArgs(ds, 1));
    const commands = [record(c1)];
    let v = judge(c1.exitCode, c1.stderr, d.files, c1.exitCode === 0 ? compareDatasets(ref.dir, ds) : undefined);
    let diffs = c1.exitCode === 0 ? compareDatasets(ref.dir, ds) : undefined;
    const notes = note ? [note] : [];
    if (v.classification === 'silently-wrong') {
      // simulate accepted the damaged dataset; does a run reading it notice?
      notes.push(`simulate exit 0 left the dataset damaged: ${(diffs ?? []).slice(0, 2).join('; ')}`);
      const runDir = join(root, 'checksum-run');
      const c2 = await runCli(['run', checksumConfig(ctx.root, ds, d.id), '--out', runDir]);
      commands.push(record(c2));
      if (c2.exitCode !== 0) v = judge(c2.exitCode, c2.stderr, d.files, undefined);
      else {
        const rd = compareSummaryMetrics(sumRef.dir, runDir);
        diffs = [...(diffs ?? []), ...rd.map((x) => `checksum run: ${x}`)];
        v = { classification: 'silently-wrong', reason: rd.length ? `simulate and a run over the dataset exit 0; the run read damaged data (${rd[0]})` : 'simulate exit 0 kept the damaged dataset as complete; a run over it exits 0 (its fingerprint of the samples is unchanged: the damage is in a file or field it does not use)' };
      }
    }
    out.push({ category: 'corrupt-dataset', id: `corrupt-dataset-${d.id}`, description: `finished dataset: ${d.what}; then simulate again, then a run reading it via io/dataset`, commands, ...v, diffs, tmpLeft: tmpLeft(ds), notes, ms: Date.now() - started });
    ctx.log(`  corrupt-dataset-${d.id}: ${v.classification}`);
  }
  return out;
}

