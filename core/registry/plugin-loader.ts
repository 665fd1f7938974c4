import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { LensforgeError } from '../errors.js';
import type { LensforgePlugin, PluginSource } from './plugin.js';
import type { PluginEntry } from './plugin-dependencies.js';
import type { Registry } from './registry.js';

function isPlugin(x: unknown): x is LensforgePlugin {
  return !!x && typeof x === 'object' && typeof (x as LensforgePlugin).name === 'string' && Array.isArray((x as LensforgePlugin).components);
}

/**
 * Import a plugin module — a path (relative to `baseDir`) or a package name — and return the
 * manifests it exports (`default`, `plugin`, or `plugins: [...]`).
 */
export async function importPlugins(specifier: string, baseDir: string): Promise<LensforgePlugin[]> {
  return (await importPluginModule(specifier, baseDir)).plugins;
}

/** Like `importPlugins`, also returning the file imported (a path, or the package's resolved entry). */
export async function importPluginModule(specifier: string, baseDir: string): Promise<{ plugins: LensforgePlugin[]; source: PluginSource }> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  checkPluginSpecifier(specifier, isPath);
  let file: string | undefined;
  if (isPath) {
    const p = resolve(baseDir, specifier);
    file = /\.m?ts$/i.test(p) ? compiledPluginFile(specifier, p) : p;
    if (!existsSync(file)) throw new LensforgeError(`plugins: "${specifier}" not found (looked for ${file})`);
  } else {
    file = resolvePackageEntry(specifier, baseDir);
    if (file && !existsSync(file)) {
      throw new LensforgeError(`plugins: package "${specifier}" points to ${file}, which does not exist; is the package built? (npx tsc -p ${packageDirOf(file) ?? dirname(file)})`);
    }
  }
  const target = file ? pathToFileURL(file).href : specifier;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(target)) as Record<string, unknown>;
  } catch (e) {
    throw new LensforgeError(`plugins: could not import "${specifier}"${file && file !== specifier ? ` (${file})` : ''}${isPath || file ? '' : ' (is the package installed?)'}`, { cause: e });
  }
  const source: PluginSource = { specifier, file: file ?? specifier };
  const found: LensforgePlugin[] = [];
  for (const key of ['default', 'plugin']) if (isPlugin(mod[key])) found.push(mod[key] as LensforgePlugin);
  if (Array.isArray(mod.plugins)) for (const p of mod.plugins) if (isPlugin(p)) found.push(p);
  if (found.length === 0 && !Array.isArray(mod.plugins)) {
    throw new LensforgeError(`plugins: "${specifier}" exports no plugin; expected \`export default definePlugin({ name, components: [...] })\` (exports found: ${Object.keys(mod).join(', ') || 'none'})`);
  }
  return { plugins: [...new Set(found)], source };
}

/**
 * The JavaScript file a `.ts` / `.mts` plugin path runs: the compiled file beside it, else its
 * mirror under the package's tsconfig `outDir` (relative to `rootDir`) or under `dist/`. Node
 * does not run TypeScript, so when none exists the error names where it looked and how to build.
 */
export function compiledPluginFile(specifier: string, tsPath: string): string {
  const js = tsPath.replace(/\.(m?)ts$/i, (_m, m: string) => `.${m}js`);
  const candidates = [js];
  const root = findPackageRoot(tsPath);
  if (root) {
    const tsc = readTsconfig(join(root, 'tsconfig.json'));
    if (tsc?.outDir) {
      const rel = relative(resolve(root, tsc.rootDir ?? '.'), js);
      if (!rel.startsWith('..') && !isAbsolute(rel)) candidates.push(join(resolve(root, tsc.outDir), rel));
    }
    candidates.push(join(root, 'dist', relative(root, js)));
  }
  const unique = [...new Set(candidates)];
  const found = unique.find((c) => existsSync(c));
  if (found) return found;
  const project = root && existsSync(join(root, 'tsconfig.json')) ? root : undefined;
  throw new LensforgeError(`plugins: "${specifier}" is TypeScript and has no compiled JavaScript (looked for ${unique.join(', ')}); ` +
    'lensforge imports plugins as JavaScript, so build it first: ' +
    (project ? `npx tsc -p ${project}` : `add a tsconfig.json (outDir "dist"; \`lensforge init plugin\` writes one) and run npx tsc -p ${dirname(tsPath)}`) +
    ', then name the .ts (its compiled file is used) or the .js');
}

function readTsconfig(path: string): { outDir?: string; rootDir?: string } | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const text = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\/|(^|[^:"])\/\/.*$/gm, '$1').replace(/,(\s*[}\]])/g, '$1');
    const c = (JSON.parse(text) as { compilerOptions?: { outDir?: string; rootDir?: string } }).compilerOptions;
    return { outDir: c?.outDir, rootDir: c?.rootDir };
  } catch {
    return undefined;
  }
}

/**
 * The entry file of package `specifier` (optionally with a subpath) as seen from `baseDir`: the
 * package itself when a package.json above `baseDir` has that name, else `node_modules/<name>` of
 * `baseDir` or a folder above it. Undefined when not found there (then Node resolves it from
 * lensforge's own location).
 */
export function resolvePackageEntry(specifier: string, baseDir: string): string | undefined {
  const m = /^((?:@[^/]+\/)?[^/]+)(?:\/(.*))?$/.exec(specifier);
  if (!m) return undefined;
  const [, name, sub] = m;
  for (let d = resolve(baseDir); ; d = dirname(d)) {
    for (const dir of [d, join(d, 'node_modules', name)]) {
      const pj = join(dir, 'package.json');
      if (!existsSync(pj)) continue;
      let pkg: { name?: string; exports?: unknown; main?: string };
      try { pkg = JSON.parse(readFileSync(pj, 'utf8')) as typeof pkg; } catch { continue; }
      if (pkg.name !== name) continue;
      if (sub) return join(dir, sub);
      const entry = exportEntry(pkg.exports) ?? pkg.main ?? 'index.js';
      return join(dir, entry);
    }
    if (dirname(d) === d) return undefined;
  }
}

function packageDirOf(file: string): string | undefined {
  return findPackageRoot(file);
}

function exportEntry(exp: unknown): string | undefined {
  if (typeof exp === 'string') return exp;
  if (!exp || typeof exp !== 'object' || Array.isArray(exp)) return undefined;
  const o = exp as Record<string, unknown>;
  if ('.' in o) return exportEntry(o['.']);
  for (const k of ['import', 'node', 'default']) if (k in o) { const r = exportEntry(o[k]); if (r) return r; }
  return undefined;
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

/**
 * Import every module of `specifiers`, then load their manifests in order as one batch (see
 * `Registry.loadPlugins`): a `dependsOn` cycle or a dependency that is missing or listed later
 * is refused, naming both plugins, before any of them is loaded.
 */
export async function loadPluginsInto(registry: Registry, specifiers: readonly string[], baseDir: string): Promise<void> {
  const entries: PluginEntry[] = [];
  for (const s of specifiers) {
    const { plugins, source } = await importPluginModule(s, baseDir);
    for (const p of plugins) entries.push({ plugin: p, source });
  }
  registry.loadPlugins(entries);
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
