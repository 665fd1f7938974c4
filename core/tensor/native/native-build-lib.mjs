/**
 * Build logic of the optional native addon, shared by the install step (`install-native.mjs`,
 * npm's `install` script: never fails the install) and `npm run build:native` (`build-native.mjs`:
 * verbose, exit status 1 on failure). Plain JavaScript on purpose: npm runs the install step
 * before `prepare` compiles the TypeScript, so nothing here may need dist/.
 *
 * Three parts:
 * - `probeNativeToolchain(env)` looks at the machine (compiler, make, python3, node-gyp,
 *   oneDNN's dnnl.hpp, a previous build);
 * - `decideNativeBuild(facts)` is pure: facts -> { action, reason, message } (tested by message in
 *   native-build-lib.test.ts);
 * - `buildNativeAddon(...)` runs node-gyp with its output in a log file, loads the result once
 *   and writes the status file `build/native-status.json` that `lensforge doctor` reads.
 *
 * Environment: LENSFORGE_SKIP_NATIVE=1 (skip the build), LENSFORGE_DNNL_INCLUDE (colon-separated
 * include directories to search for oneapi/dnnl/dnnl.hpp instead of the default ones),
 * CXX (the C++ compiler, default g++, else c++ or clang++), LENSFORGE_NATIVE_REBUILD=1 (build even
 * when the previous build of the same sources succeeded).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder of binding.gyp and src/ (this file's folder). */
export const NATIVE_DIR = dirname(fileURLToPath(import.meta.url));
/** Build output folder (git-ignored). */
export const BUILD_DIR = join(NATIVE_DIR, 'build');
/** The addon node-gyp produces. */
export const ADDON_PATH = join(BUILD_DIR, 'Release', 'lensforge_native.node');
/** Status of the last build attempt, written by every run of the install step / build:native. */
export const STATUS_PATH = join(BUILD_DIR, 'native-status.json');
/** Full compiler output of the last build. */
export const LOG_PATH = join(BUILD_DIR, 'native-build.log');

/** What to install, on one line (Debian/Ubuntu and macOS). */
export const INSTALL_LINE =
  'sudo apt-get install -y libdnnl-dev g++ make python3 (Debian/Ubuntu) or brew install onednn (macOS), then npm run build:native';

/** Default include directories searched for oneapi/dnnl/dnnl.hpp. */
export const DEFAULT_INCLUDE_DIRS = ['/usr/include', '/usr/local/include', '/opt/homebrew/include'];

const PREFIX = 'lensforge:';

/** True for '1', 'true', 'yes', 'on' (any case). */
export function envFlag(value) {
  return typeof value === 'string' && /^(1|true|yes|on)$/i.test(value.trim());
}

/**
 * The pure decision. `facts` (what probeNativeToolchain returns):
 *   skip: boolean (LENSFORGE_SKIP_NATIVE set), force: boolean (LENSFORGE_NATIVE_REBUILD set),
 *   cxx: { name, path|null }, make: path|null, python: path|null, nodeGyp: path|null,
 *   dnnlHeader: path|null, includeDirs: string[], upToDate: boolean.
 * Returns { action: 'skip' | 'up-to-date' | 'build', reason, message } where `message` is the one
 * line printed by the install step ('' for 'build': the build prints its own result line).
 */
export function decideNativeBuild(facts) {
  const skip = (reason) => ({
    action: 'skip',
    reason,
    message: `${PREFIX} native oneDNN addon not built (${reason}); using the slower wasm backend. To build it: ${INSTALL_LINE}`,
  });
  if (facts.skip) {
    return {
      action: 'skip',
      reason: 'LENSFORGE_SKIP_NATIVE is set',
      message: `${PREFIX} native oneDNN addon skipped (LENSFORGE_SKIP_NATIVE is set); using the wasm backend. To build it later: npm run build:native`,
    };
  }
  if (!facts.cxx || !facts.cxx.path) return skip(`${facts.cxx?.name ?? 'g++'} not found`);
  if (!facts.dnnlHeader) return skip(`dnnl.hpp not found in ${facts.includeDirs.map((d) => join(d, 'oneapi', 'dnnl')).join(', ')}`);
  if (!facts.make) return skip('make not found');
  if (!facts.python) return skip('python3 not found (node-gyp needs it)');
  if (!facts.nodeGyp) return skip('node-gyp not found (it ships with npm)');
  if (facts.upToDate && !facts.force) {
    return { action: 'up-to-date', reason: 'built before from the same sources', message: `${PREFIX} native oneDNN addon up to date (${ADDON_PATH})` };
  }
  return { action: 'build', reason: '', message: '' };
}

