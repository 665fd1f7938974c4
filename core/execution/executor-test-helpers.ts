/** Helpers shared by the executor tests (local and Slurm): the CLI, the tiny example bench, file trees. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const BIN = 'dist/core/cli/bin.js';
export const EXAMPLE = 'examples/custom-plugin/experiment.yaml';
/** A 2x2 bench (flip / none x seeds 1, 2) of the example that takes about a second per cell. */
export const TINY = ['--set', 'train.epochs=1', '--set', 'train.trainSize=64'];
/** A small dataset: 40 samples in 4 shards. */
export const SIM = ['--set', 'simulate.count=40', '--set', 'simulate.shardSize=10', '--set', 'simulate.plotSamples=4'];

export const tmp = (p = 'lf-exec-') => mkdtempSync(join(tmpdir(), p));

export function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LENSFORGE_DEBUG: '', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

export function cliAsync(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<{ code: number | null; err: string; out: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LENSFORGE_DEBUG: '', ...env } });
  let err = '', out = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  return { child, done: new Promise((res) => child.on('exit', (code) => res({ code, err, out }))) };
}

/** Every file under `dir` (relative paths, sorted), leaving out the names in `skip`. */
export function fileTree(dir: string, skip: string[] = []): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      if (skip.includes(e)) continue;
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p); else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** The manifest without its timestamps (which differ between any two runs). */
export function manifestSansTimes(dir: string): unknown {
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  delete m.createdAt; delete m.updatedAt;
  return m;
}

/** Expect two dataset folders to hold the same files, byte for byte (the manifest up to its timestamps). */
export function sameDataset(a: string, b: string): { files: string[]; differing: string[] } {
  const fa = fileTree(a, ['.lensforge-exec', 'manifest.json']);
  const fb = fileTree(b, ['.lensforge-exec', 'manifest.json']);
  if (JSON.stringify(fa) !== JSON.stringify(fb)) return { files: fa, differing: [`file lists differ: ${fa.join(',')} vs ${fb.join(',')}`] };
  const differing = fa.filter((f) => !readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
  if (JSON.stringify(manifestSansTimes(a)) !== JSON.stringify(manifestSansTimes(b))) differing.push('manifest.json');
  return { files: fa, differing };
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let reference: string | undefined;
/** The 2x2 TINY bench run sequentially in-process, once per test process (shared by the executor tests). */
export function sequentialReference(): string {
  if (reference) return reference;
  const out = join(tmp(), 'seq');
  const r = cli(['bench', EXAMPLE, '--out', out, ...TINY]);
  if (r.code !== 0) throw new Error(`sequential reference bench failed (exit ${r.code}):\n${r.err}`);
  reference = out;
  return out;
}
