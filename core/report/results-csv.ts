import { existsSync, readFileSync } from 'node:fs';
import { LensforgeError } from '../errors.js';
import { displayPath, withIo } from '../io/io-error.js';
import type { ReportRun } from './bench-output.js';

/** The cells of one CSV line (double-quoted cells may hold commas and doubled quotes). */
export function csvCells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * Check that a bench's results.csv (`variant,seed,<metric>...,timings.<name>...`) holds the same
 * values as its summary.json: a table edited by hand in one of them is refused, naming both.
 */
export function checkResultsCsv(path: string, runs: ReportRun[], summaryShown: string): void {
  const shown = displayPath(path);
  if (!existsSync(path)) throw new LensforgeError(`${shown} not found; expected the results.csv that \`lensforge bench\` writes beside ${summaryShown}`);
  const lines = withIo('reading', path, () => readFileSync(path, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const head = lines.length ? csvCells(lines[0]) : [];
  if (head[0] !== 'variant' || head[1] !== 'seed') {
    throw new LensforgeError(`${shown}: header is "${lines[0] ?? ''}"; expected it to start with variant,seed (the results.csv of \`lensforge bench\`)`);
  }
  if (lines.length - 1 !== runs.length) {
    throw new LensforgeError(`${shown}: ${lines.length - 1} rows, but ${summaryShown} has ${runs.length} runs; expected one row per run (are they from the same bench?)`);
  }
  lines.slice(1).forEach((line, i) => {
    const cells = csvCells(line);
    const [variant, seed] = cells;
    const run = runs.find((r) => r.variant === variant && String(r.seed) === seed);
    if (!run) throw new LensforgeError(`${shown}: line ${i + 2} (variant "${variant}", seed ${seed}) has no run in ${summaryShown}; expected the same runs in both files`);
    head.slice(2).forEach((col, j) => {
      const cell = cells[j + 2] ?? '';
      const v = col.startsWith('timings.') ? run.timings[col.slice(8)] : run.metrics[col];
      const want = v === undefined || v === null ? '' : String(v);
      // JSON has no NaN/Infinity: summary.json holds null where results.csv says NaN
      const same = cell === want || (v === null && ['NaN', 'Infinity', '-Infinity'].includes(cell));
      if (!same) {
        throw new LensforgeError(`${shown}: line ${i + 2} (variant "${variant}", seed ${seed}), column ${col} is "${cell}" but ${summaryShown} has ${want === '' ? 'no value' : want}; ` +
          'expected the two files of one bench output to agree (was one edited by hand?)');
      }
    });
  });
}
