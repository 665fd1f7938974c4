import { expect } from 'chai';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nativeSourceDir } from './native-addon.js';

/** The parts of native-build-lib.mjs (plain JS, run by npm before tsc) that are tested here. */
interface Facts {
  skip: boolean; force: boolean; cxx: { name: string; path: string | null }; make: string | null; python: string | null;
  nodeGyp: string | null; dnnlHeader: string | null; includeDirs: string[]; upToDate: boolean;
}
interface BuildLib {
  decideNativeBuild(f: Facts): { action: 'skip' | 'up-to-date' | 'build'; reason: string; message: string };
  buildResultMessage(r: Record<string, unknown>): string;
  firstErrorLine(log: string): string;
  probeNativeToolchain(env: Record<string, string | undefined>): Facts;
  INSTALL_LINE: string;
}

const OK: Facts = {
  skip: false, force: false, cxx: { name: 'g++', path: '/usr/bin/g++' }, make: '/usr/bin/make', python: '/usr/bin/python3',
  nodeGyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js', dnnlHeader: '/usr/include/oneapi/dnnl/dnnl.hpp',
  includeDirs: ['/usr/include', '/usr/local/include'], upToDate: false,
};
const INSTALL = 'To build it: sudo apt-get install -y libdnnl-dev g++ make python3 (Debian/Ubuntu) or brew install onednn (macOS), then npm run build:native';

describe('native addon install step: decision and messages', () => {
  let lib: BuildLib;
  before(async () => { lib = await import(pathToFileURL(join(nativeSourceDir(), 'native-build-lib.mjs')).href) as BuildLib; });

  it('builds when compiler, headers, make, python3 and node-gyp are present', () => {
    expect(lib.decideNativeBuild(OK)).to.deep.equal({ action: 'build', reason: '', message: '' });
  });

  it('skips with one line naming the missing piece and the install lines', () => {
    const noHeaders = lib.decideNativeBuild({ ...OK, dnnlHeader: null });
    expect(noHeaders.action).to.equal('skip');
    expect(noHeaders.message).to.equal('lensforge: native oneDNN addon not built (dnnl.hpp not found in /usr/include/oneapi/dnnl, ' +
      `/usr/local/include/oneapi/dnnl); using the slower wasm backend. ${INSTALL}`);
    expect(noHeaders.message).not.to.contain('\n');
    expect(lib.decideNativeBuild({ ...OK, cxx: { name: 'g++', path: null } }).message)
      .to.equal(`lensforge: native oneDNN addon not built (g++ not found); using the slower wasm backend. ${INSTALL}`);
    // the compiler is checked first: with nothing installed the line names g++
    expect(lib.decideNativeBuild({ ...OK, cxx: { name: 'g++', path: null }, dnnlHeader: null, make: null }).reason).to.equal('g++ not found');
    expect(lib.decideNativeBuild({ ...OK, make: null }).reason).to.equal('make not found');
    expect(lib.decideNativeBuild({ ...OK, python: null }).reason).to.equal('python3 not found (node-gyp needs it)');
    expect(lib.decideNativeBuild({ ...OK, nodeGyp: null }).reason).to.equal('node-gyp not found (it ships with npm)');
  });

  it('LENSFORGE_SKIP_NATIVE skips before probing anything; an up-to-date build is kept unless forced', () => {
    expect(lib.decideNativeBuild({ ...OK, skip: true, cxx: { name: 'g++', path: null } }).message)
      .to.equal('lensforge: native oneDNN addon skipped (LENSFORGE_SKIP_NATIVE is set); using the wasm backend. To build it later: npm run build:native');
    expect(lib.decideNativeBuild({ ...OK, upToDate: true }).action).to.equal('up-to-date');
    expect(lib.decideNativeBuild({ ...OK, upToDate: true, force: true }).action).to.equal('build');
  });

  it('reads the environment: LENSFORGE_SKIP_NATIVE, LENSFORGE_DNNL_INCLUDE, CXX', () => {
    const f = lib.probeNativeToolchain({ PATH: '/nonexistent-bin', LENSFORGE_SKIP_NATIVE: '1', LENSFORGE_DNNL_INCLUDE: '/nonexistent-a:/nonexistent-b', CXX: 'my-g++' });
    expect(f.skip).to.equal(true);
    expect(f.includeDirs).to.deep.equal(['/nonexistent-a', '/nonexistent-b']);
    expect(f.dnnlHeader).to.equal(null);
    expect(f.cxx).to.deep.equal({ name: 'my-g++', path: null });
    expect(f.make).to.equal(null);
    expect(lib.decideNativeBuild({ ...f, skip: false }).reason).to.equal('my-g++ not found');
  });

  it('a finished build: one line, with the first compiler error and the log path on failure', () => {
    expect(lib.buildResultMessage({ ok: true, seconds: 37.1, dnnlVersion: '2.6.3', isa: 'avx512_core' }))
      .to.equal('lensforge: native oneDNN addon built in 37.1 s (oneDNN 2.6.3, avx512_core); backend: auto will use it');
    const log = ['gyp info spawn make', '  CXX(target) Release/obj.target/lensforge_native/src/conv.o',
      '../src/conv.cc:12:5: error: \'foo\' was not declared in this scope', 'make: *** [conv.o] Error 1', 'gyp ERR! not ok'].join('\n');
    const reason = lib.firstErrorLine(log);
    expect(reason).to.equal('../src/conv.cc:12:5: error: \'foo\' was not declared in this scope');
    expect(lib.buildResultMessage({ ok: false, stage: 'compile', reason, log: '/x/build/native-build.log' }))
      .to.equal('lensforge: native oneDNN addon failed to compile (../src/conv.cc:12:5: error: \'foo\' was not declared in this scope); ' +
        'using the slower wasm backend. Full log: /x/build/native-build.log');
    expect(lib.buildResultMessage({ ok: false, stage: 'load', reason: 'libdnnl.so.2: cannot open shared object file', log: '/x/l.log' }))
      .to.equal('lensforge: native oneDNN addon built but does not load (libdnnl.so.2: cannot open shared object file); using the slower wasm backend. Full log: /x/l.log');
  });
});
