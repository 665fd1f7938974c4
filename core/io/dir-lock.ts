import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { LensforgeError } from '../errors.js';
import type { Logger } from '../di/logger.js';

/** Name of the lock file inside a locked directory (run directory, bench folder, dataset folder). */
export const LOCK_FILE = 'lensforge.lock';

/** What a lock file records about the process that holds it. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** The command line of the holder. */
  command: string;
  /** Random id of this acquisition: a release only removes the lock it created. */
  token: string;
  /** Linux: kernel boot id and the process start time (clock ticks after boot), so a recycled pid is not taken for the holder. */
  bootId?: string;
  procStart?: string;
}

/** A second writer: the message names the directory, the holder (pid, host, since, command) and the lock file. */
export class DirLockedError extends LensforgeError {
  constructor(message: string, readonly lockPath: string, readonly holder?: LockHolder) { super(message); }
}

export interface DirLockOptions {
  /** What the directory is, for messages: `run directory`, `bench folder`, `dataset folder`. */
  what: string;
  /** Receives the warning when a stale lock is taken over. */
  logger?: Logger;
  /** Recorded in the lock (default: this process's command line). */
  command?: string;
}

/** A held lock; `release()` is idempotent and removes the file only if it is still this acquisition's. */
export interface DirLock {
  readonly dir: string;
  readonly path: string;
  readonly holder: LockHolder;
  release(): void;
}

const held = new Map<string, DirLock>();

/**
 * Take the single-writer lock of `dir` (created if missing): the file `dir/lensforge.lock` is
 * created with `open(..., 'wx')`, which fails if it exists, and holds this process's pid, host,
 * start time and command. If another live process holds it, a DirLockedError names that process
 * and the lock file. A lock left by a process that is gone (pid not running on this host, or
 * recycled by another process) is taken over with a warning. Locks of different directories
 * are independent, so one process may hold a bench folder's lock and its cells' locks at once;
 * the same directory twice is refused, also within one process. Held locks are released on
 * `release()`, on process exit and on SIGINT/SIGTERM; a kill -9 leaves a stale lock that the
 * next start takes over.
 */
export function acquireDirLock(dir: string, opts: DirLockOptions): DirLock {
  mkdirSync(dir, { recursive: true });
  const real = realpathSync(resolve(dir));
  const path = join(real, LOCK_FILE);
  const mine = held.get(path);
  if (mine) {
    throw new DirLockedError(`${opts.what} ${real} is already in use by this process (pid ${mine.holder.pid}, since ${mine.holder.startedAt}: ${mine.holder.command}); ` +
      `lock file ${path}. Only one writer per directory.`, path, mine.holder);
  }
  const holder: LockHolder = {
    pid: process.pid, host: hostname(), startedAt: new Date().toISOString(),
    command: opts.command ?? process.argv.slice(1).join(' '), token: randomBytes(8).toString('hex'),
    ...procIdentity(process.pid),
  };
  for (let attempt = 0; attempt < 50; attempt++) {
    if (tryCreate(path, holder)) {
      const lock: DirLock = { dir: real, path, holder, release: () => release(lock) };
      held.set(path, lock);
      installHandlers();
      return lock;
    }
    const other = readHolder(path);
    if (other === 'missing') continue; // released between our open and our read
    if (other === 'unreadable') {
      // empty or torn: either being written this instant, or left by a kill between create and write
      if (ageMs(path) < 5000) { sleepMs(20); continue; }
      opts.logger?.warn(`${opts.what} ${real}: taking over the unreadable (empty or damaged) lock file ${path}, written ${Math.round(ageMs(path) / 1000)} s ago`);
      takeOver(path, undefined);
      continue;
    }
    const state = holderState(other);
    if (state === 'alive' || state === 'other-host') {
      const otherHost = state === 'other-host'
        ? ` It runs on another host (this is ${hostname()}), so it cannot be checked from here; if it is gone, delete the lock file.`
        : ' Wait for it to finish or stop it.';
      throw new DirLockedError(`${opts.what} ${real} is in use by another process: pid ${other.pid} on host ${other.host}, since ${other.startedAt} ` +
        `(${other.command}); lock file ${path}.${otherHost}`, path, other);
    }
    opts.logger?.warn(`${opts.what} ${real}: taking over the stale lock ${path} of pid ${other.pid} on host ${other.host} ` +
      `(since ${other.startedAt}: ${other.command}); that process is no longer running`);
    takeOver(path, other.token);
  }
  throw new DirLockedError(`${opts.what} ${real}: could not take the lock ${path} (it kept changing hands)`, path);
}

/** Run `fn` holding the lock of `dir`; released when it settles. */
export async function withDirLock<T>(dir: string, opts: DirLockOptions, fn: (lock: DirLock) => Promise<T> | T): Promise<T> {
  const lock = acquireDirLock(dir, opts);
  try { return await fn(lock); } finally { lock.release(); }
}

