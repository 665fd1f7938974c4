import { expect } from 'chai';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import 'reflect-metadata';
import { container } from 'tsyringe';
import type { Constructor } from './component.js';
import { checkPluginSpecifier, importPluginModule, importPlugins, loadPluginsInto } from './plugin-loader.js';
import { Registry } from './registry.js';

const DIST_CORE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(DIST_CORE, '..', '..');

describe('plugins: entries are code', () => {
  it('refuses non-module paths by extension before importing, naming the entry and the allowed extensions', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lf-plug-'));
    writeFileSync(join(d, 'data.json'), '{"name": "x", "components": []}');
    const allowed = 'a path ending in .js .mjs .cjs .ts .mts, or a package name';
    for (const [spec, ext] of [['./data.json', 'extension .json'], ['./experiment.yaml', 'extension .yaml'], ['./plugin', 'no extension']]) {
      const err = await importPlugins(spec, d).then(() => undefined, (e: Error) => e);
      expect(err?.message).to.equal(`plugins: "${spec}" is not a module (${ext}); plugin entries are code that lensforge imports and runs: ${allowed}`);
    }
    expect(() => checkPluginSpecifier('config.yaml')).to.throw(`plugins: "config.yaml" is neither a path (./x.ts, /abs/x.js) nor a package name; plugin entries are code that lensforge imports and runs: ${allowed}`);
    expect(() => checkPluginSpecifier('has space')).to.throw('is neither a path');
    for (const ok of ['./p.ts', './p.mts', '/abs/p.js', './p.MJS', './p.cjs', 'lensforge-astro', '@scope/pkg', '@scope/pkg/sub', 'pkg/dist/index.js']) expect(() => checkPluginSpecifier(ok), ok).to.not.throw();
  });
});

describe('plugins: a .ts path runs its compiled JavaScript', () => {
  const plugin = (name: string) => `export default { name: '${name}', components: [] };\n`;

  it('uses the .js beside the .ts, else the tsconfig outDir mirror, else dist/', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lf-plug-ts-'));
    writeFileSync(join(d, 'beside.ts'), 'export {};');
    writeFileSync(join(d, 'beside.js'), plugin('beside'));
    const beside = await importPluginModule('./beside.ts', d);
    expect([beside.plugins[0].name, beside.source.file]).to.deep.equal(['beside', join(d, 'beside.js')]);

    // a package with tsconfig outDir "build" and rootDir "src": src/plugin.ts -> build/plugin.js
    const pkg = join(d, 'pkg');
    mkdirSync(join(pkg, 'src'), { recursive: true });
    mkdirSync(join(pkg, 'build'));
    writeFileSync(join(pkg, 'package.json'), '{"name": "p", "type": "module"}');
    writeFileSync(join(pkg, 'tsconfig.json'), '{ // comments are allowed\n "compilerOptions": { "outDir": "build", "rootDir": "src", }, }');
    writeFileSync(join(pkg, 'src', 'plugin.ts'), 'export {};');
    writeFileSync(join(pkg, 'build', 'plugin.js'), plugin('outdir'));
    expect((await importPluginModule('./pkg/src/plugin.ts', d)).source.file).to.equal(join(pkg, 'build', 'plugin.js'));

    // no tsconfig outDir: the dist/ mirror of the package (as in this repository)
    const pkg2 = join(d, 'pkg2');
    mkdirSync(join(pkg2, 'dist', 'lib'), { recursive: true });
    mkdirSync(join(pkg2, 'lib'));
    writeFileSync(join(pkg2, 'package.json'), '{"name": "p2", "type": "module"}');
    writeFileSync(join(pkg2, 'lib', 'plugin.mts'), 'export {};');
    writeFileSync(join(pkg2, 'dist', 'lib', 'plugin.mjs'), plugin('mirror'));
    const m = await importPluginModule('./pkg2/lib/plugin.mts', d);
    expect([m.plugins[0].name, m.source.file]).to.deep.equal(['mirror', join(pkg2, 'dist', 'lib', 'plugin.mjs')]);
  });

  it('without compiled JavaScript, says where it looked and how to build (never "Unknown file extension")', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lf-plug-ts-'));
    const pkg = join(d, 'pkg');
    mkdirSync(join(pkg, 'src'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{"name": "p", "type": "module"}');
    writeFileSync(join(pkg, 'tsconfig.json'), '{"compilerOptions": {"outDir": "dist", "rootDir": "src"}}');
    writeFileSync(join(pkg, 'src', 'plugin.ts'), 'export default {};');
    const err = await importPlugins('./pkg/src/plugin.ts', d).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.equal(`plugins: "./pkg/src/plugin.ts" is TypeScript and has no compiled JavaScript (looked for ${join(pkg, 'src', 'plugin.js')}, ${join(pkg, 'dist', 'plugin.js')}, ${join(pkg, 'dist', 'src', 'plugin.js')}); ` +
      `lensforge imports plugins as JavaScript, so build it first: npx tsc -p ${pkg}, then name the .ts (its compiled file is used) or the .js`);

    // a lone .ts outside any package: the advice is to add a tsconfig
    const lone = mkdtempSync(join(tmpdir(), 'lf-plug-lone-'));
    writeFileSync(join(lone, 'plugin.ts'), 'export default {};');
    const err2 = await importPlugins(join(lone, 'plugin.ts'), d).then(() => undefined, (e: Error) => e);
    expect(err2?.message).to.match(/has no compiled JavaScript \(looked for .*plugin\.js.*\); lensforge imports plugins as JavaScript, so build it first: add a tsconfig\.json \(outDir "dist"; `lensforge init plugin` writes one\) and run npx tsc -p /);
    expect(err2?.message).to.not.match(/Unknown file extension/);
  });

  it('a package name resolves from the config folder: the package itself (self-reference) or its node_modules', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lf-plug-pkg-'));
    mkdirSync(join(d, 'dist'));
    writeFileSync(join(d, 'package.json'), JSON.stringify({ name: 'lensforge-plugin-self', type: 'module', exports: { '.': { types: './dist/plugin.d.ts', default: './dist/plugin.js' } } }));
    writeFileSync(join(d, 'dist', 'plugin.js'), plugin('self'));
    const dep = join(d, 'node_modules', '@me', 'dep');
    mkdirSync(dep, { recursive: true });
    writeFileSync(join(dep, 'package.json'), JSON.stringify({ name: '@me/dep', type: 'module', main: 'main.js' }));
    writeFileSync(join(dep, 'main.js'), plugin('dep'));
    mkdirSync(join(d, 'configs'));
    const self = await importPluginModule('lensforge-plugin-self', join(d, 'configs'));
    expect([self.plugins[0].name, self.source.file]).to.deep.equal(['self', join(d, 'dist', 'plugin.js')]);
    const other = await importPluginModule('@me/dep', join(d, 'configs'));
    expect([other.plugins[0].name, other.source.file]).to.deep.equal(['dep', join(dep, 'main.js')]);
    const unbuilt = join(d, 'node_modules', 'unbuilt');
    mkdirSync(unbuilt, { recursive: true });
    writeFileSync(join(unbuilt, 'package.json'), JSON.stringify({ name: 'unbuilt', type: 'module', exports: './dist/plugin.js' }));
    const notBuilt = await importPlugins('unbuilt', d).then(() => undefined, (e: Error) => e);
    expect(notBuilt?.message).to.equal(`plugins: package "unbuilt" points to ${join(unbuilt, 'dist', 'plugin.js')}, which does not exist; is the package built? (npx tsc -p ${unbuilt})`);
    const missing = await importPlugins('lensforge-plugin-absent', d).then(() => undefined, (e: Error) => e);
    expect(missing?.message).to.equal('plugins: could not import "lensforge-plugin-absent" (is the package installed?)');
  });
});

