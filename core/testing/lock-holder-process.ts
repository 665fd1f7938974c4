import { spawn, type ChildProcess } from 'node:child_process';

/** A separate process holding a directory lock (dist/core/testing/hold-dir-lock.js), for tests. */
export interface LockHolderProcess { child: ChildProcess; pid: number; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }

/** Start `hold-dir-lock DIR WHAT` and resolve once it holds the lock (rejects with its stderr if it cannot). */
export function holdLockInChild(dir: string, what = 'run directory'): Promise<LockHolderProcess> {
  const child = spawn(process.execPath, ['dist/core/testing/hold-dir-lock.js', dir, what], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  return new Promise((res, rej) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /locked (\d+)/.exec(out);
      if (m) res({ child, pid: Number(m[1]), exited });
    });
    void exited.then(({ code }) => rej(new Error(`hold-dir-lock exited with ${code}: ${err}`)));
  });
}
