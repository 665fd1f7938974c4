/**
 * kill -9 during `run`, `bench` and `simulate` at seeded moments (after a seeded number of output
 * lines plus a seeded delay, or when the n-th temp / checkpoint / shard file appears), then the
 * same command again (`run --resume`, `bench`, `simulate`) to completion, compared with the
 * uninterrupted reference.
 */
import { join } from 'node:path';
import { benchCells, compareBenchDirs, compareDatasets, compareRunDirs, tmpLeft } from './compare.js';
import { judge } from './classify.js';
import { runArgs, simulateArgs, type Ctx, type RunFixture } from './fixtures.js';
import { describeTrigger, record, runCli, type KillTrigger } from './process-runner.js';
import { checkpointedEpochs, retrainedCheckpointedEpoch } from './restart-check.js';
import type { CaseRecord } from './types.js';

function runTriggers(ctx: Ctx, name: string, out: string, lines: number, f: RunFixture, n: number): KillTrigger[] {
  const r = ctx.rng.derive(`kill-run/${name}`);
  const ts: KillTrigger[] = [];
  const nLine = Math.max(1, n - 2);
  for (let i = 0; i < nLine; i++) ts.push({ kind: 'line', n: r.int(1, Math.max(1, lines - 1)), delayMs: r.int(0, 60) });
  // during a checkpoint write: the k-th temp file or folder to appear
  ts.push({ kind: 'file', dir: out, pattern: /\.tmp$/, nth: r.int(1, 3 * f.epochs), delayMs: r.int(0, 3) });
  // during the final writes: as soon as the last checkpoint's folder appears
  ts.push({ kind: 'file', dir: out, pattern: new RegExp(`checkpoints/${f.phases[f.phases.length - 1]}/epoch-\\d+/state\\.json$`), nth: 1, delayMs: r.int(0, 30) });
  return ts.slice(0, n);
}

export async function killRunCases(ctx: Ctx): Promise<CaseRecord[]> {
  const out: CaseRecord[] = [];
  const plan: Array<[RunFixture, number]> = [[ctx.fixtures.blobs, ctx.quick ? 3 : 6], [ctx.fixtures.lens, ctx.quick ? 1 : 2]];
  for (const [f, n] of plan) {
    const ref = await ctx.fixtures.ref(f);
    const probeDir = (i: number) => join(ctx.caseDir(`kill-run-${f.name}-${i}`), 'run');
    const triggers = runTriggers(ctx, f.name, '', ref.lines, f, n);
    for (const [i, t0] of triggers.entries()) {
      const dir = probeDir(i);
      const t = t0.kind === 'file' ? { ...t0, dir } : t0;
      const desc = `run ${f.name}: ${describeTrigger(t).replace(dir + '/', '')}, then run --resume`;
      const started = Date.now();
      const c1 = await runCli(runArgs(f, dir), { trigger: t });
      const before = checkpointedEpochs(dir);
      const leftAfterKill = tmpLeft(dir);
      const c2 = await runCli(runArgs(f, dir, ['--resume']));
      const names: string[] = [];
      const diffs = c2.exitCode === 0 ? compareRunDirs(ref.dir, dir, '', names) : undefined;
      const v = judge(c2.exitCode, c2.stderr, [dir, 'checkpoints', '.json', '.bin'], diffs);
      const notes = [c1.killedByHarness ? `killed ${c1.killNote}` : `finished before the kill (exit ${c1.exitCode})`,
        `checkpointed before the kill: ${JSON.stringify(before)}`, ...names.slice(0, 2)];
      if (leftAfterKill.length) notes.push(`left by the kill: ${leftAfterKill.join(', ')}`);
      out.push({
        category: 'kill-run', id: `kill-run-${f.name}-${i}`, description: desc, commands: [record(c1), record(c2)], ...v, diffs,
        tmpLeft: tmpLeft(dir), restarted: retrainedCheckpointedEpoch(dir, before, c1.killedAt), notes, ms: Date.now() - started,
      });
      ctx.log(`  ${out[out.length - 1].id}: ${v.classification}`);
    }
  }
  return out;
}

