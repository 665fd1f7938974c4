/**
 * Installing a packed lensforge into a plugin package without the network (the packaging test):
 * `npm pack` of this checkout, a package-lock.json for the plugin that pins exactly the packages
 * `npm ci` installed for lensforge (so `npm install --offline` takes every tarball from the npm
 * cache by its integrity and needs no registry metadata), and the install itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PackResult { tarball: string; size: number; unpackedSize: number; files: string[] }

function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/** `npm pack --ignore-scripts` of `root` (its dist/ must be built) into `dest`, or its dry run. */
export function npmPack(root: string, dest: string, dryRun = false): PackResult {
  const r = npm(['pack', '--ignore-scripts', '--json', ...(dryRun ? ['--dry-run'] : ['--pack-destination', dest])], root);
  if (r.status !== 0) throw new Error(`npm pack failed in ${root} (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename: string; size: number; unpackedSize: number; files: Array<{ path: string }> }>;
  return { tarball: join(dest, info.filename), size: info.size, unpackedSize: info.unpackedSize, files: info.files.map((f) => f.path) };
}

interface LockEntry { dev?: boolean; optional?: boolean; dependencies?: Record<string, string> }

/**
 * Write `pluginDir/package-lock.json` pinning lensforge's installed dependency tree (the entries
 * of `lensforgeRoot/package-lock.json` that are not dev-only and that `npm ci` installed, so
 * optional packages that failed to install here, like tfjs-node, are left out) plus the
 * plugin's devDependencies (and theirs) as lensforge's lock resolves them.
 */
export function writeOfflineLock(pluginDir: string, lensforgeRoot: string): number {
  const lock = JSON.parse(readFileSync(join(lensforgeRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const pkg = JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8')) as { name: string; version: string; devDependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
  const packages: Record<string, unknown> = { '': { name: pkg.name, version: pkg.version, devDependencies: pkg.devDependencies, peerDependencies: pkg.peerDependencies } };
  for (const [k, v] of Object.entries(lock.packages)) {
    if (k && !v.dev && existsSync(join(lensforgeRoot, k))) packages[k] = v;
  }
  const addDev = (name: string): void => {
    const k = `node_modules/${name}`;
    const v = lock.packages[k];
    if (packages[k] || !v) return;
    const { dev: _dev, ...rest } = v;
    void _dev;
    packages[k] = rest;
    for (const d of Object.keys(v.dependencies ?? {})) addDev(d);
  };
  for (const d of Object.keys(pkg.devDependencies ?? {})) addDev(d);
  writeFileSync(join(pluginDir, 'package-lock.json'), JSON.stringify({ name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages }, null, 2));
  return Object.keys(packages).length - 1;
}

/**
 * `npm install --offline --no-audit --no-fund --no-save TARBALL` in `dir` (with the lock above),
 * LENSFORGE_SKIP_NATIVE=1 so lensforge's install step does not compile the addon again. A
 * package missing from the npm cache fails with npm's ENOTCACHED lines quoted.
 */
export function npmInstallOffline(dir: string, tarball: string): { seconds: number; output: string } {
  const t0 = Date.now();
  const r = npm(['install', '--offline', '--no-audit', '--no-fund', '--no-save', tarball], dir, { ...process.env, LENSFORGE_SKIP_NATIVE: '1' });
  if (r.status !== 0) {
    const why = r.stderr.split('\n').filter((l) => /ENOTCACHED|only-if-cached|npm error/.test(l)).slice(0, 6).join(' | ');
    throw new Error(`npm install --offline of ${tarball} in ${dir} failed (exit ${r.status}): ${why || r.stderr.trim().slice(-400)}. ` +
      'The npm cache lacks a package lensforge needs: run `npm ci` in the lensforge checkout (it fills the cache), then run this test again');
  }
  return { seconds: (Date.now() - t0) / 1000, output: r.stdout + r.stderr };
}
