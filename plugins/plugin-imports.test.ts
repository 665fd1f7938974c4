import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentInfo } from '../core/index.js';
import { plugins } from './index.js';
import { componentNameUses, crossPluginImports, dependencyProblems } from './plugin-imports.js';

/** The repository's plugins/ sources (this file runs from dist/plugins/). */
const PLUGINS_SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'plugins');

describe('cross-plugin imports and declared dependencies', () => {
  const dependsOn = new Map(plugins.map((p) => [p.name, p.dependsOn ?? []]));
  const componentPlugin = new Map(plugins.flatMap((p) => p.components.map((c) => [componentInfo(c)!.name, p.name] as const)));

  it('every import of another built-in plugin goes through its index.ts and is declared in dependsOn', () => {
    const imports = crossPluginImports(PLUGINS_SRC);
    const names = componentNameUses(PLUGINS_SRC, componentPlugin);
    // the scan sees the real dependencies (so an empty scan cannot pass silently)
    const edges = new Set(imports.filter((i) => !i.test).map((i) => `${i.from} -> ${i.to}`));
    expect([...edges].sort()).to.deep.equal(['band-pretext -> encoders', 'mass-mapping -> encoders', 'mass-mapping -> gan']);
    expect(names.map((n) => `${n.from} -> ${n.name}`)).to.include('mass-mapping -> gan/wgan-gp');
    expect(dependencyProblems(imports, names, dependsOn)).to.deep.equal([]);
  });

  it('declares no dependency it does not have, and lists each dependency earlier in the built-in load order', () => {
    const imports = crossPluginImports(PLUGINS_SRC).filter((i) => !i.test);
    const used = componentNameUses(PLUGINS_SRC, componentPlugin);
    const order = plugins.map((p) => p.name);
    for (const p of plugins) {
      for (const d of p.dependsOn ?? []) {
        expect(imports.some((i) => i.from === p.name && i.to === d) || used.some((u) => u.from === p.name && u.to === d), `${p.name} -> ${d} is used`).to.equal(true);
        expect(order.indexOf(d), `"${d}" is loaded before "${p.name}"`).to.be.within(0, order.indexOf(p.name) - 1);
      }
    }
  });

  it('reports a deep import, an undeclared import and an undeclared by-name use in a plugin tree', () => {
    const d = mkdtempSync(join(tmpdir(), 'lf-plugin-imports-'));
    try {
      const file = (p: string, text: string) => { mkdirSync(dirname(join(d, p)), { recursive: true }); writeFileSync(join(d, p), text); };
      file('a/plugin.ts', 'export const a = 1;\n');
      file('a/deep.ts', "import { thing } from '../b/nets/thing.js';\nexport const x = thing;\n");
      file('a/ok.ts', "import { b } from '../b/index.js';\n// a comment naming 'b/widget' is no dependency\nexport const y = b;\n");
      file('a/by-name.ts', "export const spec = { use: 'b/widget' };\n");
      file('a/only.test.ts', "import { b } from '../b/index.js';\nvoid b;\n");
      file('a/bad.test.ts', "import { thing } from '../b/nets/thing.js';\nvoid thing;\n");
      file('b/plugin.ts', 'export const b = 1;\n');
      file('b/index.ts', "export { b } from './plugin.js';\n");
      file('b/nets/thing.ts', 'export const thing = 2;\n');
      const imports = crossPluginImports(d);
      const names = componentNameUses(d, new Map([['b/widget', 'b']]));
      expect(dependencyProblems(imports, names, new Map([['a', []]]))).to.deep.equal([
        'a/bad.test.ts imports "../b/nets/thing.js" (b/nets/thing.js): another plugin\'s code is imported through its public entry, b/index.ts',
        'a/deep.ts imports "../b/nets/thing.js" (b/nets/thing.js): another plugin\'s code is imported through its public entry, b/index.ts',
        'a/deep.ts imports plugin "b" (b/nets/thing.js) but plugin "a" does not list "b" in its manifest\'s dependsOn',
        'a/ok.ts imports plugin "b" (b/index.js) but plugin "a" does not list "b" in its manifest\'s dependsOn',
        'a/by-name.ts builds "b/widget" (plugin "b") by name but plugin "a" does not list "b" in its manifest\'s dependsOn',
      ]);
      // declaring the dependency leaves only the deep imports
      expect(dependencyProblems(imports, names, new Map([['a', ['b']]]))).to.have.length(2);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
