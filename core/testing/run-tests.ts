/**
 * Test entry used by `npm test`: runs mocha over the compiled specs listed in `.mocharc.json`
 * and ends with the plain line `N passed, N failed[, N skipped]` that CI reads as the count.
 * Usage: [LENSFORGE_BACKEND=wasm] node dist/core/testing/run-tests.js [--grep PATTERN] [spec files...]
 * (CI: the whole suite on the backend 'auto' picks, then `LENSFORGE_BACKEND=wasm … --grep @backend`).
 */
import Mocha from 'mocha';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BACKEND_ENV_VAR } from '../tensor/backend.js';
import { BACKEND_TAG, testBackend } from './test-backend.js';

interface MochaRc { spec: string[]; timeout?: number; 'enable-source-maps'?: boolean }

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') { re += '(?:.*/)?'; i += glob[i + 2] === '/' ? 2 : 1; }
    else if (c === '*') re += '[^/]*';
    else if ('.+?^${}()|[]\\'.includes(c)) re += '\\' + c;
    else re += c;
  }
  return new RegExp('^' + re + '$');
}

function walk(dir: string, out: string[]): void {
  let entries: string[];
  try { entries = readdirSync(dir); } catch { return; }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out); else out.push(p);
  }
}

async function main(): Promise<void> {
  process.env.LENSFORGE_TEST = '1';
  // Backend-sensitive tests (tagged @backend) run on LENSFORGE_BACKEND, else on what 'auto' picks;
  // selecting it here also makes it the default for tests that do not choose one.
  const sel = await testBackend().catch((e: Error) => { console.error(`tests: ${e.message}`); process.exit(1); });
  console.log(`tests: backend ${sel.name} (${process.env[BACKEND_ENV_VAR] ? `${BACKEND_ENV_VAR}=${process.env[BACKEND_ENV_VAR]}` : 'auto'}); ` +
    `backend-sensitive tests are tagged ${BACKEND_TAG}`);
  const rc = JSON.parse(readFileSync('.mocharc.json', 'utf8')) as MochaRc;
  const args = process.argv.slice(2);
  let grep: string | undefined;
  const explicit: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--grep') grep = args[++i];
    else explicit.push(args[i]);
  }
  let files: string[];
  if (explicit.length) files = explicit.map((f) => resolve(f));
  else {
    const all: string[] = [];
    walk('dist', all);
    const res = rc.spec.map(globToRegExp);
    files = all.filter((f) => res.some((r) => r.test(f.split('\\').join('/')))).sort().map((f) => resolve(f));
  }
  if (files.length === 0) { console.error('no test files found for', rc.spec.join(', ')); process.exit(1); }
  const mocha = new Mocha({ timeout: rc.timeout ?? 60000, reporter: 'spec', grep });
  for (const f of files) mocha.addFile(f);
  await mocha.loadFilesAsync();
  let passed = 0, failed = 0, skipped = 0;
  const runner = mocha.run((failures) => {
    console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
    process.exitCode = failures > 0 || failed > 0 || passed === 0 ? 1 : 0;
  });
  runner.on('pass', () => { passed++; });
  runner.on('fail', () => { failed++; });
  runner.on('pending', () => { skipped++; });
}

main().catch((e) => { console.error(e); console.log('0 passed, 1 failed'); process.exit(1); });
