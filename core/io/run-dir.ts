import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from './atomic-write.js';
import { ioError } from './io-error.js';
import { readJsonFile } from './json-file.js';

/**
 * A run directory:
 *   config.resolved.json  the validated config with seed, versions and git commit
 *   metrics.jsonl         one JSON object per line (per epoch / evaluation)
 *   summary.json          final metrics (written atomically at the end)
 *   checkpoints/<phase>/  resumable state per training phase, atomic
 *   plots/                PNG figures
 */
export class RunDir {
  readonly path: string;

  constructor(path: string) {
    this.path = resolve(path);
    mkdirSync(this.path, { recursive: true });
    mkdirSync(this.plotsDir, { recursive: true });
  }

  /**
   * True when some training phase has a checkpoint to resume from: a latest.json, or a checkpoint
   * folder without one (a lost latest.json falls back to the newest intact checkpoint).
   */
  hasCheckpoints(): boolean {
    const d = this.file('checkpoints');
    if (!existsSync(d)) return false;
    return readdirSync(d, { withFileTypes: true }).some((e) => e.isDirectory() && (existsSync(join(d, e.name, 'latest.json')) ||
      readdirSync(join(d, e.name), { withFileTypes: true }).some((c) => c.isDirectory() && !c.name.startsWith('.'))));
  }

  get plotsDir(): string { return join(this.path, 'plots'); }
  file(...parts: string[]): string { return join(this.path, ...parts); }
  plot(name: string): string { return join(this.plotsDir, name); }

  /** Append one record to metrics.jsonl (a line is written whole or not at all by appendFileSync). */
  record(entry: Record<string, unknown>): void {
    const p = this.file('metrics.jsonl');
    try { appendFileSync(p, JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n'); } catch (e) { throw ioError('appending to', p, e, this.path); }
  }

  /** All records of metrics.jsonl; a torn last line (killed mid-write) is ignored. */
  readRecords(): Record<string, unknown>[] {
    const p = this.file('metrics.jsonl');
    if (!existsSync(p)) return [];
    const out: Record<string, unknown>[] = [];
    for (const line of readFileSync(p, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try { out.push(JSON.parse(line) as Record<string, unknown>); } catch { /* torn line */ }
    }
    return out;
  }

  /** Keep only records that a resumed run will not write again (those before `predicate` fails). */
  truncateRecords(keep: (r: Record<string, unknown>) => boolean): void {
    const kept = this.readRecords().filter(keep);
    writeFileAtomic(this.file('metrics.jsonl'), kept.map((r) => JSON.stringify(r) + '\n').join(''));
  }

  writeJson(name: string, value: unknown): void { writeJsonAtomic(this.file(name), value); }

  readJson<T>(name: string): T | undefined {
    const p = this.file(name);
    return existsSync(p) ? readJsonFile<T>(p, 'run file', { base: this.path }) : undefined;
  }
}
