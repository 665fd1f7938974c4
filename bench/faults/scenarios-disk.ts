/**
 * Full disk: as root on Linux, a small tmpfs is mounted and filled with a filler file leaving a
 * seeded amount of free space; `run` / `simulate` write inside it and hit ENOSPC at various
 * points. Expected: non-zero exit, an error naming the file and ENOSPC, no `.tmp` left behind;
 * after the filler is removed, `run --resume` / `simulate` completes identically to the reference.
 * Skipped (with the reason) when not root or when mount fails; always unmounted.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { compareDatasets, compareRunDirs, tmpLeft } from './compare.js';
import { errorLine, errorPart, judge, namesSomeFile } from './classify.js';
import { runArgs, simulateArgs, type Ctx } from './fixtures.js';
import { record, runCli } from './process-runner.js';
import type { CaseRecord, Classification } from './types.js';

const SIZE = 12 * 1024 * 1024;

/** Fill the file system with `filler` until ENOSPC, then give back `free` bytes. */
function fill(filler: string, free: number): void {
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(1 << 16, 0x5a);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk, 0, chunk.length);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  }
  ftruncateSync(fd, Math.max(0, written - free));
  closeSync(fd);
}

export async function fullDiskCases(ctx: Ctx): Promise<{ cases: CaseRecord[]; skipped?: string }> {
  if (process.platform !== 'linux') return { cases: [], skipped: `not Linux (${process.platform})` };
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { cases: [], skipped: 'not root (a tmpfs cannot be mounted)' };
  const mnt = join(ctx.root, 'tmpfs');
  mkdirSync(mnt, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE}`, 'tmpfs', mnt], { stdio: 'pipe' });
  } catch (e) {
    return { cases: [], skipped: `mount -t tmpfs failed: ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}` };
  }
  const out: CaseRecord[] = [];
  const unmount = () => { try { execFileSync('umount', [mnt], { stdio: 'pipe' }); } catch { try { execFileSync('umount', ['-l', mnt], { stdio: 'pipe' }); } catch { /* reported by leftovers */ } } };
  ctx.onAbort.push(unmount);
  try {
    const r = ctx.rng.derive('full-disk');
    const blobs = ctx.fixtures.blobs;
    const ref = await ctx.fixtures.ref(blobs);
    const dsRef = await ctx.fixtures.datasetRef(1);
    type Plan = { kind: 'run' | 'simulate'; free: number };
    const plans: Plan[] = ctx.quick
      ? [{ kind: 'run', free: r.int(8, 40) * 1024 }, { kind: 'simulate', free: r.int(100, 600) * 1024 }]
      : [
        { kind: 'run', free: r.int(8, 30) * 1024 }, { kind: 'run', free: r.int(30, 80) * 1024 },
        { kind: 'simulate', free: r.int(4, 60) * 1024 }, { kind: 'simulate', free: r.int(400, 800) * 1024 },
      ];
    for (const [i, p] of plans.entries()) {
      const id = `full-disk-${p.kind}-${i}`;
      const target = join(mnt, id);
      const filler = join(mnt, `filler-${i}`);
      const started = Date.now();
      fill(filler, p.free);
      const args = p.kind === 'run' ? runArgs(blobs, target) : simulateArgs(target, 1);
      const c1 = await runCli(args);
      const leftTmp = tmpLeft(target);
      rmSync(filler, { force: true });
      const c2 = c1.exitCode === 0 ? undefined : await runCli(p.kind === 'run' ? runArgs(blobs, target, ['--resume']) : args);
      const diffs = (c2 ?? c1).exitCode === 0 ? (p.kind === 'run' ? compareRunDirs(ref.dir, target) : compareDatasets(dsRef.dir, target)) : undefined;
      let classification: Classification, reason: string;
      if (c1.exitCode === 0) {
        ({ classification, reason } = judge(0, c1.stderr, [], diffs));
        reason = `no ENOSPC with ${p.free} bytes free; ${reason}`;
      } else if (c2 && c2.exitCode !== 0) {
        ({ classification, reason } = judge(c2.exitCode, c2.stderr, [target], undefined));
        reason = `after freeing space the second attempt failed too: ${reason}`;
      } else if (diffs && diffs.length) {
        classification = 'silently-wrong';
        reason = `after ENOSPC and freeing space, exit 0 but differs: ${diffs.slice(0, 3).join('; ')}`;
      } else {
        const named = namesSomeFile(c1.stderr, [target]) && /ENOSPC|no space/i.test(errorPart(c1.stderr));
        classification = named ? 'clear-error' : 'unclear-error';
        reason = `${named ? 'ENOSPC named with its file' : 'the ENOSPC error does not name the file (or ENOSPC)'}: ${errorLine(c1.stderr)}; resumed identically after freeing space` +
          (leftTmp.length ? `; left ${leftTmp.length} .tmp` : '');
      }
      out.push({
        category: 'full-disk', id, description: `${p.kind} with --out on a ${SIZE >> 20} MB tmpfs holding ${p.free} free bytes; then free the space and ${p.kind === 'run' ? 'run --resume' : 'simulate again'}`,
        commands: c2 ? [record(c1), record(c2)] : [record(c1)], classification, reason, diffs, tmpLeft: [...new Set([...leftTmp, ...tmpLeft(target)])], ms: Date.now() - started,
      });
      ctx.log(`  ${id}: ${classification}`);
      rmSync(target, { recursive: true, force: true });
    }
  } finally {
    unmount();
    ctx.onAbort.splice(ctx.onAbort.indexOf(unmount), 1);
  }
  return { cases: out };
}