/** True while this process holds the lock of `dir`. */
export function holdsDirLock(dir: string): boolean {
  try { return held.has(join(realpathSync(resolve(dir)), LOCK_FILE)); } catch { return false; }
}

/**
 * Whether a process recorded in a lock or a temp file name is still running on this host:
 * `process.kill(pid, 0)` throws ESRCH for a pid no process has (EPERM: alive, someone else's);
 * on Linux a zombie (killed, not yet reaped by its parent) counts as gone.
 */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try { process.kill(pid, 0); } catch (e) { return (e as NodeJS.ErrnoException).code !== 'ESRCH'; }
  return procStat(pid)?.[0] !== 'Z';
}

/** Linux: the fields of /proc/<pid>/stat after the command name (state first), or undefined. */
function procStat(pid: number): string[] | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch { return undefined; }
}

function holderState(h: LockHolder): 'alive' | 'dead' | 'other-host' {
  if (h.host !== hostname()) return 'other-host';
  const me = procIdentity(process.pid);
  if (h.bootId && me.bootId && h.bootId !== me.bootId) return 'dead';             // rebooted since
  if (h.pid === process.pid) return h.procStart && me.procStart && h.procStart !== me.procStart ? 'dead' : 'alive';
  if (!pidAlive(h.pid)) return 'dead';
  const now = procIdentity(h.pid).procStart;
  if (h.procStart && now && now !== h.procStart) return 'dead';                      // pid recycled
  return 'alive';
}

function tryCreate(path: string, holder: LockHolder): boolean {
  let fd: number;
  try { fd = openSync(path, 'wx'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new LensforgeError(`creating the lock file ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    writeSync(fd, JSON.stringify(holder, null, 2) + '\n');
    fsyncSync(fd);
  } finally { closeSync(fd); }
  return true;
}

function readHolder(path: string): LockHolder | 'missing' | 'unreadable' {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new LensforgeError(`reading the lock file ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    if (h && typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.token === 'string') return h;
  } catch { /* below */ }
  return 'unreadable';
}

/**
 * Remove a stale lock, guarded by `<lock>.takeover` (created with 'wx') so that two processes
 * taking over the same stale lock cannot remove each other's fresh lock. `token` is the stale
 * holder's (undefined: an unreadable file); the lock is removed only if it is still that one.
 */
function takeOver(path: string, token: string | undefined): void {
  const guard = `${path}.takeover`;
  for (let i = 0; i < 250; i++) {
    if (tryCreate(guard, { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command: 'takeover', token: '' })) {
      try {
        const cur = readHolder(path);
        if (cur !== 'missing' && (cur === 'unreadable' ? token === undefined : cur.token === token)) unlinkSync(path);
      } finally { try { unlinkSync(guard); } catch { /* gone */ } }
      return;
    }
    const g = readHolder(guard);
    if (g === 'missing') continue;
    if (g === 'unreadable' ? ageMs(guard) > 5000 : !pidAlive(g.pid) || ageMs(guard) > 30000) {
      try { unlinkSync(guard); } catch { /* gone */ }
      continue;
    }
    sleepMs(20);
  }
}

function release(lock: DirLock): void {
  if (held.get(lock.path) !== lock) return;
  held.delete(lock.path);
  try {
    const cur = readHolder(lock.path);
    if (cur !== 'missing' && cur !== 'unreadable' && cur.token === lock.holder.token) unlinkSync(lock.path);
  } catch { /* a lock we cannot read or remove any more is not ours to fix */ }
  if (held.size === 0) removeHandlers();
}

function releaseAll(): void { for (const l of [...held.values()]) l.release(); }

function onSignal(sig: NodeJS.Signals): void {
  releaseAll();
  // With no other listener Node would have exited on this signal: do so, with the signal's status.
  if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
}

let installed = false;
function installHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', releaseAll);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
function removeHandlers(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', releaseAll);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

function procIdentity(pid: number): { bootId?: string; procStart?: string } {
  if (process.platform !== 'linux') return {};
  let bootId: string | undefined;
  try { bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(); } catch { /* none */ }
  const procStart = procStat(pid)?.[19];   // field 22 of stat: start time in clock ticks after boot
  return { ...(bootId ? { bootId } : {}), ...(procStart ? { procStart } : {}) };
}

function ageMs(path: string): number {
  try { return Date.now() - statSync(path).mtimeMs; } catch { return 0; }
}

function sleepMs(ms: number): void { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }

/** Exposed for tests: whether a lock file exists in `dir`. */
export function hasLockFile(dir: string): boolean { return existsSync(join(resolve(dir), LOCK_FILE)); }
