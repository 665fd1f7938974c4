/**
 * Concurrent writers: two `run --resume` on one interrupted run directory, two `bench` on one
 * fresh --out, two `simulate` on one fresh --out, the second started while the first is working.
 * Expected (after the lock fix): the second refuses with an error naming the lock (or the holder's
 * pid) and the first ends identical to the reference. Both exiting 0 with a result that differs
 * (interleaved records) is silently wrong.
 */
import { join } from 'node:path';
import { compareBenchDirs, compareDatasets, compareRunDirs, tmpLeft } from './compare.js';
import { errorLine, errorPart } from './classify.js';
import { runArgs, simulateArgs, type Ctx } from './fixtures.js';
import { record, startCli } from './process-runner.js';
import type { CaseRecord, Classification } from './types.js';

export async function concurrentCases(ctx: Ctx): Promise<CaseRecord[]> {
  const fx = ctx.fixtures;
  const out: CaseRecord[] = [];
  type Plan = { id: string; what: string; setup(dir: string): Promise<void>; args(dir: string): string[]; compare(dir: string): Promise<string[]>; startAfterLines: number };
  const plans: Plan[] = [
    {
      id: 'run-resume', what: 'two `run --resume` on one interrupted run directory (12 epochs)', startAfterLines: 2,
      setup: async (dir) => { const mid = await midLong(ctx); fx.copy(mid, dir); },
      args: (dir) => runArgs(fx.blobsLong, dir, ['--resume']),
      compare: async (dir) => compareRunDirs((await fx.ref(fx.blobsLong)).dir, dir),
    },
    {
      id: 'bench', what: 'two `bench` on one fresh --out', startAfterLines: 2, setup: async () => undefined,
      args: (dir) => ['bench', fx.blobs.config, '--out', dir, ...fx.benchSets.flatMap((s) => ['--set', s])],
      compare: async (dir) => compareBenchDirs((await fx.benchRef()).dir, dir),
    },
    {
      id: 'simulate', what: 'two `simulate --workers 1` on one fresh --out', startAfterLines: 0, setup: async () => undefined,
      args: (dir) => simulateArgs(dir, 1),
      compare: async (dir) => compareDatasets((await fx.datasetRef(1)).dir, dir),
    },
  ];
  for (const p of ctx.quick ? plans.slice(0, 1) : plans) {
    const dir = join(ctx.caseDir(`concurrent-${p.id}`), 'out');
    await p.setup(dir);
    await p.compare(dir).catch(() => []); // make sure the reference exists before timing matters
    const started = Date.now();
    const a = startCli(p.args(dir));
    if (p.startAfterLines > 0) await a.waitForLines(p.startAfterLines, 60_000);
    else await new Promise((r) => setTimeout(r, 1500));
    const b = startCli(p.args(dir));
    const [ra, rb] = await Promise.all([a.done, b.done]);
    const diffs = await p.compare(dir);
    let classification: Classification, reason: string;
    const failed = [ra, rb].filter((r) => r.exitCode !== 0);
    if (failed.length === 0) {
      classification = diffs.length ? 'silently-wrong' : 'resumed-identically';
      reason = diffs.length ? `both writers ran to exit 0 and the result differs: ${diffs.slice(0, 3).join('; ')}` : 'both writers ended with exit 0 and the result is identical (the second one started after the first had finished, or waited for nothing: no lock was held)';
    } else if (failed.length === 1) {
      const loser = failed[0], winner = loser === ra ? rb : ra;
      const named = /lock/i.test(errorPart(loser.stderr)) || (winner.pid !== undefined && errorPart(loser.stderr).includes(String(winner.pid)));
      if (diffs.length) { classification = 'silently-wrong'; reason = `one writer failed (${errorLine(loser.stderr)}) and the other's result differs: ${diffs.slice(0, 3).join('; ')}`; }
      else { classification = named ? 'clear-error' : 'unclear-error'; reason = `${named ? 'second writer refused naming the lock/holder' : 'one writer failed without naming a lock or holder'}: ${errorLine(loser.stderr)}; the other finished identical`; }
    } else {
      classification = 'unclear-error';
      reason = `both writers failed: ${errorLine(ra.stderr)} | ${errorLine(rb.stderr)}`;
    }
    out.push({ category: 'concurrent', id: `concurrent-${p.id}`, description: p.what, commands: [record(ra), record(rb)], classification, reason, diffs, tmpLeft: tmpLeft(dir), ms: Date.now() - started });
    ctx.log(`  concurrent-${p.id}: ${classification}`);
  }
  return out;
}

let midLongDir: Promise<string> | undefined;
/** An interrupted 12-epoch blobs run (killed once checkpoint epoch-0002 exists). */
function midLong(ctx: Ctx): Promise<string> {
  return (midLongDir ??= (async () => {
    const dir = join(ctx.root, 'refs', 'blobs-12-mid');
    const { runCli } = await import('./process-runner.js');
    await runCli(runArgs(ctx.fixtures.blobsLong, dir), { trigger: { kind: 'file', dir, pattern: /^checkpoints\/train\/epoch-0002\/state\.json$/, nth: 1, delayMs: 0 } });
    return dir;
  })());
}