/** The one line for a finished build: success, compiler failure or load failure. */
export function buildResultMessage(r) {
  if (r.ok) return `${PREFIX} native oneDNN addon built in ${r.seconds} s (oneDNN ${r.dnnlVersion}, ${r.isa}); backend: auto will use it`;
  if (r.stage === 'compile') {
    return `${PREFIX} native oneDNN addon failed to compile (${r.reason}); using the slower wasm backend. Full log: ${r.log}`;
  }
  return `${PREFIX} native oneDNN addon built but does not load (${r.reason}); using the slower wasm backend. Full log: ${r.log}`;
}

/** Looks `name` up in PATH (or checks it when it is a path). Returns the path or null. */
export function which(name, env = process.env) {
  if (!name) return null;
  if (name.includes('/')) return existsSync(name) ? resolve(name) : null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) return p;
    } catch { /* not there */ }
  }
  return null;
}

/** Include directories to search for oneapi/dnnl/dnnl.hpp. */
export function includeDirs(env = process.env) {
  const override = env.LENSFORGE_DNNL_INCLUDE;
  if (override !== undefined && override.trim() !== '') return override.split(delimiter).filter(Boolean);
  const extra = (env.CPLUS_INCLUDE_PATH ?? '').split(delimiter).filter(Boolean);
  return [...extra, ...DEFAULT_INCLUDE_DIRS];
}

