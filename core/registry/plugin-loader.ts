import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { LensforgeError } from '../errors.js';
import type { LensforgePlugin } from './plugin.js';
import type { Registry } from './registry.js';

function isPlugin(x: unknown): x is LensforgePlugin {
  return !!x && typeof x === 'object' && typeof (x as LensforgePlugin).name === 'string' && Array.isArray((x as LensforgePlugin).components);
}

/**
 * Import a plugin module — a path (relative to `baseDir`) or a package name — and return the
 * manifests it exports (`default`, `plugin`, or `plugins: [...]`).
 */
export async function importPlugins(specifier: string, baseDir: string): Promise<LensforgePlugin[]> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  let target = specifier;
  checkPluginSpecifier(specifier, isPath);
  if (isPath) {
    let p = resolve(baseDir, specifier);
    // a .ts path in a checkout: use the compiled file under dist/
    if (p.endsWith('.ts') && !existsSync(p.replace(/\.ts$/, '.js'))) {
      const root = findPackageRoot(p);
      if (root) p = join(root, 'dist', p.slice(root.length + 1)).replace(/\.ts$/, '.js');
    }
    if (!existsSync(p)) throw new LensforgeError(`plugins: "${specifier}" not found (looked for ${p})`);
    target = pathToFileURL(p).href;
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(target)) as Record<string, unknown>;
  } catch (e) {
    throw new LensforgeError(`plugins: could not import "${specifier}"${isPath ? '' : ' (is the package installed?)'}`, { cause: e });
  }
  const found: LensforgePlugin[] = [];
  for (const key of ['default', 'plugin']) if (isPlugin(mod[key])) found.push(mod[key] as LensforgePlugin);
  if (Array.isArray(mod.plugins)) for (const p of mod.plugins) if (isPlugin(p)) found.push(p);
  if (found.length === 0 && !Array.isArray(mod.plugins)) {
    throw new LensforgeError(`plugins: "${specifier}" exports no plugin; expected \`export default definePlugin({ name, components: [...] })\` (exports found: ${Object.keys(mod).join(', ') || 'none'})`);
  }
  return [...new Set(found)];
}

/** File extensions a `plugins:` path may have: plugin entries are code, imported and run. */
export const PLUGIN_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts'] as const;

/**
 * Refuse, before importing anything, a `plugins:` entry that is not a module: a path must end
 * in one of PLUGIN_EXTENSIONS (a .ts/.mts path runs its compiled .js), anything else must be a
 * bare package name (`name`, `@scope/name`, optionally with a subpath).
 */
export function checkPluginSpecifier(specifier: string, isPath = specifier.startsWith('.') || isAbsolute(specifier)): void {
  const allowed = PLUGIN_EXTENSIONS.join(' ');
  if (isPath) {
    const ext = extname(specifier).toLowerCase();
    if (!(PLUGIN_EXTENSIONS as readonly string[]).includes(ext)) {
      throw new LensforgeError(`plugins: "${specifier}" is not a module (${ext ? `extension ${ext}` : 'no extension'}); plugin entries are code that lensforge imports and runs: ` +
        `a path ending in ${allowed}, or a package name`);
    }
    return;
  }
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w.@/-]+)?$/i.test(specifier) || /\.(json|ya?ml|txt|csv|md|npy|fits?|node)$/i.test(specifier)) {
    throw new LensforgeError(`plugins: "${specifier}" is neither a path (./x.ts, /abs/x.js) nor a package name; plugin entries are code that lensforge imports and runs: ` +
      `a path ending in ${allowed}, or a package name`);
  }
}

export async function loadPluginsInto(registry: Registry, specifiers: readonly string[], baseDir: string): Promise<void> {
  for (const s of specifiers) for (const p of await importPlugins(s, baseDir)) registry.loadPlugin(p);
}

function findPackageRoot(from: string): string | undefined {
  let d = dirname(from);
  for (;;) {
    if (existsSync(join(d, 'package.json'))) return d;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** lensforge's own package root (where package.json is), from this compiled file. */
export function lensforgeRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = findPackageRoot(join(here, 'x'));
  let d = root;
  while (d) {
    const pkg = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { name?: string };
    if (pkg.name === 'lensforge') return d;
    const up = dirname(d);
    if (up === d) break;
    d = findPackageRoot(join(up, 'x'));
  }
  throw new Error('could not find the lensforge package root');
}

/** Load the built-in plugins named by package.json's `lensforge.builtinPlugins` (a module path). */
export async function loadBuiltinPlugins(registry: Registry): Promise<void> {
  const root = lensforgeRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { lensforge?: { builtinPlugins?: string } };
  const manifest = pkg.lensforge?.builtinPlugins;
  if (!manifest) return;
  await loadPluginsInto(registry, [manifest], root);
}
