import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
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