/** node-gyp bundled with the npm that runs us (or $npm_config_node_gyp). */
export function findNodeGyp(env = process.env) {
  const prefix = resolve(dirname(process.execPath), '..');
  const candidates = [
    env.npm_config_node_gyp,
    join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ].filter(Boolean);
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** Hash of what the addon is built from: binding.gyp, src/*, the Node version and ABI. */
export function sourceHash() {
  const h = createHash('sha256');
  h.update(`${process.version} ${process.versions.modules} ${process.arch}\n`);
  h.update(readFileSync(join(NATIVE_DIR, 'binding.gyp')));
  for (const f of readdirSync(join(NATIVE_DIR, 'src')).sort()) {
    h.update(`\n${f}\n`);
    h.update(readFileSync(join(NATIVE_DIR, 'src', f)));
  }
  return h.digest('hex').slice(0, 16);
}

/** The status file written by the last build attempt, or null. */
export function readStatus(path = STATUS_PATH) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function writeStatus(status) {
  mkdirSync(BUILD_DIR, { recursive: true });
  writeFileSync(STATUS_PATH, JSON.stringify({ schema: 1, at: new Date().toISOString(), node: process.version, ...status }, null, 2) + '\n');
}

/** Facts for decideNativeBuild, from the machine and `env`. */
export function probeNativeToolchain(env = process.env) {
  const cxxName = env.CXX && env.CXX.trim() !== '' ? env.CXX.trim().split(/\s+/)[0] : null;
  let cxx;
  if (cxxName) cxx = { name: cxxName, path: which(cxxName, env) };
  else {
    const found = ['g++', 'c++', 'clang++'].map((n) => ({ name: n, path: which(n, env) })).find((c) => c.path);
    cxx = found ?? { name: 'g++', path: null };
  }
  const dirs = includeDirs(env);
  const dnnlHeader = dirs.map((d) => join(d, 'oneapi', 'dnnl', 'dnnl.hpp')).find((p) => existsSync(p)) ?? null;
  const prev = readStatus();
  let hash = null;
  try { hash = sourceHash(); } catch { /* sources missing: build will say so */ }
  const upToDate = !!(prev && prev.ok && hash && prev.sourceHash === hash && existsSync(ADDON_PATH));
  return {
    skip: envFlag(env.LENSFORGE_SKIP_NATIVE),
    force: envFlag(env.LENSFORGE_NATIVE_REBUILD),
    cxx,
    make: which('make', env) ?? which('gmake', env),
    python: which('python3', env) ?? which('python', env),
    nodeGyp: findNodeGyp(env),
    dnnlHeader,
    includeDirs: dirs,
    upToDate,
    sourceHash: hash,
  };
}

/** Records a decision not to build (skip) in the status file. */
export function recordSkip(decision) {
  writeStatus({ ok: false, action: 'skipped', stage: 'probe', reason: decision.reason, message: decision.message, log: null, addon: ADDON_PATH });
}

/** First compiler error line of a build log (for the one-line message). */
export function firstErrorLine(log) {
  const lines = log.split('\n');
  const err = lines.find((l) => /(fatal )?error:/.test(l))
    ?? lines.find((l) => /\berror\b/i.test(l) && !/^gyp (ERR|info)|^npm /.test(l))
    ?? lines.find((l) => /^gyp ERR!/.test(l));
  return (err ?? 'see the log').trim().slice(0, 240);
}

/**
 * Runs node-gyp rebuild (output into LOG_PATH unless `verbose`), then loads the addon once.
 * Writes the status file. Returns { ok, stage?, reason?, seconds, log, dnnlVersion?, isa? }.
 */
export function buildNativeAddon(facts, { verbose = false, env = process.env } = {}) {
  const t0 = Date.now();
  const prefix = resolve(dirname(process.execPath), '..');
  const args = [facts.nodeGyp, 'rebuild', '-C', NATIVE_DIR, `--jobs=${Math.max(1, availableParallelism())}`];
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
  const childEnv = { ...env };
  if (facts.cxx?.path && !env.CXX) childEnv.CXX = facts.cxx.name;
  if (facts.dnnlHeader) {
    const inc = dirname(dirname(dirname(facts.dnnlHeader)));
    if (!['/usr/include', '/usr/local/include'].includes(inc)) {
      childEnv.CPLUS_INCLUDE_PATH = [inc, env.CPLUS_INCLUDE_PATH].filter(Boolean).join(delimiter);
      const lib = join(dirname(inc), 'lib');
      childEnv.LIBRARY_PATH = [lib, env.LIBRARY_PATH].filter(Boolean).join(delimiter);
    }
  }
  const tmpLog = join(tmpdir(), `lensforge-native-build-${process.pid}.log`);
  const r = spawnSync(process.execPath, args, {
    env: childEnv,
    stdio: verbose ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Math.round((Date.now() - t0) / 100) / 10;
  const logText = verbose ? '(output was printed to the terminal)\n' : `${r.stdout ?? ''}${r.stderr ?? ''}`;
  mkdirSync(BUILD_DIR, { recursive: true });
  writeFileSync(tmpLog, `$ ${process.execPath} ${args.join(' ')}\n${logText}`);
  copyFileSync(tmpLog, LOG_PATH);
  rmSync(tmpLog, { force: true });
  const log = verbose ? null : LOG_PATH;
  const base = { addon: ADDON_PATH, log, seconds, sourceHash: facts.sourceHash };
  if (r.error || r.status !== 0 || !existsSync(ADDON_PATH)) {
    const reason = r.error ? `node-gyp did not run: ${r.error.message}` : firstErrorLine(logText);
    const out = { ok: false, stage: 'compile', reason, ...base };
    writeStatus({ ...out, action: 'failed', message: buildResultMessage({ ...out, log: log ?? 'printed above' }) });
    return out;
  }
  try {
    const addon = createRequire(import.meta.url)(ADDON_PATH);
    const info = addon.info();
    const out = { ok: true, dnnlVersion: info.dnnlVersion, isa: info.isa, ...base };
    writeStatus({ ...out, action: 'built', message: buildResultMessage(out) });
    return out;
  } catch (e) {
    const reason = String(e instanceof Error ? e.message : e).split('\n')[0];
    const out = { ok: false, stage: 'load', reason, ...base };
    writeStatus({ ...out, action: 'failed', message: buildResultMessage({ ...out, log: log ?? 'printed above' }) });
    return out;
  }
}
