import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPluginSpecifier, importPlugins } from './plugin-loader.js';

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
