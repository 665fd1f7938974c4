import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** One import from a plugin's source file into another plugin's folder. */
export interface CrossPluginImport {
  /** The importing file, relative to the plugins folder (`mass-mapping/nets/conditional-critic.ts`). */
  file: string;
  /** The plugin (top-level folder) that file belongs to. */
  from: string;
  /** The plugin imported from. */
  to: string;
  /** The imported module, relative to the plugins folder (`encoders/index.js`). */
  target: string;
  /** As written in the import. */
  specifier: string;
  /** Whether the importing file is a test or test support (`isTestSupport`): tests may import more than the plugin needs. */
  test: boolean;
}

/** Tests and their support: `*.test.ts`, `*.fixture.ts` and a plugin's `testing/` folder. */
export function isTestSupport(file: string): boolean {
  return /\.(test|fixture)\.m?ts$/.test(file) || /[\\/]testing[\\/]/.test(file);
}

/** A `'<plugin>/<name>'` string in a plugin's code naming a component another plugin registers. */
export interface ComponentNameUse { file: string; from: string; to: string; name: string }

const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\1/g;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : /\.(m?ts)$/.test(n) && !n.endsWith('.d.ts') ? [p] : [];
  });
}

/** Source files of each plugin folder (folders with a `plugin.ts`) under `pluginsDir`. */
export function pluginSources(pluginsDir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of readdirSync(pluginsDir).sort()) {
    const d = join(pluginsDir, name);
    if (statSync(d).isDirectory() && existsSync(join(d, 'plugin.ts'))) out.set(name, walk(d).sort());
  }
  return out;
}

/** Code without comments (so a component name in a doc comment is not a dependency). */
export function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Every relative import in plugin sources that leaves its own plugin's folder for another's. */
export function crossPluginImports(pluginsDir: string): CrossPluginImport[] {
  const root = resolve(pluginsDir);
  const found: CrossPluginImport[] = [];
  for (const [from, files] of pluginSources(root)) {
    for (const f of files) {
      const src = stripComments(readFileSync(f, 'utf8'));
      for (const m of src.matchAll(IMPORT_RE)) {
        const specifier = m[2];
        if (!specifier.startsWith('.')) continue;
        const target = relative(root, resolve(dirname(f), specifier)).split(sep).join('/');
        if (target.startsWith('..')) continue; // core/ or outside the plugins folder
        const to = target.includes('/') ? target.split('/')[0] : target.replace(/\.[mc]?js$/, '');
        if (to === from) continue;
        found.push({ file: relative(root, f).split(sep).join('/'), from, to, target, specifier, test: isTestSupport(f) });
      }
    }
  }
  return found;
}

/** Component names of other plugins (`gan/wgan-gp`) written as strings in a plugin's non-test code. */
export function componentNameUses(pluginsDir: string, componentPlugin: ReadonlyMap<string, string>): ComponentNameUse[] {
  const root = resolve(pluginsDir);
  const uses: ComponentNameUse[] = [];
  for (const [from, files] of pluginSources(root)) {
    for (const f of files.filter((x) => !isTestSupport(x))) {
      const src = stripComments(readFileSync(f, 'utf8'));
      for (const m of src.matchAll(/(['"`])([a-z][a-z0-9-]*\/[a-z0-9][a-z0-9-]*)\1/g)) {
        const to = componentPlugin.get(m[2]);
        if (to && to !== from) uses.push({ file: relative(root, f).split(sep).join('/'), from, to, name: m[2] });
      }
    }
  }
  return uses;
}

/**
 * Problems with the cross-plugin rule: an import that does not go through the other plugin's
 * `index.ts`, or (outside tests) an imported or by-name-used plugin missing from `dependsOn`.
 */
export function dependencyProblems(imports: readonly CrossPluginImport[], names: readonly ComponentNameUse[], dependsOn: ReadonlyMap<string, readonly string[]>): string[] {
  const problems: string[] = [];
  for (const i of imports) {
    if (i.target !== `${i.to}/index.js`) {
      problems.push(`${i.file} imports "${i.specifier}" (${i.target}): another plugin's code is imported through its public entry, ${i.to}/index.ts`);
    }
    if (!i.test && !(dependsOn.get(i.from) ?? []).includes(i.to)) {
      problems.push(`${i.file} imports plugin "${i.to}" (${i.target}) but plugin "${i.from}" does not list "${i.to}" in its manifest's dependsOn`);
    }
  }
  for (const n of names) {
    if (!(dependsOn.get(n.from) ?? []).includes(n.to)) {
      problems.push(`${n.file} builds "${n.name}" (plugin "${n.to}") by name but plugin "${n.from}" does not list "${n.to}" in its manifest's dependsOn`);
    }
  }
  return [...new Set(problems)];
}
