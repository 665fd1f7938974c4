#!/usr/bin/env node
/**
 * Builds the optional native addon (core/tensor/native/build/Release/lensforge_native.node) with
 * node-gyp, offline: against the headers of the running Node (its install prefix) and the
 * node-gyp bundled with npm, so nothing is downloaded. Needs g++, make, python3 and oneDNN's
 * headers (Debian: apt-get install -y libdnnl-dev).
 * Usage: `npm run build:native` (= `node core/tensor/native/build-native.mjs`).
 * Exit status 0 on success; otherwise 1 with the reason on stderr.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fail = (msg) => { console.error(`build:native: ${msg}`); process.exit(1); };

const dnnlHeaders = ['/usr/include/oneapi/dnnl/dnnl.hpp', '/usr/local/include/oneapi/dnnl/dnnl.hpp'];
if (!dnnlHeaders.some((p) => existsSync(p)) && !process.env.CPLUS_INCLUDE_PATH) {
  fail(`oneDNN headers not found (${dnnlHeaders.join(', ')}). Install them: apt-get install -y libdnnl-dev`);
}

const prefix = resolve(dirname(process.execPath), '..');
const gypCandidates = [
  process.env.npm_config_node_gyp,
  join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
].filter(Boolean);
const gyp = gypCandidates.find((p) => existsSync(p));
if (!gyp) fail(`node-gyp not found (looked in ${gypCandidates.join(', ')}); install npm, which bundles it`);

const args = [gyp, 'rebuild', '-C', here];
if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
if (r.status !== 0) fail(`node-gyp exited with status ${r.status}; see the compiler output above`);
console.error(`build:native: built ${join(here, 'build', 'Release', 'lensforge_native.node')}`);
