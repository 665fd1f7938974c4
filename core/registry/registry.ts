import { z } from 'zod';
import { ConfigError, RegistryError, type ConfigIssue } from '../errors.js';
import { CORE_KINDS, LENSFORGE_COPY, componentInfo, componentOrigin, type ComponentKind, type Constructor } from './component.js';
import { normalizeSpec, refKindOf, type ComponentSpec } from './component-spec.js';
import type { LensforgePlugin, PluginCommand, PluginSource } from './plugin.js';
import { closestMatches } from './suggest.js';
import { checkDependencyCycles, checkDependsOn, missingDependencyError, type PluginEntry } from './plugin-dependencies.js';
import { allocationProblem, type AllocationContext, type EstimateBytes } from './allocation-limit.js';
import { flattenZodIssues, show } from './zod-issues.js';

export interface RegisteredComponent {
  kind: ComponentKind;
  name: string;
  description: string;
  options: z.ZodType;
  target: Constructor;
  plugin: string;
  /** The plugin's manifest file (or the specifier it was loaded by), when known. */
  pluginFile?: string;
  /** Bytes its buffers need for given options (see ComponentInfo.estimateBytes). */
  estimateBytes?: EstimateBytes;
}

/** A component spec after validation: its registration and its parsed options. */
export interface ResolvedSpec {
  component: RegisteredComponent;
  options: Record<string, unknown>;
  path: string;
}

/**
 * The one registry of lensforge. The core declares kinds; plugins fill them through explicit
 * manifests. Look-ups by unknown names list the registered names of that kind and the closest
 * matches; options are validated with every bad field reported at once, with its key path.
 */
export class Registry {
  private readonly kinds = new Map<string, string>(Object.entries(CORE_KINDS));
  private readonly byKind = new Map<string, Map<string, RegisteredComponent>>();
  private readonly plugins = new Map<string, LensforgePlugin>();
  private readonly sources = new Map<string, PluginSource>();

  declareKind(kind: string, description: string, plugin = 'core'): void {
    if (!/^[a-z][a-z0-9-]*$/.test(kind)) throw new RegistryError(`kind: expected a lower-case name, got "${kind}" (plugin "${plugin}")`);
    if (!this.kinds.has(kind)) this.kinds.set(kind, description);
  }

  kindNames(): string[] { return [...this.kinds.keys()]; }
  kindDescription(kind: string): string | undefined { return this.kinds.get(kind); }
  pluginNames(): string[] { return [...this.plugins.keys()]; }
  /** CLI sub-commands contributed by loaded plugins. */
  pluginCommands(): PluginCommand[] { return [...this.plugins.values()].flatMap((p) => p.commands ?? []); }

  /** The manifest file (or specifier) a loaded plugin came from, when known. */
  pluginSource(name: string): PluginSource | undefined { return this.sources.get(name); }
  /** The manifest of a loaded plugin. */
  plugin(name: string): LensforgePlugin | undefined { return this.plugins.get(name); }

  /**
   * Load manifests in order, after checking the whole batch: no dependency cycle among them, and
   * every `dependsOn` loaded already or earlier in the batch. Nothing is loaded when a check fails.
   */
  loadPlugins(entries: readonly PluginEntry[]): void {
    const fresh = entries.filter((e) => this.plugins.get(e.plugin.name) !== e.plugin);
    checkDependencyCycles(fresh);
    const ready = new Set(this.plugins.keys());
    fresh.forEach((e, i) => {
      for (const d of checkDependsOn(e.plugin)) {
        if (ready.has(d)) continue;
        throw missingDependencyError(e.plugin, e.source, d, fresh.slice(i + 1).find((l) => l.plugin.name === d));
      }
      ready.add(e.plugin.name);
    });
    for (const e of entries) this.loadPlugin(e.plugin, e.source);
  }

