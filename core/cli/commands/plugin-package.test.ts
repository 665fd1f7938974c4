import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { npmInstallOffline, npmPack, writeOfflineLock } from '../../testing/offline-install.js';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const REPO = resolve(DIST, '..');
const BIN = join(DIST, 'core', 'cli', 'bin.js');
const ADDON = join(REPO, 'core', 'tensor', 'native', 'build', 'Release', 'lensforge_native.node');

/**
 * The whole third-party path, offline: npm pack this checkout, `lensforge init plugin`, npm
 * install the tarball into the plugin package from the npm cache, `npm test` the plugin (its own
 * tsc, then its node:test test), and `lensforge run` its experiment with the plugin named by path
 * and by package name. Slow (an npm install of ~170 packages): tagged @slow.
 */
describe('plugin package against a packed lensforge @slow', function () {
  this.timeout(240000);

  it('installs offline with one tfjs, builds with its own tsc, passes its test and runs by path and by package name', () => {
    const t = mkdtempSync(join(tmpdir(), 'lf-pack-'));
    const packed = npmPack(REPO, t);
    expect(packed.size).to.be.below(1.5e6);
    const dir = join(t, 'demo');
    const init = spawnSync(process.execPath, [BIN, 'init', 'plugin', 'demo', '--dir', dir], { encoding: 'utf8' });
    expect(init.status, init.stderr).to.equal(0);
    writeOfflineLock(dir, REPO);
    const install = npmInstallOffline(dir, packed.tarball);
    const lf = join(dir, 'node_modules', 'lensforge');
    expect(lstatSync(lf).isSymbolicLink(), 'an installed copy, not a link to the checkout').to.equal(false);
    expect(existsSync(join(lf, 'dist', 'core', 'index.js'))).to.equal(true);
    expect(install.output).to.not.match(/native oneDNN addon built/);
    // one tfjs, one tsyringe: nothing nested under lensforge
    expect(existsSync(join(lf, 'node_modules'))).to.equal(false);

    const sh = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, LENSFORGE_DEBUG: '', ...env } });
    // npm test = its own tsc (node_modules/.bin/tsc), then node --test on the compiled test
    const own = sh('npm', ['test']);
    expect(own.status, own.stdout + own.stderr).to.equal(0);
    expect(existsSync(join(dir, 'dist', 'plugin.js'))).to.equal(true);
    expect(own.stdout).to.match(/# pass 2\n/);

    // the addon of this checkout is reused when there is one (the packed install skipped its build)
    const env = existsSync(ADDON) ? { LENSFORGE_NATIVE_ADDON: ADDON } : {};
    const lensforge = join(dir, 'node_modules', '.bin', 'lensforge');
    const byPath = sh(lensforge, ['run', 'experiment.yaml', '--out', 'runs/by-path'], env);
    expect(byPath.status, byPath.stderr).to.equal(0);
    const yaml = readFileSync(join(dir, 'experiment.yaml'), 'utf8');
    writeFileSync(join(dir, 'by-name.yaml'), yaml.replace(/^plugins: .*$/m, 'plugins: [lensforge-plugin-demo]'));
    const byName = sh(lensforge, ['run', 'by-name.yaml', '--out', 'runs/by-name'], env);
    expect(byName.status, byName.stderr).to.equal(0);
    for (const r of [byPath, byName]) {
      expect(r.stderr, 'one tfjs: no kernel registered twice').to.not.match(/already registered/);
      expect(r.stderr).to.match(/\[demo-disks\] backend (native|wasm)/);
    }
    const m1 = JSON.parse(byPath.stdout) as Record<string, number>;
    const m2 = JSON.parse(byName.stdout) as Record<string, number>;
    expect(m1.knn_r2_radius).to.be.a('number').and.satisfy(Number.isFinite);
    expect(m2, 'same seed and backend, the plugin named two ways: the same run').to.deep.equal(m1);
    const resolved = JSON.parse(readFileSync(join(dir, 'runs', 'by-name', 'config.resolved.json'), 'utf8')) as { plugins: string[]; versions: { lensforge: string } };
    expect(resolved.plugins).to.deep.equal(['lensforge-plugin-demo']);
    console.log(`      tarball ${(packed.size / 1024).toFixed(0)} kB (${packed.files.length} files, unpacked ${(packed.unpackedSize / 1e6).toFixed(1)} MB); offline install ${install.seconds.toFixed(1)} s`);
  });
});