describe('plugins: one lensforge copy', () => {
  it('refuses, at load, a component decorated by another installed copy of lensforge, naming the plugin, both copies and the fix', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lf-plug-copy-'));
    // a second copy of lensforge's decorator with its own tsyringe and reflect-metadata, as a
    // plugin package that lists lensforge as a dependency gets
    const copy = join(d, 'node_modules', 'lensforge');
    mkdirSync(join(copy, 'dist', 'core', 'registry'), { recursive: true });
    writeFileSync(join(copy, 'package.json'), '{"name": "lensforge", "version": "0.0.9", "type": "module"}');
    cpSync(join(DIST_CORE, 'registry', 'component.js'), join(copy, 'dist', 'core', 'registry', 'component.js'));
    for (const dep of ['tsyringe', 'reflect-metadata', 'tslib']) cpSync(join(REPO, 'node_modules', dep), join(copy, 'node_modules', dep), { recursive: true });
    const copyFile = join(copy, 'dist', 'core', 'registry', 'component.js');
    writeFileSync(join(d, 'plugin.mjs'), [
      `import { component } from ${JSON.stringify(pathToFileURL(copyFile).href)};`,
      'class Dup { constructor(opts) { this.opts = opts; } sample() { return {}; } }',
      "component({ kind: 'simulator', name: 'dup/sim', description: 'x', options: { safeParse: () => ({ success: true, data: {} }) } })(Dup);",
      "export default { name: 'dup', components: [Dup] };",
    ].join('\n'));
    const registry = new Registry();
    const err = await loadPluginsInto(registry, ['./plugin.mjs'], d).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.equal(`plugin "dup" (${join(d, 'plugin.mjs')}): component "dup/sim" (Dup) was decorated by another copy of lensforge (${copyFile}), ` +
      `not the running one (${join(DIST_CORE, 'registry', 'component.js')}); this lensforge's tsyringe container cannot build it (it would fail later with "TypeInfo not known"). ` +
      'The plugin must import lensforge, tsyringe and reflect-metadata from the running lensforge only: make lensforge a peerDependency of the plugin package (not a dependency), ' +
      "remove the plugin's own node_modules/lensforge, and run `npm dedupe` in the project that installs both");
    expect(registry.pluginNames()).to.deep.equal([]);
    // what the check prevents: our container does not know the class
    const mod = (await import(pathToFileURL(join(d, 'plugin.mjs')).href)) as { default: { components: Constructor[] } };
    expect(() => container.resolve(mod.default.components[0])).to.throw(/TypeInfo not known for "Dup"/);
  });
});
