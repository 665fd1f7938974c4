import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LensforgeError } from '../errors.js';
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

  /**
   * Before a phase resumes at epoch `start`: keep the records of other phases and this phase's
   * records of epochs before `start`, dropping the ones the resumed run writes again. When this
   * phase's kept records are not exactly epochs 0..start-1 (a damaged line, a lost or duplicated
   * record), they are rebuilt from the checkpoint's history (`history[e]` = the record of epoch
   * e), in place of the first of them. Returns what was repaired (for a warning), or undefined.
   */
  restorePhaseRecords(phase: string, start: number, history: ReadonlyArray<Record<string, unknown>>): string | undefined {
    const p = this.file('metrics.jsonl');
    const lines = existsSync(p) ? readFileSync(p, 'utf8').split('\n') : [];
    const damaged: number[] = [];
    const entries: Array<Record<string, unknown> | undefined> = [];
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      try { entries.push(JSON.parse(line) as Record<string, unknown>); } catch { entries.push(undefined); if (i < lines.length - 1 || line.trim()) damaged.push(i + 1); }
    });
    const lastTorn = lines.length > 0 && damaged.at(-1) === lines.length; // a torn last line: killed mid-write
    const mine = (r: Record<string, unknown>) => r.phase === phase;
    const keptEpochs = entries.filter((r): r is Record<string, unknown> => !!r && mine(r) && typeof r.epoch === 'number' && r.epoch < start).map((r) => r.epoch);
    const intact = keptEpochs.length === start && keptEpochs.every((e, i) => e === i);
    const midDamage = damaged.filter((n) => !(lastTorn && n === lines.length));
    const out: Array<Record<string, unknown>> = [];
    let note: string | undefined;
    if (intact && midDamage.length === 0) {
      for (const r of entries) if (r && (!mine(r) || (typeof r.epoch === 'number' && r.epoch < start))) out.push(r);
    } else {
      if (history.length < start) throw new LensforgeError(`${p}: the records of phase "${phase}" are damaged and the checkpoint's history holds only ${history.length} of its ${start} epochs; cannot restore them`);
      const rebuilt = history.slice(0, start).map((h, epoch) => ({ time: new Date().toISOString(), phase, epoch, ...h }));
      let placed = false;
      for (const r of entries) {
        if (r && !mine(r)) { out.push(r); continue; }
        if (!placed) { out.push(...rebuilt); placed = true; }
      }
      if (!placed) out.push(...rebuilt);
      note = `${p}: ${midDamage.length ? `damaged line${midDamage.length === 1 ? '' : 's'} ${midDamage.join(', ')}` : `the records of phase "${phase}" hold epochs [${keptEpochs.join(', ')}]`}; ` +
        `the records of phase "${phase}" epochs 0..${start - 1} were restored from the checkpoint's history` +
        (midDamage.length ? ' (a damaged line of another phase cannot be restored and is dropped)' : '');
    }
    writeFileAtomic(p, out.map((r) => JSON.stringify(r) + '\n').join(''));
    return note;
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