  /**
   * Register every component of a manifest. `source` (the manifest file imported) is kept so
   * errors name it; a component decorated by another installed copy of lensforge is refused here,
   * before anything is built.
   */
  loadPlugin(plugin: LensforgePlugin, source?: PluginSource): void {
    const existing = this.plugins.get(plugin.name);
    if (existing === plugin) return;
    if (existing) throw new RegistryError(`plugin "${plugin.name}" is already loaded (two different plugins share that name)`);
    for (const d of checkDependsOn(plugin)) if (!this.plugins.has(d)) throw missingDependencyError(plugin, source, d);
    for (const [k, d] of Object.entries(plugin.kinds ?? {})) this.declareKind(k, d, plugin.name);
    // validate all first so a bad manifest does not leave half its components registered
    const file = source?.file ?? source?.specifier;
    const regs = plugin.components.map((target, i) => ({ ...this.toRegistration(target, plugin.name, i, file), pluginFile: file }));
    for (const r of regs) this.checkFree(r);
    const names = new Set<string>();
    for (const r of regs) {
      const key = `${r.kind}:${r.name}`;
      if (names.has(key)) throw new RegistryError(`duplicate ${r.kind} "${r.name}": listed twice in plugin "${plugin.name}"`);
      names.add(key);
    }
    for (const r of regs) this.insert(r);
    this.plugins.set(plugin.name, plugin);
    if (source) this.sources.set(plugin.name, source);
  }

  /** Register a single class (decorated with `@component`) on behalf of `plugin`. */
  register(target: Constructor, plugin: string): RegisteredComponent {
    const r = this.toRegistration(target, plugin, 0);
    this.checkFree(r);
    this.insert(r);
    return r;
  }

  has(kind: ComponentKind, name: string): boolean { return this.byKind.get(kind)?.has(name) ?? false; }

  /** The registration of `name`, or a RegistryError listing the names of that kind and the closest matches. */
  get(kind: ComponentKind, name: string, path?: string): RegisteredComponent {
    const found = this.byKind.get(kind)?.get(name);
    if (found) return found;
    throw new RegistryError(this.unknownMessage(kind, name, path));
  }

  list(kind?: ComponentKind): RegisteredComponent[] {
    const kinds = kind ? [kind] : [...this.byKind.keys()];
    if (kind && !this.kinds.has(kind)) {
      const near = closestMatches(kind, this.kindNames());
      throw new RegistryError(`unknown component kind "${kind}"; kinds: ${this.kindNames().join(', ')}${near.length ? `; did you mean ${near.join(' or ')}?` : ''}`);
    }
    return kinds.flatMap((k) => [...(this.byKind.get(k)?.values() ?? [])]).sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  }

