import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { npmPack } from '../../testing/offline-install.js';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const REPO = resolve(DIST, '..');
const BIN = join(DIST, 'core', 'cli', 'bin.js');
const cli = (args: string[], cwd = REPO) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, LENSFORGE_DEBUG: '' } });

describe('lensforge init plugin', function () {
  this.timeout(60000);

  it('scaffolds a plugin package: lensforge as peer dependency, decorator metadata, manifest, components, a test, an experiment', () => {
    const d = join(mkdtempSync(join(tmpdir(), 'lf-init-')), 'astro');
    const r = cli(['init', 'plugin', 'astro', '--dir', d]);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.contain(`wrote plugin package lensforge-plugin-astro in ${d}: package.json, tsconfig.json, .gitignore, src/plugin.ts, src/components/disk-simulator.ts, src/components/flip-augmenter.ts, src/components/disk-simulator.test.ts, experiment.yaml, README.md`);
    const ours = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; devDependencies: Record<string, string> };
    const pkg = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).to.deep.include({ name: 'lensforge-plugin-astro', type: 'module', main: './dist/plugin.js', peerDependencies: { lensforge: `^${ours.version}` } });
    expect(pkg.devDependencies).to.deep.equal({ '@types/node': `^${ours.devDependencies['@types/node']}`, typescript: `^${ours.devDependencies.typescript}` });
    expect(pkg.dependencies, 'no tfjs/tsyringe of its own').to.equal(undefined);
    expect(pkg.scripts).to.deep.include({ build: 'tsc -p .', test: 'tsc -p . && node --test dist/components/disk-simulator.test.js' });
    const tsc = JSON.parse(readFileSync(join(d, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    expect(tsc.compilerOptions).to.deep.include({ experimentalDecorators: true, emitDecoratorMetadata: true, module: 'NodeNext', outDir: 'dist', rootDir: 'src' });
    expect(readFileSync(join(d, 'src', 'plugin.ts'), 'utf8')).to.contain("name: 'astro',").and.contain('dependsOn: [],').and.contain('components: [AstroDiskSimulator, AstroFlipAugmenter]');
    expect(readFileSync(join(d, 'README.md'), 'utf8')).to.contain('@inject(TOKENS.ComponentPath) path: string').and.contain('`dependsOn`');
    expect(readFileSync(join(d, 'src', 'components', 'flip-augmenter.ts'), 'utf8')).to.contain("import { component, inject, tf, TOKENS, z, type Augmenter, type Batch, type Rng } from 'lensforge';");
    const exp = readFileSync(join(d, 'experiment.yaml'), 'utf8');
    expect(exp).to.contain('plugins: [./src/plugin.ts]').and.contain('data: { use: astro/disks').and.contain('augment: { use: astro/flip');
  });

  it('refuses a non-empty folder (writing nothing), a bad name and an unknown kind of init', () => {
    const d = mkdtempSync(join(tmpdir(), 'lf-init-'));
    writeFileSync(join(d, 'notes.txt'), 'mine');
    mkdirSync(join(d, 'src'));
    const r = cli(['init', 'plugin', 'astro', '--dir', d]);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal(`error: init plugin: --dir ${d} is not empty (notes.txt, src); nothing was written. Choose a new or empty folder with --dir DIR\n`);
    expect(readdirSync(d).sort()).to.deep.equal(['notes.txt', 'src']);
    const bad = cli(['init', 'plugin', 'Astro_Lens', '--dir', join(d, 'x')]);
    expect(bad.stderr).to.equal('error: init plugin: NAME: expected a lower-case kebab-case plugin name (the namespace of its components, e.g. "astro" for astro/disks), got "Astro_Lens"\n');
    const what = cli(['init', 'experiment', 'x']);
    expect(what.stderr).to.equal('error: init: expected "plugin" (lensforge init plugin NAME), got "experiment"\n');
  });

  it('npm pack --dry-run: dist/ and the addon sources, no tests, source maps, fixtures, runs or TypeScript sources', () => {
    const p = npmPack(REPO, REPO, true);
    for (const f of ['package.json', 'README.md', 'dist/core/index.js', 'dist/core/index.d.ts', 'dist/core/cli/bin.js', 'dist/plugins/index.js', 'core/tensor/native/install-native.mjs', 'core/tensor/native/binding.gyp', 'core/tensor/native/src/addon.cc']) {
      expect(p.files, f).to.include(f);
    }
    const unwanted = p.files.filter((f) => /\.test\.|\.map$|fixtures\/|^runs\/|^bench|^examples\/|node_modules|\/build\/|(?<!\.d)\.ts$/.test(f));
    expect(unwanted).to.deep.equal([]);
    expect(p.files.every((f) => /^(dist\/(core|plugins)\/|core\/tensor\/native\/|package\.json$|README\.md$)/.test(f)), p.files.join(' ')).to.equal(true);
    expect(p.size, `tarball ${p.size} bytes`).to.be.below(1.5e6);
  });
});