export async function killBenchCases(ctx: Ctx): Promise<CaseRecord[]> {
  const ref = await ctx.fixtures.benchRef();
  const r = ctx.rng.derive('kill-bench');
  const out: CaseRecord[] = [];
  const n = ctx.quick ? 2 : 3;
  const args = (o: string) => ['bench', ctx.fixtures.blobs.config, '--out', o, ...ctx.fixtures.benchSets.flatMap((s) => ['--set', s])];
  for (let i = 0; i < n; i++) {
    const dir = join(ctx.caseDir(`kill-bench-${i}`), 'bench');
    // spread the kills over the 4 cells; the last one lands on a checkpoint write
    const t: KillTrigger = i === n - 1
      ? { kind: 'file', dir, pattern: /checkpoints\/train\/\.[^/]+\.tmp$/, nth: r.int(2, 12), delayMs: r.int(0, 3) }
      : { kind: 'line', n: r.int(Math.floor((ref.lines * i) / n) + 1, Math.floor((ref.lines * (i + 1)) / n)), delayMs: r.int(0, 60) };
    const started = Date.now();
    const c1 = await runCli(args(dir), { trigger: t });
    const before = Object.fromEntries(benchCells(dir).map((c) => [c, checkpointedEpochs(join(dir, c))]));
    const c2 = await runCli(args(dir));
    const names: string[] = [];
    const diffs = c2.exitCode === 0 ? compareBenchDirs(ref.dir, dir, names) : undefined;
    const v = judge(c2.exitCode, c2.stderr, [dir, '.json', '.bin', '.csv'], diffs);
    const restartedCells = Object.entries(before).filter(([c, b]) => retrainedCheckpointedEpoch(join(dir, c), b, c1.killedAt)).map(([c]) => c);
    out.push({
      category: 'kill-bench', id: `kill-bench-${i}`, description: `bench blobs 2x2: ${describeTrigger(t).replace(dir + '/', '')}, then bench again`,
      commands: [record(c1), record(c2)], ...v, diffs, tmpLeft: tmpLeft(dir), restarted: restartedCells.length > 0,
      notes: [c1.killedByHarness ? `killed ${c1.killNote}` : `finished before the kill (exit ${c1.exitCode})`,
        `checkpointed before the kill: ${JSON.stringify(before)}`, ...names.slice(0, 2), ...(restartedCells.length ? [`restarted from epoch 1 instead of resuming: ${restartedCells.join(', ')}`] : [])],
      ms: Date.now() - started,
    });
    ctx.log(`  kill-bench-${i}: ${v.classification}`);
  }
  return out;
}

export async function killSimulateCases(ctx: Ctx): Promise<CaseRecord[]> {
  const ref = await ctx.fixtures.datasetRef(1);
  const r = ctx.rng.derive('kill-simulate');
  const out: CaseRecord[] = [];
  const perWorkers = ctx.quick ? 1 : 2;
  for (const workers of [1, 2]) {
    for (let i = 0; i < perWorkers; i++) {
      const dir = join(ctx.caseDir(`kill-simulate-w${workers}-${i}`), 'dataset');
      const kinds: KillTrigger[] = [
        { kind: 'file', dir, pattern: /^images-\d+\.npy$/, nth: r.int(1, 6), delayMs: r.int(0, 40) },
        { kind: 'file', dir, pattern: /\.tmp$/, nth: r.int(1, 24), delayMs: r.int(0, 2) },
        { kind: 'file', dir, pattern: /^params\.(json|csv)$|^samples\.png$|^\.(params|samples)/, nth: 1, delayMs: r.int(0, 5) },
      ];
      const t = kinds[i % kinds.length];
      const started = Date.now();
      const c1 = await runCli(simulateArgs(dir, workers), { trigger: t });
      const leftAfterKill = tmpLeft(dir);
      const c2 = await runCli(simulateArgs(dir, workers));
      const diffs = c2.exitCode === 0 ? compareDatasets(ref.dir, dir) : undefined;
      const v = judge(c2.exitCode, c2.stderr, [dir, '.npy', '.json'], diffs);
      out.push({
        category: 'kill-simulate', id: `kill-simulate-w${workers}-${i}`,
        description: `simulate lensing 96 pairs / 6 shards --workers ${workers}: ${describeTrigger(t).replace(dir + '/', '')}, then simulate again`,
        commands: [record(c1), record(c2)], ...v, diffs, tmpLeft: tmpLeft(dir),
        notes: [c1.killedByHarness ? `killed ${c1.killNote}` : `finished before the kill (exit ${c1.exitCode})`, ...(leftAfterKill.length ? [`left by the kill: ${leftAfterKill.join(', ')}`] : [])],
        ms: Date.now() - started,
      });
      ctx.log(`  ${out[out.length - 1].id}: ${v.classification}`);
    }
  }
  return out;
}

/** Sanity: the references are reproducible (two uninterrupted runs compare identical). */
export async function controlCases(ctx: Ctx): Promise<CaseRecord[]> {
  const out: CaseRecord[] = [];
  const pairs: Array<[string, () => Promise<{ dir: string }>, () => Promise<{ dir: string; result: import('./process-runner.js').CliResult }>, (a: string, b: string) => string[]]> = [
    ['blobs run twice', () => ctx.fixtures.ref(ctx.fixtures.blobs), () => ctx.fixtures.ref(ctx.fixtures.blobs, 'b'), compareRunDirs],
    ['simulate --workers 1 vs --workers 2', () => ctx.fixtures.datasetRef(1), () => ctx.fixtures.datasetRef(2), compareDatasets],
  ];
  if (!ctx.quick) pairs.push(['tiny-lens run twice', () => ctx.fixtures.ref(ctx.fixtures.lens), () => ctx.fixtures.ref(ctx.fixtures.lens, 'b'), compareRunDirs]);
  for (const [desc, a, b, cmp] of pairs) {
    const ra = await a(), rb = await b();
    const diffs = cmp(ra.dir, rb.dir);
    out.push({
      category: 'control', id: `control-${desc.replace(/\W+/g, '-')}`, description: `reference reproducibility: ${desc}`,
      commands: [record(rb.result)], classification: diffs.length ? 'silently-wrong' : 'resumed-identically',
      reason: diffs.length ? `two uninterrupted runs differ: ${diffs.slice(0, 3).join('; ')}` : 'identical', diffs,
    });
    ctx.log(`  control ${desc}: ${diffs.length ? 'DIFFERENT' : 'identical'}`);
  }
  return out;
}