  /**
   * Validate a component spec of `kind` found at `path`: the name must be registered and the
   * options must satisfy its schema, recursively for options that are components themselves.
   * Problems are appended to `issues` (nothing thrown); returns the resolved spec when valid.
   */
  validate(kind: ComponentKind, value: unknown, path: string, issues: ConfigIssue[], source?: string): ResolvedSpec | undefined {
    const spec = normalizeSpec(value);
    if (!spec) {
      issues.push({ path, source, message: `expected ${article(kind)} name or { use: "<plugin>/<name>", ...options }, got ${show(value)}` });
      return undefined;
    }
    const comp = this.byKind.get(kind)?.get(spec.use);
    if (!comp) {
      issues.push({ path: join(path, 'use'), source, message: this.unknownMessage(kind, spec.use) });
      return undefined;
    }
    const { use: _use, ...raw } = spec;
    void _use;
    const schema = strictIfObject(comp.options);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      issues.push(...zodConfigIssues(parsed.error, raw, schema, path, source));
      return undefined;
    }
    const before = issues.length;
    const options = this.validateNested(comp.options, parsed.data, path, issues, source) as Record<string, unknown>;
    if (issues.length > before) return undefined;
    const resolved = { component: comp, options, path };
    this.checkAllocation(resolved, {}, issues, source);
    if (issues.length > before) return undefined;
    return resolved;
  }

  /**
   * Ask a validated component for the bytes its options need (`estimateBytes` in its
   * registration) and append an issue, at the first field named, for each estimate over the
   * allocation limit. Returns false when something is over.
   */
  checkAllocation(spec: ResolvedSpec, ctx: AllocationContext, issues: ConfigIssue[], source?: string): boolean {
    const est = spec.component.estimateBytes;
    if (!est) return true;
    let ok = true;
    const list = est(spec.options, ctx);
    for (const e of Array.isArray(list) ? list : list ? [list] : []) {
      const msg = allocationProblem(e);
      if (msg) { ok = false; issues.push({ path: e.at ?? join(spec.path, e.fields[0]?.split(' ')[0] ?? ''), source, message: msg }); }
    }
    return ok;
  }

  /** Like `validate`, but throws a ConfigError with every issue. */
  resolve(kind: ComponentKind, value: unknown, path: string, source?: string): ResolvedSpec {
    const issues: ConfigIssue[] = [];
    const r = this.validate(kind, value, path, issues, source);
    if (!r) throw new ConfigError(issues, source);
    return r;
  }

  /** Default options of a component (its schema applied to `{}`), or undefined when some are required. */
  defaults(comp: RegisteredComponent): Record<string, unknown> | undefined {
    const r = comp.options.safeParse({});
    return r.success ? (r.data as Record<string, unknown>) : undefined;
  }

  /** Validate options that are components themselves; returns the value with nested specs resolved. */
  private validateNested(schema: z.ZodType, value: unknown, path: string, issues: ConfigIssue[], source?: string): unknown {
    const kind = refKindOf(schema);
    if (kind) {
      const r = this.validate(kind, value, path, issues, source);
      return r ? { use: r.component.name, ...r.options } : value;
    }
    const def = (schema as unknown as { def: { type: string; innerType?: z.ZodType; element?: z.ZodType; shape?: Record<string, z.ZodType>; in?: z.ZodType; options?: z.ZodType[]; valueType?: z.ZodType } }).def;
    switch (def.type) {
      case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'nonoptional': case 'catch':
        return value !== undefined && value !== null && def.innerType ? this.validateNested(def.innerType, value, path, issues, source) : value;
      case 'pipe':
        return def.in ? this.validateNested(def.in, value, path, issues, source) : value;
      case 'array':
        return Array.isArray(value) && def.element ? value.map((v, i) => this.validateNested(def.element!, v, `${path}[${i}]`, issues, source)) : value;
      case 'union': {
        // recurse into the branch the (already parsed) value belongs to, e.g. `downstream: false | { data: <simulator> }`
        const branch = (def.options ?? []).find((o) => o.safeParse(value).success);
        return branch ? this.validateNested(branch, value, path, issues, source) : value;
      }
      case 'record':
        if (value && typeof value === 'object' && !Array.isArray(value) && def.valueType) {
          const out = { ...(value as Record<string, unknown>) };
          for (const k of Object.keys(out)) out[k] = this.validateNested(def.valueType, out[k], join(path, k), issues, source);
          return out;
        }
        return value;
      case 'object':
        if (value && typeof value === 'object' && def.shape) {
          const out = { ...(value as Record<string, unknown>) };
          for (const [k, s] of Object.entries(def.shape)) {
            if (out[k] !== undefined) out[k] = this.validateNested(s, out[k], join(path, k), issues, source);
          }
          return out;
        }
        return value;
      default:
        return value;
    }
  }

  private unknownMessage(kind: ComponentKind, name: string, path?: string): string {
    const where = path ? `${path}: ` : '';
    if (!this.kinds.has(kind)) return `${where}unknown component kind "${kind}"; kinds: ${this.kindNames().join(', ')}`;
    const names = [...(this.byKind.get(kind)?.keys() ?? [])].sort();
    const ns = name.includes('/') ? name.slice(0, name.indexOf('/')) : undefined;
    if (ns && !this.namespaces().has(ns)) {
      return `${where}unknown ${kind} "${name}": no plugin named "${ns}" is loaded; add it under plugins: in the config ` +
        `(e.g. plugins: [./path/to/plugin.ts] or a package name). Loaded plugins: ${this.pluginNames().join(', ') || 'none'}`;
    }
    const near = closestMatches(name, names);
    const others = [...this.byKind.entries()].filter(([k, m]) => k !== kind && m.has(name)).map(([k]) => k);
    return `${where}unknown ${kind} "${name}". ` +
      (near.length ? `Did you mean ${near.map((n) => `"${n}"`).join(' or ')}? ` : '') +
      (others.length ? `("${name}" is registered as ${others.map(article).join(', ')}, not ${article(kind)}.) ` : '') +
      (names.length ? `Registered ${pluralOf(kind)}: ${names.join(', ')}` : `No ${kind} is registered (is its plugin loaded?)`);
  }

  /** Plugin names and the namespaces (`lensing` of `lensing/strong-lens`) of every registered name. */
  private namespaces(): Set<string> {
    const out = new Set(this.plugins.keys());
    for (const m of this.byKind.values()) for (const n of m.keys()) out.add(n.slice(0, n.indexOf('/')));
    return out;
  }

  private toRegistration(target: Constructor, plugin: string, index: number, file?: string): RegisteredComponent {
    const info = typeof target === 'function' ? componentInfo(target) : undefined;
    const where = `plugin "${plugin}"${file ? ` (${file})` : ''}`;
    if (!info) {
      const label = typeof target === 'function' ? target.name : show(target);
      throw new RegistryError(`${where}: components[${index}] (${label}) is not decorated with @component({...})` +
        (typeof target === 'function' ? '; if its source has @component, another copy of lensforge decorated it: make lensforge a peerDependency of the plugin package and run `npm dedupe`' : ''));
    }
    const origin = componentOrigin(target);
    if (origin !== LENSFORGE_COPY) {
      throw new RegistryError(`${where}: component "${info.name}" (${target.name}) was decorated by another copy of lensforge ` +
        `(${origin ?? 'an unknown location'}), not the running one (${LENSFORGE_COPY}); this lensforge's tsyringe container cannot build it ` +
        '(it would fail later with "TypeInfo not known"). The plugin must import lensforge, tsyringe and reflect-metadata from the running lensforge only: ' +
        'make lensforge a peerDependency of the plugin package (not a dependency), remove the plugin\'s own node_modules/lensforge, ' +
        'and run `npm dedupe` in the project that installs both');
    }
    if (!this.kinds.has(info.kind)) {
      throw new RegistryError(`plugin "${plugin}": component "${info.name}" has unknown kind "${info.kind}"; kinds: ${this.kindNames().join(', ')} (declare new kinds in the manifest's "kinds")`);
    }
    return { kind: info.kind, name: info.name, description: info.description, options: info.options, target, plugin, estimateBytes: info.estimateBytes };
  }

  private checkFree(r: RegisteredComponent): void {
    const prev = this.byKind.get(r.kind)?.get(r.name);
    if (prev) {
      throw new RegistryError(`duplicate ${r.kind} "${r.name}": registered by plugin "${prev.plugin}" (${prev.target.name}) and again by plugin "${r.plugin}" (${r.target.name})`);
    }
  }

  private insert(r: RegisteredComponent): void {
    let m = this.byKind.get(r.kind);
    if (!m) { m = new Map(); this.byKind.set(r.kind, m); }
    m.set(r.name, r);
  }
}

