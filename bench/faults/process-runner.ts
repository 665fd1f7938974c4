import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandRecord } from './types.js';

/** Repository root (this file is dist/bench/faults/process-runner.js once compiled). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLI = join(REPO, 'dist', 'core', 'cli', 'bin.js');

/** When to send SIGKILL: after the n-th output line (+ delay), when the nth file matching a pattern appears, or after a delay. */
export type KillTrigger =
  | { kind: 'line'; n: number; delayMs: number }
  | { kind: 'file'; dir: string; pattern: RegExp; nth: number; delayMs: number }
  | { kind: 'delay'; ms: number };

export function describeTrigger(t: KillTrigger): string {
  if (t.kind === 'line') return `kill -9 after output line ${t.n} + ${t.delayMs} ms`;
  if (t.kind === 'file') return `kill -9 when the ${t.nth}. file matching ${t.pattern} appears + ${t.delayMs} ms`;
  return `kill -9 after ${t.ms} ms`;
}

export interface CliResult extends CommandRecord { stdout: string; stderr: string; startedAt: number; killedAt?: number; pid?: number }

export interface CliHandle {
  pid: number | undefined;
  done: Promise<CliResult>;
  /** Resolves true once the process printed n lines, false if it exited first or timed out. */
  waitForLines(n: number, timeoutMs: number): Promise<boolean>;
}

/** Every path under dir (relative, '/'-separated), files and folders; tolerant of files vanishing meanwhile. */
export function listTree(dir: string, base = ''): string[] {
  let ents;
  try { ents = readdirSync(join(dir, base), { withFileTypes: true }); } catch { return []; }
  const out: string[] = [];
  for (const e of ents) {
    const rel = base ? `${base}/${e.name}` : e.name;
    out.push(rel);
    if (e.isDirectory()) out.push(...listTree(dir, rel));
  }
  return out;
}

const live = new Set<import('node:child_process').ChildProcess>();
/** SIGKILL every CLI process this benchmark started that is still running (on abort). */
export function killLiveChildren(): void { for (const c of live) { try { c.kill('SIGKILL'); } catch { /* gone */ } } }

const tail = (s: string, n = 1500) => (s.length > n ? '…' + s.slice(-n) : s);

/** Start `node dist/core/cli/bin.js ARGS` with an optional kill trigger and a timeout. */
export function startCli(args: string[], o: { trigger?: KillTrigger; timeoutMs?: number; env?: Record<string, string> } = {}): CliHandle {
  const argv = [CLI, ...args];
  const startedAt = Date.now();
  const child = spawn(process.execPath, argv, {
    cwd: REPO,
    env: { ...process.env, LENSFORGE_NATIVE_THREADS: '1', FORCE_COLOR: '0', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let stdout = '', stderr = '', lines = 0, exited = false;
  let killedAt: number | undefined, killNote: string | undefined, timedOut = false;
  const waiters: Array<{ n: number; res: (b: boolean) => void }> = [];
  const kill = (note: string) => {
    if (exited || killedAt !== undefined) return;
    killedAt = Date.now();
    killNote = note;
    try { child.kill('SIGKILL'); } catch { /* gone */ }
  };
  const t = o.trigger;
  let lineTriggered = false;
  const onData = (which: 'out' | 'err') => (b: Buffer) => {
    const s = b.toString('utf8');
    if (which === 'out') stdout += s; else stderr += s;
    for (const ch of s) if (ch === '\n') lines++;
    for (const w of waiters.splice(0)) { if (lines >= w.n) w.res(true); else waiters.push(w); }
    if (t?.kind === 'line' && !lineTriggered && lines >= t.n) {
      lineTriggered = true;
      const note = `after line ${lines}: ${JSON.stringify((stdout + stderr).trimEnd().split('\n').pop()?.slice(0, 120))}`;
      if (t.delayMs > 0) setTimeout(() => kill(note + ` + ${t.delayMs} ms`), t.delayMs); else kill(note);
    }
  };
  child.stdout.on('data', onData('out'));
  child.stderr.on('data', onData('err'));
  let poll: NodeJS.Timeout | undefined;
  if (t?.kind === 'file') {
    const seen = new Set<string>();
    poll = setInterval(() => {
      for (const p of listTree(t.dir)) if (t.pattern.test(p)) seen.add(p);
      if (seen.size >= t.nth) {
        clearInterval(poll);
        const note = `when ${[...seen].pop()} appeared (${seen.size} matching)`;
        if (t.delayMs > 0) setTimeout(() => kill(note + ` + ${t.delayMs} ms`), t.delayMs); else kill(note);
      }
    }, 2);
  }
  if (t?.kind === 'delay') setTimeout(() => kill(`after ${t.ms} ms`), t.ms);
  const timer = setTimeout(() => { timedOut = true; kill('timeout'); }, o.timeoutMs ?? 180_000);
  const done = new Promise<CliResult>((res) => {
    child.on('close', (code, signal) => {
      exited = true;
      live.delete(child);
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      for (const w of waiters.splice(0)) w.res(false);
      res({
        argv: ['node', ...argv.map((a) => a.replace(REPO + '/', ''))],
        exitCode: code, signal: signal ?? null, killedByHarness: killedAt !== undefined && !timedOut, killNote, timedOut,
        ms: Date.now() - startedAt, stderrTail: tail(stderr), stdout, stderr, startedAt, killedAt, pid: child.pid,
      });
    });
  });
  return {
    pid: child.pid, done,
    waitForLines: (n, timeoutMs) => new Promise<boolean>((res) => {
      if (lines >= n) return res(true);
      if (exited) return res(false);
      const w = { n, res };
      waiters.push(w);
      setTimeout(() => { const i = waiters.indexOf(w); if (i >= 0) { waiters.splice(i, 1); res(false); } }, timeoutMs);
    }),
  };
}

export function runCli(args: string[], o: { trigger?: KillTrigger; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<CliResult> {
  return startCli(args, o).done;
}

/** The part of a result kept in a case record. */
export function record(r: CliResult): CommandRecord {
  const { argv, exitCode, signal, killedByHarness, killNote, timedOut, ms, stderrTail } = r;
  return { argv, exitCode, signal, killedByHarness, killNote, timedOut, ms, stderrTail };
}
