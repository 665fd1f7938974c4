import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_ENV_VAR, backendInfo, installHint, selectBackend } from './backend.js';
import { withBackend } from './with-backend.js';

/** Import errors as Node 20 produces them (notes/backend.md §1). */
function notFound(pkg: string): Error {
  return Object.assign(new Error(`Cannot find package '${pkg}' imported from /work/main/dist/core/tensor/backend.js\nDid you mean to import …?`), { code: 'ERR_MODULE_NOT_FOUND' });
}
const noBinding = (): Error => new Error('The Node.js native addon module (tfjs_binding.node) can not be found at path: /x/lib/napi-v8/tfjs_binding.node. \nPlease run command \'npm rebuild @tensorflow/tfjs-node build-addon-from-source\' to rebuild the native addon module.');

describe('core/tensor selectBackend / backendInfo', () => {
  it('auto falls back to wasm when both native packages throw (MODULE_NOT_FOUND and a code-less Error)', async () => {
    await withBackend('cpu', async () => {
      const asked: string[] = [];
      const logged: string[] = [];
      const sel = await selectBackend('auto', {
        env: {},
        log: (m) => logged.push(m),
        registerNative: async () => ({ ok: false, reason: 'native addon not built' }),
        importer: async (s) => {
          asked.push(s);
          throw s.endsWith('-gpu') ? notFound(s) : noBinding();
        },
      });
      expect(asked).to.deep.equal(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
      expect(sel).to.deep.include({ name: 'wasm', kind: 'wasm' });
      expect(sel.package).to.equal(undefined);
      expect(tf.getBackend()).to.equal('wasm');
      expect(sel.notes).to.have.length(3);
      expect(sel.notes[2]).to.equal('native: native addon not built');
      expect(sel.notes[0]).to.equal("gpu: @tensorflow/tfjs-node-gpu could not be loaded: Cannot find package '@tensorflow/tfjs-node-gpu' imported from /work/main/dist/core/tensor/backend.js");
      expect(sel.notes[1]).to.match(/^node: @tensorflow\/tfjs-node could not be loaded: The Node.js native addon module \(tfjs_binding.node\) can not be found at path: .*tfjs_binding.node.$/);
      expect(logged.slice(0, 3)).to.deep.equal(sel.notes);
      expect(logged[3]).to.equal('tfjs backend: wasm (wasm)');
    });
  });

  it('an explicit gpu request that cannot load throws why and what to install, and keeps the backend', async () => {
    await withBackend('cpu', async () => {
      let err: Error | undefined;
      try {
        await selectBackend('gpu', { env: {}, importer: async (s) => { throw notFound(s); } });
      } catch (e) {
        err = e as Error;
      }
      expect(err?.message).to.equal(
        "backend 'gpu' is not available: @tensorflow/tfjs-node-gpu could not be loaded: Cannot find package '@tensorflow/tfjs-node-gpu' " +
        'imported from /work/main/dist/core/tensor/backend.js. To use it: npm install @tensorflow/tfjs-node-gpu@4.22.0 ' +
        '(needs internet access to download libtensorflow, and CUDA 11.2/cuDNN 8.1)');
      expect(tf.getBackend()).to.equal('cpu');
      expect(installHint('node')).to.equal('npm install @tensorflow/tfjs-node@4.22.0 (needs internet access to download libtensorflow)');
    });
  });

  it('uses a native package that registers the tensorflow backend, and explains one that does not', async () => {
    await withBackend('cpu', async () => {
      const CpuBackend = tf.findBackend('cpu').constructor as new () => tf.KernelBackend;
      const silent = await selectBackend('node', { env: {}, importer: async () => ({}) }).catch((e: Error) => e.message);
      expect(silent).to.match(/^backend 'node' is not available: @tensorflow\/tfjs-node loaded but registered no 'tensorflow' backend .*pin every @tensorflow\/\* package to exactly 4\.22\.0/);
      const warn = console.warn;
      console.warn = () => {}; // tfjs logs the failed initialisation
      try {
        const broken = await selectBackend('node', {
          env: {}, importer: async () => { tf.registerBackend('tensorflow', () => { throw new Error('libtensorflow.so.2: cannot open shared object file'); }, 3); },
        }).catch((e: Error) => e.message);
        expect(broken).to.equal("backend 'node' is not available: @tensorflow/tfjs-node: tf.setBackend('tensorflow') failed to initialise it. " +
          'To use it: npm install @tensorflow/tfjs-node@4.22.0 (needs internet access to download libtensorflow)');
        expect(tf.getBackend()).to.equal('cpu'); // restored
      } finally {
        console.warn = warn;
        tf.removeBackend('tensorflow');
      }
      try {
        const sel = await selectBackend('auto', {
          env: {},
          importer: async () => { tf.registerBackend('tensorflow', () => new CpuBackend(), 3); },
        });
        expect(sel).to.deep.equal({ name: 'tensorflow', kind: 'gpu', package: '@tensorflow/tfjs-node-gpu', notes: [] });
        expect(tf.getBackend()).to.equal('tensorflow');
        expect(backendInfo().threads).to.be.at.least(1);
      } finally {
        await tf.setBackend('cpu');
        tf.removeBackend('tensorflow');
      }
    });
  });

  it(`${BACKEND_ENV_VAR} overrides the request; bad values name the field`, async () => {
    await withBackend('wasm', async () => {
      const asked: string[] = [];
      const sel = await selectBackend('auto', { env: { [BACKEND_ENV_VAR]: 'CPU' }, importer: async (s) => { asked.push(s); } });
      expect(sel).to.deep.equal({ name: 'cpu', kind: 'cpu', notes: [`${BACKEND_ENV_VAR}=cpu overrides the requested backend 'auto'`] });
      expect(asked).to.deep.equal([]);
      expect(tf.getBackend()).to.equal('cpu');
    });
    let msg = await selectBackend('auto', { env: { [BACKEND_ENV_VAR]: 'tpu' } }).then(() => '', (e: Error) => e.message);
    expect(msg).to.equal(`${BACKEND_ENV_VAR}: expected one of auto, gpu, node, native, wasm, cpu, got "tpu"`);
    msg = await selectBackend('webgl' as 'auto', { env: {} }).then(() => '', (e: Error) => e.message);
    expect(msg).to.equal('backend: expected one of auto, gpu, node, native, wasm, cpu, got "webgl"');
  });

  it('with the real importer picks a working backend here and backendInfo describes it', async () => {
    await withBackend('cpu', async () => {
      expect(backendInfo()).to.deep.equal({ backend: 'cpu', threads: 1, simd: null, versions: { node: process.versions.node, tfjs: '4.22.0' } });
      const sel = await selectBackend('auto', { env: {} });
      expect(['tensorflow', 'native', 'wasm']).to.include(sel.name);
      const info = backendInfo();
      expect(info.backend).to.equal(sel.name);
      if (sel.name === 'wasm') {
        // tfjs-node(-gpu) are optionalDependencies that cannot be installed offline.
        expect(sel.notes.map((n) => n.split(':')[0])).to.deep.equal(['gpu', 'node', 'native']);
        expect(info.threads).to.equal(1); // wasm multi-threading is disabled in Node
        expect(info.simd).to.be.a('boolean');
        expect(tf.add(tf.ones([2]), 1).arraySync()).to.deep.equal([2, 2]);
      }
    });
  });
});
