import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchOutput } from '../testing/bench-output-writer.js';
import { readBenchOutput } from './bench-output.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lf-report-'));
const runs = [1, 2].map((seed) => ({ variant: 'a', seed, metrics: { r2: 0.5 + seed / 10 }, timings: { ms: 3 }, commit: 'abcdef0123456789' }));

describe('report: reading a bench output folder', () => {
  it('reads the runs and their stamps as lensforge bench wrote them', () => {
    const dir = join(tmp(), 'b');
    writeBenchOutput(dir, runs);
    const out = readBenchOutput(dir);
    expect(out.name).to.equal('b');
    expect(out.runs.map((r) => [r.variant, r.seed, r.metrics.r2, r.backend, r.commit])).to.deep.equal([['a', 1, 0.6, 'wasm', 'abcdef0123456789'], ['a', 2, 0.7, 'wasm', 'abcdef0123456789']]);
    expect(out.runs[0].configHash).to.match(/^[0-9a-f]{16}$/);
  });

  it('a folder without summary.json: the error names the file and what was expected', () => {
    const dir = join(tmp(), 'empty');
    mkdirSync(dir);
    expect(() => readBenchOutput(dir)).to.throw(`bench folder ${dir}: ${join(dir, 'summary.json')} not found; expected the summary.json that \`lensforge bench\` writes (variants, seeds, metrics, runs). Was the bench run to the end (it writes summary.json after each cell)?`);
    expect(() => readBenchOutput(join(dir, 'nope'))).to.throw(`bench folder ${join(dir, 'nope')}: not found; expected a folder written by \`lensforge bench\` (with summary.json and results.csv)`);
  });

  it('a summary from before the stamps, a summary without runs and a bad JSON file are refused, naming the field', () => {
    const dir = join(tmp(), 'old');
    writeBenchOutput(dir, runs);
    const path = join(dir, 'summary.json');
    const s = JSON.parse(readFileSync(path, 'utf8')) as { runs: Array<Record<string, unknown>> };
    for (const r of s.runs) { delete r.configHash; delete r.backend; delete r.commit; }
    writeFileSync(path, JSON.stringify(s));
    expect(() => readBenchOutput(dir)).to.throw(`${path}: runs[0] (variant "a", seed 1) has no configHash and backend; expected every run stamped with its config hash, backend and commit, as \`lensforge bench\` writes them. An older summary: run \`lensforge bench CONFIG --out ${dir}\` again on the finished folder to rewrite it (finished cells are reused, nothing is retrained)`);
    writeFileSync(path, JSON.stringify({ variants: ['a'], seeds: [1], metrics: ['r2'] }));
    expect(() => readBenchOutput(dir)).to.throw(`${path}: "runs" is missing; expected the list of runs (variant, seed, metrics, configHash, backend, commit)`);
    writeFileSync(path, '{"variants": [');
    expect(() => readBenchOutput(dir)).to.throw(/bench summary .*summary\.json: .*the file ends early/);
  });

  it('results.csv must agree with summary.json (a number edited in one of them is caught)', () => {
    const dir = join(tmp(), 'edited');
    writeBenchOutput(dir, runs);
    const csv = join(dir, 'results.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('0.7', '0.75'));
    expect(() => readBenchOutput(dir)).to.throw(`${csv}: line 3 (variant "a", seed 2), column r2 is "0.75" but ${join(dir, 'summary.json')} has 0.7; expected the two files of one bench output to agree (was one edited by hand?)`);
    rmSync(csv);
    expect(() => readBenchOutput(dir)).to.throw(`${csv} not found; expected the results.csv that \`lensforge bench\` writes beside ${join(dir, 'summary.json')}`);
  });
});
