import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NATIVE_ADDON_ENV_VAR, defaultAddonPath, loadNativeAddon, registerNativeBackend } from './index.js';

describe('native addon loading and fallback (no addon needed)', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'lf-native-')); });
  after(() => { rmSync(dir, { recursive: true, force: true }); });

  it('a missing addon gives ok:false with the path and the build command, and registers nothing', async () => {
    const path = join(dir, 'nowhere', 'lensforge_native.node');
    const r = await registerNativeBackend({ addonPath: path, name: 'native-missing-test' });
    expect(r.ok).to.equal(false);
    expect(r.reason).to.include(path).and.to.include('not built').and.to.include('npm run build:native').and.to.include('libdnnl-dev');
    expect(tf.findBackendFactory('native-missing-test')).to.equal(null);
    expect(tf.getKernelsForBackend('native-missing-test')).to.have.length(0);
  });

  it('a file that is not a loadable addon gives ok:false "failed to load"', () => {
    const path = join(dir, 'broken.node');
    writeFileSync(path, 'not an ELF shared object');
    const r = loadNativeAddon(path);
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.reason).to.match(/failed to load/).and.to.include(path);
  });

  it('a module lacking the kernel functions is reported as a stale build', () => {
    const path = join(dir, 'stale.cjs');
    writeFileSync(path, 'module.exports = { conv2d() {} };');
    const r = loadNativeAddon(path);
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.reason).to.match(/stale \(missing conv2dBackpropInput, .*matmul/);
  });

  it(`${NATIVE_ADDON_ENV_VAR} overrides the default addon path`, () => {
    expect(defaultAddonPath({ [NATIVE_ADDON_ENV_VAR]: '/opt/x/addon.node' })).to.equal('/opt/x/addon.node');
    expect(defaultAddonPath({})).to.match(/core[\\/]tensor[\\/]native[\\/]build[\\/]Release[\\/]lensforge_native\.node$/);
  });

  it('invalid thread counts throw, naming the field and the value', async () => {
    await registerNativeBackend({ threads: 0, addonPath: join(dir, 'x.node') }).then(
      () => expect.fail('should throw'), (e: Error) => expect(e.message).to.equal('threads: expected an integer >= 1, got 0'));
    await registerNativeBackend({ env: { LENSFORGE_NATIVE_THREADS: 'two' }, addonPath: join(dir, 'x.node') }).then(
      () => expect.fail('should throw'),
      (e: Error) => expect(e.message).to.equal('LENSFORGE_NATIVE_THREADS: expected an integer >= 1, got "two"'));
  });
});