/** `losses`, `analyses`, `encoders`. */
export function pluralOf(kind: string): string {
  return /(s|sh|ch|x)$/.test(kind) ? `${kind}es` : /[^aeiou]y$/.test(kind) ? `${kind.slice(0, -1)}ies` : kind.endsWith('is') ? `${kind.slice(0, -2)}es` : `${kind}s`;
}

function article(word: string): string { return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`; }

function join(path: string, key: string): string {
  if (!key) return path;
  return path ? `${path}.${key}` : key;
}

function strictIfObject(schema: z.ZodType): z.ZodType {
  const s = schema as unknown as { def: { type: string; catchall?: unknown }; strict?: () => z.ZodType };
  if (s.def.type === 'object' && s.def.catchall === undefined && typeof s.strict === 'function') return s.strict();
  return schema;
}

export { show };

/** A zod issue as `expected ..., got ...` (the first flattened message; see `flattenZodIssues`). */
export function zodMessage(iss: z.core.$ZodIssue, input: unknown, schema?: z.ZodType): string {
  const flat = flattenZodIssues([iss], input, schema);
  return flat.map((f, i) => (i === 0 || !f.path.length ? f.message : `${f.path.map(String).join('.')}: ${f.message}`)).join('; ');
}

/** zod issues as config issues under `prefix` (unions flattened to the failing branch, did-you-mean for unknown options). */
export function zodConfigIssues(error: { issues: readonly z.core.$ZodIssue[] }, input: unknown, schema: z.ZodType | undefined, prefix: string, source?: string): ConfigIssue[] {
  return flattenZodIssues(error.issues, input, schema).map((f) => ({ path: join(prefix, f.path.map(String).join('.')), message: f.message, source }));
}
