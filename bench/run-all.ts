/**
 * `npm run bench`: runs every speed benchmark and writes one JSON file per benchmark plus
 * bench-results/summary.json. Benchmarks are measurements, not tests: nothing here fails on a
 * slow machine. Usage: node dist/bench/run-all.js [name ...]   (names: lensing-render, train, gan-step,
 * mass-mapping-posterior, executor)
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { writeJsonAtomic } from '../core/index.js';

/** `file`: the results file under bench-results/ (default `<name>.json`). */
interface Bench { name: string; module: string; fn: string; file?: string }

const BENCHES: Bench[] = [
  { name: 'lensing-render', module: './lensing-render.bench.js', fn: 'runLensingRenderBench', file: 'render.json' },
  { name: 'train', module: './train-bench.js', fn: 'runTrainBench' },
  { name: 'gan-step', module: './gan-step.bench.js', fn: 'runGanStepBench' },
  { name: 'mass-mapping-posterior', module: './mass-mapping-posterior.bench.js', fn: 'runMassMappingPosteriorBench' },
  { name: 'executor', module: './executor.bench.js', fn: 'runExecutorBench' },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const out = 'bench-results';
  mkdirSync(out, { recursive: true });
  const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, date: new Date().toISOString() };
  const summary: Record<string, unknown> = { machine };
  for (const b of BENCHES) {
    if (wanted.length && !wanted.includes(b.name)) continue;
    const path = new URL(b.module, import.meta.url);
    if (!existsSync(path)) { summary[b.name] = { skipped: `${b.module} is not built` }; continue; }
    const mod = (await import(path.href)) as Record<string, (o?: unknown) => Promise<unknown>>;
    if (typeof mod[b.fn] !== 'function') { summary[b.name] = { skipped: `${b.module} has no ${b.fn}()` }; continue; }
    console.error(`bench ${b.name} ...`);
    const t0 = Date.now();
    const result = await mod[b.fn]();
    summary[b.name] = { seconds: (Date.now() - t0) / 1000, result };
    writeJsonAtomic(join(out, b.file ?? `${b.name}.json`), { machine, result });
    console.log(JSON.stringify({ [b.name]: result }, null, 2));
  }
  writeJsonAtomic(join(out, 'summary.json'), summary);
  console.error(`written: ${out}/summary.json`);
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
