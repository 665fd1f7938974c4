import 'reflect-metadata';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RegistryError } from '../errors.js';
import { definePlugin, type LensforgePlugin } from './plugin.js';
import { Registry } from './registry.js';

const BIN = resolve('dist/core/cli/bin.js');
const manifest = (name: string, dependsOn?: string[]): LensforgePlugin => ({ name, components: [], ...(dependsOn ? { dependsOn } : {}) });

describe('plugin dependencies (dependsOn)', () => {
  it('loads a plugin after its dependencies, and refuses it before them naming both plugins and the fix', () => {
    const r = new Registry();
    expect(() => r.loadPlugin(manifest('mass-mapping', ['encoders', 'gan']), { specifier: './mm.js' })).to.throw(RegistryError,
      'plugin "mass-mapping" (from ./mm.js) depends on plugin "encoders", which is not loaded; load "encoders" first: add the module that exports it ' +
      'to the experiment\'s plugins: list (or pass --plugin) before the one that exports "mass-mapping", or remove "encoders" from "mass-mapping"\'s dependsOn if it does not need it');
    expect(r.pluginNames()).to.deep.equal([]);
    r.loadPlugin(manifest('encoders'));
    expect(() => r.loadPlugin(manifest('mass-mapping', ['encoders', 'gan']))).to.throw('plugin "mass-mapping" depends on plugin "gan", which is not loaded');
    r.loadPlugin(manifest('gan'));
    r.loadPlugin(manifest('mass-mapping', ['encoders', 'gan']));
    expect(r.pluginNames()).to.deep.equal(['encoders', 'gan', 'mass-mapping']);
  });

  it('in one batch, names a dependency listed after the plugin and loads nothing', () => {
    const r = new Registry();
    expect(() => r.loadPlugins([
      { plugin: manifest('first') },
      { plugin: manifest('app', ['lib']), source: { specifier: './app.js' } },
      { plugin: manifest('lib'), source: { specifier: './lib.js' } },
    ])).to.throw(RegistryError, 'plugin "app" (from ./app.js) depends on plugin "lib", which is loaded after it (from ./lib.js); load "lib" first: ' +
      'list it before "app" (its plugins: entry or --plugin earlier, or earlier in the module\'s exported plugins: [...])');
    expect(r.pluginNames()).to.deep.equal([]);
    r.loadPlugins([{ plugin: manifest('lib') }, { plugin: manifest('app', ['lib']) }]);
    expect(r.pluginNames()).to.deep.equal(['lib', 'app']);
  });

  it('reports a dependency cycle with its path', () => {
    const r = new Registry();
    expect(() => r.loadPlugins([
      { plugin: manifest('a', ['b']), source: { specifier: './a.js' } },
      { plugin: manifest('b', ['c']), source: { specifier: './b.js' } },
      { plugin: manifest('c', ['a']) },
    ])).to.throw(RegistryError, 'plugin dependency cycle: a -> b -> c -> a; plugins "a" (from ./a.js), "b" (from ./b.js), "c" each wait for the next to be loaded first, ' +
      'so none can load: remove one of these dependsOn entries');
    expect(() => definePlugin({ name: 'loop', components: [], dependsOn: ['loop'] }))
      .to.throw('plugin "loop": dependsOn lists the plugin itself (dependency cycle loop -> loop); remove "loop" from its dependsOn');
  });

  it('refuses a dependsOn that is not a list of names', () => {
    expect(() => definePlugin({ name: 'p', components: [], dependsOn: 'gan' as unknown as string[] }))
      .to.throw('plugin "p": dependsOn: expected a list of plugin names (e.g. ["encoders", "gan"]), got "gan"');
    expect(() => new Registry().loadPlugin({ name: 'q', components: [], dependsOn: [''] }))
      .to.throw('plugin "q": dependsOn: expected a list of plugin names (e.g. ["encoders", "gan"]), got [""]');
  });

  it('end to end: --plugin modules in the wrong order fail naming both plugins; in order they load and `lensforge plugins` shows the dependency', () => {
    const d = mkdtempSync(join(tmpdir(), 'lf-deps-'));
    try {
      writeFileSync(join(d, 'lib.mjs'), "export default { name: 'lib', description: 'a library plugin', components: [] };\n");
      writeFileSync(join(d, 'app.mjs'), "export default { name: 'app', version: '1.2.0', components: [], dependsOn: ['lib'] };\n");
      writeFileSync(join(d, 'cycle.mjs'), "export const plugins = [{ name: 'x', components: [], dependsOn: ['y'] }, { name: 'y', components: [], dependsOn: ['x'] }];\n");
      const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: d, encoding: 'utf8', env: { ...process.env, LENSFORGE_DEBUG: '' } });
      const wrong = cli('--plugin', './app.mjs', '--plugin', './lib.mjs', 'plugins');
      expect(wrong.status).to.equal(1);
      expect(wrong.stderr).to.contain('error: plugin "app" (from ./app.mjs) depends on plugin "lib", which is loaded after it (from ./lib.mjs); load "lib" first');
      const alone = cli('--plugin', './app.mjs', 'plugins');
      expect(alone.status).to.equal(1);
      expect(alone.stderr).to.contain('error: plugin "app" (from ./app.mjs) depends on plugin "lib", which is not loaded; load "lib" first');
      const cycle = cli('--plugin', './cycle.mjs', 'plugins');
      expect(cycle.stderr).to.contain('error: plugin dependency cycle: x -> y -> x; plugins "x" (from ./cycle.mjs), "y" (from ./cycle.mjs)');
      const ok = cli('--plugin', './lib.mjs', '--plugin', './app.mjs', 'plugins');
      expect(ok.status, ok.stderr).to.equal(0);
      expect(ok.stdout).to.contain(`app 1.2.0\n  depends on: lib\n  components: 0\n  from: ./app.mjs (${join(d, 'app.mjs')})`);
      expect(ok.stdout).to.contain('mass-mapping  weak-lensing mass mapping');
      expect(ok.stdout).to.match(/mass-mapping {2}[^\n]*\n {2}depends on: encoders, gan\n/);
      const json = JSON.parse(cli('--plugin', './lib.mjs', '--plugin', './app.mjs', 'plugins', '--json').stdout) as Array<{ name: string; dependsOn: string[] }>;
      expect(json.find((p) => p.name === 'app')?.dependsOn).to.deep.equal(['lib']);
      expect(json.find((p) => p.name === 'band-pretext')?.dependsOn).to.deep.equal(['encoders']);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
