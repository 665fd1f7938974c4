/**
 * `npm run faults`: the fault-injection benchmark of issue 12. Black-box scenarios against the
 * CLI (node dist/core/cli/bin.js): kill -9 during run / bench / simulate at seeded moments,
 * corruption of every file kind of a run directory, a bench folder and a dataset, a full disk
 * (tmpfs, root only) and concurrent writers. Every result is compared exactly with an
 * uninterrupted reference computed in the same invocation (see compare.ts for what "identical"
 * means per kind of output). Prints per category: tried / clear error / unclear error / resumed
 * identically / silently wrong, writes every case to bench-results/faults.json, and exits 1 when
 * any case is silently wrong (2 when a harness step failed or the references are not reproducible).
 *
 *   npm run faults -- [--seed N] [--only CATEGORY[,CATEGORY]] [--quick] [--keep]
 *   categories: kill-run kill-bench kill-simulate corrupt-run corrupt-bench corrupt-dataset full-disk concurrent
 *   (kill = kill-run,kill-bench,kill-simulate; corrupt = corrupt-run,corrupt-bench,corrupt-dataset)
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, type Ctx } from './fixtures.js';
import { CLI, killLiveChildren, REPO } from './process-runner.js';
import { CATEGORIES, summarise, table, writeJsonAtomic } from './report.js';
import { SeededRng } from './seeded-rng.js';
import { controlCases, killBenchCases, killRunCases, killSimulateCases } from './scenarios-kill.js';
import { corruptBenchCases, corruptDatasetCases, corruptRunCases } from './scenarios-corrupt.js';
import { fullDiskCases } from './scenarios-disk.js';
import { concurrentCases } from './scenarios-concurrent.js';
import type { CaseRecord, Category } from './types.js';

interface Args { seed: number; only?: Set<Category>; quick: boolean; keep: boolean; out: string }

function parseArgs(argv: string[]): Args {
  const a: Args = { seed: 20261201, quick: false, keep: false, out: join(REPO, 'bench-results', 'faults.json') };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const val = () => { const v = argv[++i]; if (v === undefined) throw new Error(`${k}: missing value`); return v; };
    if (k === '--seed') { a.seed = Number(val()); if (!Number.isInteger(a.seed)) throw new Error('--seed: expected an integer'); }
    else if (k === '--only') {
      const groups: Record<string, Category[]> = { kill: ['kill-run', 'kill-bench', 'kill-simulate'], corrupt: ['corrupt-run', 'corrupt-bench', 'corrupt-dataset'] };
      const cats = val().split(',').flatMap((c) => groups[c] ?? [c as Category]);
      for (const c of cats) if (!CATEGORIES.includes(c)) throw new Error(`--only: unknown category "${c}"; one of ${CATEGORIES.filter((x) => x !== 'control').join(', ')}, kill, corrupt`);
      a.only = new Set(cats);
    } else if (k === '--quick') a.quick = true;
    else if (k === '--keep') a.keep = true;
    else if (k === '--json') a.out = val();
    else if (k === '--help' || k === '-h') { console.log('npm run faults -- [--seed N] [--only CATEGORY[,..]] [--quick] [--keep] [--json FILE]'); process.exit(0); }
    else throw new Error(`unknown option ${k}`);
  }
  return a;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) { console.error(`${CLI} not found: build first (npx tsc -p .)`); return 2; }
  const root = mkdtempSync(join(tmpdir(), 'lensforge-faults-'));
  const t0 = Date.now();
  const log = (m: string) => console.error(`[faults ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${m}`);
  let n = 0;
  const ctx: Ctx = {
    root, seed: args.seed, rng: new SeededRng(args.seed), quick: args.quick, log,
    caseDir: (id) => { const d = join(root, 'cases', `${String(n++).padStart(3, '0')}-${id}`); mkdirSync(d, { recursive: true }); return d; },
    fixtures: new Fixtures(root, log),
    onAbort: [],
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      killLiveChildren();
      for (const f of ctx.onAbort.splice(0).reverse()) { try { f(); } catch { /* best effort */ } }
      if (!args.keep) rmSync(root, { recursive: true, force: true });
      console.error(`interrupted (${sig})${args.keep ? `; kept ${root}` : ''}`);
      process.exit(130);
    });
  }
  console.log(`lensforge fault-injection benchmark: seed ${args.seed}${args.quick ? ', quick' : ''}${args.only ? `, only ${[...args.only].join(',')}` : ''}; temp ${root}`);
  const want = (c: Category) => !args.only || args.only.has(c);
  const cases: CaseRecord[] = [];
  const skipped: Partial<Record<Category, string>> = {};
  const step = async (c: Category, f: () => Promise<CaseRecord[]>) => {
    if (c !== 'control' && !want(c)) return;
    log(`category ${c}`);
    try { cases.push(...await f()); } catch (e) {
      log(`  ${c}: harness error: ${(e as Error).stack ?? e}`);
      cases.push({ category: c, id: `${c}-harness`, description: 'the category could not run', commands: [], classification: 'harness-error', reason: String((e as Error).message ?? e) });
    }
  };
  try {
    await step('control', () => controlCases(ctx));
    await step('kill-run', () => killRunCases(ctx));
    await step('kill-bench', () => killBenchCases(ctx));
    await step('kill-simulate', () => killSimulateCases(ctx));
    await step('corrupt-run', () => corruptRunCases(ctx));
    await step('corrupt-bench', () => corruptBenchCases(ctx));
    await step('corrupt-dataset', () => corruptDatasetCases(ctx));
    await step('full-disk', async () => { const r = await fullDiskCases(ctx); if (r.skipped) { skipped['full-disk'] = r.skipped; console.log(`full-disk: skipped (${r.skipped})`); } return r.cases; });
    await step('concurrent', () => concurrentCases(ctx));
  } finally {
    if (args.keep) console.log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
  const rows = summarise(cases, skipped);
  const seconds = (Date.now() - t0) / 1000;
  console.log(`\n${table(rows)}\n`);
  for (const c of cases.filter((x) => x.classification === 'silently-wrong' || x.classification === 'harness-error')) console.log(`${c.classification.toUpperCase()} ${c.id}: ${c.description}\n    ${c.reason}`);
  const silent = cases.filter((c) => c.category !== 'control' && c.classification === 'silently-wrong').length;
  const broken = cases.some((c) => c.classification === 'harness-error') || cases.some((c) => c.category === 'control' && c.classification !== 'resumed-identically');
  writeJsonAtomic(args.out, {
    benchmark: 'faults', seed: args.seed, quick: args.quick, only: args.only ? [...args.only] : undefined, seconds, finishedAt: new Date().toISOString(),
    node: process.version, platform: `${process.platform} ${process.arch}`, summary: rows, cases,
  });
  console.log(`\n${cases.length} case(s) in ${seconds.toFixed(0)} s (seed ${args.seed}); ${silent} silently wrong; results: ${args.out}`);
  return silent > 0 ? 1 : broken ? 2 : 0;
}

main().then((code) => { process.exitCode = code; }, (e) => { console.error(e instanceof Error ? e.message : e); process.exitCode = 2; });
