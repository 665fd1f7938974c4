import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger } from '../di/logger.js';
import { holdLockInChild } from '../testing/lock-holder-process.js';
import { acquireDirLock, DirLockedError, holdsDirLock, LOCK_FILE, pidAlive, type LockHolder } from './dir-lock.js';

const tmp = () => realpathSync(mkdtempSync(join(tmpdir(), 'lf-lock-')));

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('directory lock (one writer per directory)', function () {
  this.timeout(60000);

  it('writes pid, host, start time and command into lensforge.lock and removes it on release', () => {
    const d = tmp();
    const lock = acquireDirLock(d, { what: 'run directory', command: 'lensforge run x.yaml' });
    const h = JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8')) as LockHolder;
    expect(h.pid).to.equal(process.pid);
    expect(h.host).to.equal(hostname());
    expect(h.command).to.equal('lensforge run x.yaml');
    expect(Date.parse(h.startedAt)).to.be.closeTo(Date.now(), 60000);
    expect(holdsDirLock(d)).to.equal(true);
    lock.release();
    expect(existsSync(join(d, LOCK_FILE))).to.equal(false);
    expect(holdsDirLock(d)).to.equal(false);
    lock.release(); // idempotent
  });

  it('refuses a second writer: the error names the holding process (pid, host, since, command) and the lock file', async () => {
    const d = tmp();
    const holder = await holdLockInChild(d, 'run directory');
    try {
      let err: unknown;
      try { acquireDirLock(d, { what: 'run directory' }); } catch (e) { err = e; }
      expect(err).to.be.instanceOf(DirLockedError);
      const h = JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8')) as LockHolder;
      expect((err as Error).message).to.equal(`run directory ${d} is in use by another process: pid ${holder.pid} on host ${hostname()}, since ${h.startedAt} ` +
        `(hold-dir-lock ${d}); lock file ${join(d, LOCK_FILE)}. Wait for it to finish or stop it.`);
      expect((err as DirLockedError).holder?.pid).to.equal(holder.pid);
    } finally { holder.child.kill('SIGTERM'); }
    // SIGTERM releases the lock: the next writer gets it without a warning
    const { signal } = await holder.exited;
    expect(signal).to.equal('SIGTERM');
    expect(existsSync(join(d, LOCK_FILE)), 'lock released on SIGTERM').to.equal(false);
    const logger = new MemoryLogger();
    acquireDirLock(d, { what: 'run directory', logger }).release();
    expect(logger.lines).to.deep.equal([]);
  });

  it('refuses the same directory twice within one process, but one process may hold a folder and its subfolders', () => {
    const d = tmp();
    const outer = acquireDirLock(d, { what: 'bench folder', command: 'lensforge bench b.yaml' });
    const inner = acquireDirLock(join(d, 'flip', 'seed-1'), { what: 'run directory' });
    expect(() => acquireDirLock(d, { what: 'bench folder' })).to.throw(DirLockedError,
      `bench folder ${d} is already in use by this process (pid ${process.pid}, since ${outer.holder.startedAt}: lensforge bench b.yaml); lock file ${join(d, LOCK_FILE)}. Only one writer per directory.`);
    inner.release();
    outer.release();
  });

  it('releases the lock when its process is stopped with SIGINT (Ctrl-C), which still ends the process', async () => {
    const d = tmp();
    const holder = await holdLockInChild(d, 'bench folder');
    expect(existsSync(join(d, LOCK_FILE))).to.equal(true);
    holder.child.kill('SIGINT');
    expect((await holder.exited).signal).to.equal('SIGINT');
    expect(existsSync(join(d, LOCK_FILE))).to.equal(false);
  });

  it('takes over the stale lock of a process killed with kill -9, with a warning naming it', async () => {
    const d = tmp();
    const holder = await holdLockInChild(d, 'dataset folder');
    holder.child.kill('SIGKILL');
    await holder.exited;
    expect(existsSync(join(d, LOCK_FILE)), 'kill -9 leaves the lock behind').to.equal(true);
    const stale = JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8')) as LockHolder;
    const logger = new MemoryLogger();
    const lock = acquireDirLock(d, { what: 'dataset folder', logger });
    expect(logger.lines).to.deep.equal([`warning: dataset folder ${d}: taking over the stale lock ${join(d, LOCK_FILE)} of pid ${holder.pid} on host ${hostname()} ` +
      `(since ${stale.startedAt}: hold-dir-lock ${d}); that process is no longer running`]);
    expect((JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8')) as LockHolder).pid).to.equal(process.pid);
    lock.release();
  });

  it('treats a recycled pid (same pid, other process start time) as stale', function () {
    if (process.platform !== 'linux') this.skip();   // the start time comes from /proc
    const d = tmp();
    const h: LockHolder = { pid: process.pid, host: hostname(), startedAt: '2020-01-01T00:00:00.000Z', command: 'old run', token: 'x', procStart: '1' };
    writeFileSync(join(d, LOCK_FILE), JSON.stringify(h));
    const logger = new MemoryLogger();
    const lock = acquireDirLock(d, { what: 'run directory', logger });
    expect(logger.lines[0]).to.contain(`taking over the stale lock ${join(d, LOCK_FILE)} of pid ${process.pid}`);
    lock.release();
  });

  it('takes over an empty lock file left by a kill between create and write, once it is old', () => {
    const d = tmp();
    writeFileSync(join(d, LOCK_FILE), '');
    const old = new Date(Date.now() - 60000);
    utimesSync(join(d, LOCK_FILE), old, old);
    const logger = new MemoryLogger();
    acquireDirLock(d, { what: 'run directory', logger }).release();
    expect(logger.lines).to.have.length(1);
    expect(logger.lines[0]).to.match(new RegExp(`^warning: run directory ${d}: taking over the unreadable \\(empty or damaged\\) lock file ${join(d, LOCK_FILE)}, written 6\\d s ago$`));
  });

  it('refuses a lock held on another host (its pid cannot be checked from here)', () => {
    const d = tmp();
    const h: LockHolder = { pid: deadPid(), host: 'elsewhere.example', startedAt: '2026-01-01T00:00:00.000Z', command: 'lensforge run a.yaml', token: 'y' };
    writeFileSync(join(d, LOCK_FILE), JSON.stringify(h));
    expect(() => acquireDirLock(d, { what: 'run directory' })).to.throw(DirLockedError,
      `run directory ${d} is in use by another process: pid ${h.pid} on host elsewhere.example, since 2026-01-01T00:00:00.000Z (lensforge run a.yaml); ` +
      `lock file ${join(d, LOCK_FILE)}. It runs on another host (this is ${hostname()}), so it cannot be checked from here; if it is gone, delete the lock file.`);
  });

  it('release removes only its own lock', () => {
    const d = tmp();
    const lock = acquireDirLock(d, { what: 'run directory' });
    const other: LockHolder = { ...lock.holder, token: 'someone-else' };
    writeFileSync(join(d, LOCK_FILE), JSON.stringify(other));
    lock.release();
    expect(existsSync(join(d, LOCK_FILE))).to.equal(true);
  });

  it('tells live from dead pids', () => {
    expect(pidAlive(process.pid)).to.equal(true);
    expect(pidAlive(deadPid())).to.equal(false);
    expect(pidAlive(0)).to.equal(false);
  });
});
