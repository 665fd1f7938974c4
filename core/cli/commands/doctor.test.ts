import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { collectDoctorReport, explainUnavailable, formatDoctorReport, type DoctorReport } from './doctor.js';
import type { NativeBuildStatus } from '../../tensor/native/native-addon.js';

const notFound = (s: string): Error => Object.assign(new Error(`Cannot find package '${s}' imported from /x/backend.js`), { code: 'ERR_MODULE_NOT_FOUND' });
const importer = async (s: string): Promise<unknown> => { throw notFound(s); };
const notBuilt = async () => ({ ok: false, reason: 'native addon not built: /x/build/Release/lensforge_native.node does not exist. To build it: npm run build:native' });
const skipped: NativeBuildStatus = {
  ok: false, action: 'skipped', stage: 'probe', at: '2026-12-01T10:00:00.000Z', log: null,
  reason: 'dnnl.hpp not found in /usr/include/oneapi/dnnl, /usr/local/include/oneapi/dnnl',
};
const versions = () => ({ lensforge: '0.1.0', node: 'v20.20.2', tfjs: '4.22.0' });

describe('lensforge doctor (states injected)', function () {
  this.timeout(60000);
  let previous: string | null = null;
  before(() => { previous = tf.engine().backendName ?? null; });
  after(async () => { await tf.setBackend(previous ?? 'cpu'); });

  it('without the addon: wasm, and why gpu, node and native were not used (the install step\'s reason)', async () => {
    const r = await collectDoctorReport({ env: {}, importer, registerNative: notBuilt, nativeBuild: skipped, versions });
    expect(r.selected).to.deep.equal({ name: 'wasm', kind: 'wasm' });
    expect(r.candidates.map((c) => `${c.kind}:${c.state}`)).to.deep.equal(['gpu:unavailable', 'node:unavailable', 'native:unavailable', 'wasm:selected', 'cpu:available']);
    const text = formatDoctorReport(r);
    const lines = text.split('\n');
    expect(lines[0]).to.equal('backend: wasm (chosen by backend: auto) — WebAssembly with the lensforge conv-gradient kernels (slower fallback)');
    expect(lines[1]).to.equal('why not a faster one:');
    expect(text).to.contain('  gpu    @tensorflow/tfjs-node-gpu is not installed (an optional dependency: its install downloads libtensorflow, so it is skipped without internet access)');
    expect(text).to.contain('  node   @tensorflow/tfjs-node is not installed');
    expect(text).to.contain('  native native addon not built: dnnl.hpp not found in /usr/include/oneapi/dnnl, /usr/local/include/oneapi/dnnl (recorded by the install step / build:native)');
    expect(text).to.contain('to use it: sudo apt-get install -y libdnnl-dev g++ make python3 (Debian/Ubuntu) or brew install onednn (macOS), then npm run build:native');
    expect(text).to.contain('fallbacks:\n  cpu    available');
    expect(text).to.contain('native addon build: not built at 2026-12-01 10:00:00 UTC: dnnl.hpp not found');
    expect(lines[lines.length - 1]).to.equal('versions: lensforge 0.1.0, node v20.20.2, tfjs 4.22.0');
    expect(JSON.parse(JSON.stringify(r)).nativeBuild.reason).to.equal(skipped.reason);
  });

  it('says when no build was attempted (npm ci --ignore-scripts) and when the compile failed, with the log', async () => {
    const none = await collectDoctorReport({ env: {}, importer, registerNative: notBuilt, nativeBuild: null, versions });
    const t = formatDoctorReport(none);
    expect(t).to.contain('  native native addon not built: no build was attempted (was npm ci run with --ignore-scripts?)');
    expect(t).to.contain('(after npm ci --ignore-scripts: npm run build && npm run build:native)');
    expect(t).to.contain('native addon build: never attempted (npm ci builds it; or run npm run build:native)');
    const failed: NativeBuildStatus = { ok: false, action: 'failed', stage: 'compile', reason: 'src/conv.cc:3:10: fatal error: dnnl.hpp: No such file or directory', log: '/x/build/native-build.log' };
    expect(explainUnavailable('native', 'native addon not built: /x does not exist. To build it: …', failed).summary)
      .to.equal('native addon failed to compile: src/conv.cc:3:10: fatal error: dnnl.hpp: No such file or directory (recorded by the install step / build:native); full log: /x/build/native-build.log');
  });

  it('a failing load (missing libdnnl) is reported without the generic build hint; LENSFORGE_BACKEND is named', async () => {
    const broken = async () => ({ ok: false, reason: 'native addon /x.node failed to load: libdnnl.so.2: cannot open shared object file (the oneDNN runtime is missing: apt-get install -y libdnnl2). Rebuild it: npm run build:native' });
    const r = await collectDoctorReport({ env: { LENSFORGE_BACKEND: 'cpu' }, importer, registerNative: broken, nativeBuild: null, versions });
    expect(r.selected?.kind).to.equal('cpu');
    expect(r.override).to.equal('cpu');
    const t = formatDoctorReport(r);
    expect(t.split('\n')[0]).to.equal('backend: cpu (chosen by LENSFORGE_BACKEND=cpu) — pure JavaScript (reference only; far too slow to train)');
    expect(t).to.contain('  native native addon /x.node failed to load: libdnnl.so.2: cannot open shared object file (the oneDNN runtime is missing: apt-get install -y libdnnl2)\n');
    expect(t).to.contain('  wasm   available, not used because LENSFORGE_BACKEND=cpu asked for cpu');
  });

  it('an explicit request that cannot be met: no backend, the error', async () => {
    const r = await collectDoctorReport({ request: 'native', env: {}, importer, registerNative: notBuilt, nativeBuild: skipped, versions });
    expect(r.selected).to.equal(null);
    expect(r.error).to.match(/^backend 'native' is not available: native addon not built/);
    expect(formatDoctorReport(r).split('\n')[0]).to.match(/^backend: none — backend 'native' is not available/);
  });

  it('with the addon built: native, and its build line', () => {
    const r: DoctorReport = {
      request: 'auto', selected: { name: 'native', kind: 'native' }, nativeBuildStatusFile: '/x/native-status.json',
      candidates: [
        { kind: 'gpu', state: 'unavailable', summary: '@tensorflow/tfjs-node-gpu is not installed (…)', fix: 'npm install @tensorflow/tfjs-node-gpu@4.22.0' },
        { kind: 'node', state: 'unavailable', summary: '@tensorflow/tfjs-node is not installed (…)', fix: 'npm install @tensorflow/tfjs-node@4.22.0' },
        { kind: 'native', state: 'selected', summary: 'lensforge oneDNN addon (fast CPU training)' },
        { kind: 'wasm', state: 'available', summary: '' }, { kind: 'cpu', state: 'available', summary: '' },
      ],
      nativeBuild: { ok: true, action: 'built', at: '2026-12-01T10:00:00.000Z', seconds: 37.1, dnnlVersion: '2.6.3', isa: 'avx512_core' },
      threads: 2, simd: null, ...versions(), notes: [],
    };
    expect(formatDoctorReport(r)).to.equal([
      'backend: native (chosen by backend: auto) — lensforge oneDNN addon (fast CPU training)',
      'why not a faster one:',
      '  gpu    @tensorflow/tfjs-node-gpu is not installed (…)',
      '         to use it: npm install @tensorflow/tfjs-node-gpu@4.22.0',
      '  node   @tensorflow/tfjs-node is not installed (…)',
      '         to use it: npm install @tensorflow/tfjs-node@4.22.0',
      'fallbacks:',
      '  wasm   available',
      '  cpu    available',
      'native addon build: built at 2026-12-01 10:00:00 UTC in 37.1 s (oneDNN 2.6.3, avx512_core)',
      'threads: 2',
      'versions: lensforge 0.1.0, node v20.20.2, tfjs 4.22.0',
    ].join('\n'));
  });
});
