import { ConfigError, LensforgeError } from '../errors.js';
import type { RegisteredComponent } from './registry.js';

/**
 * An error raised inside a component (its constructor or one of its methods) that was not a
 * LensforgeError already: reported with the component (`simulator example/blobs`), its config
 * path (`data`, `model.encoder`), its plugin and manifest file, and the original message; the
 * original error stays as `cause` (its stack is printed by `lensforge --debug`).
 */
export class ComponentError extends LensforgeError {
  constructor(
    readonly component: Pick<RegisteredComponent, 'kind' | 'name' | 'plugin' | 'pluginFile'>,
    readonly path: string,
    /** `constructor` or the method called, e.g. `sample()`. */
    readonly during: string,
    cause: unknown,
  ) {
    super(`${path}: ${component.kind} ${component.name} (plugin "${component.plugin}"${component.pluginFile ? `, ${component.pluginFile}` : ''}) ` +
      `failed in ${during}: ${causeMessage(cause)}`, { cause });
  }
}

function causeMessage(e: unknown): string {
  // the class of a plain JavaScript error (TypeError, RangeError) helps; lensforge's own do not need it
  if (e instanceof LensforgeError) return e.message;
  if (e instanceof Error) return e.message ? `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}` : e.name;
  return String(e);
}

/**
 * Errors that pass through a component's boundary unchanged: lensforge errors (already naming
 * what they are about, and caught by class elsewhere: ConfigError, DivergenceError ...; this
 * includes errors already attributed to a component further in) and errors whose message starts
 * with a config path (`train.trainSize: ...`).
 */
function keepsOwnMessage(e: unknown, path: string): boolean {
  return e instanceof LensforgeError || namesOwnPath(e, path);
}

/**
 * A plain Error whose message already starts with the component's config path or another dotted
 * config path (`model.method.switchLoss.to: expected a gan loss ...`, `train.trainSize: ...`):
 * the component reports bad input in the project's convention itself; kept as is.
 */
function namesOwnPath(e: unknown, path: string): boolean {
  if (!(e instanceof Error)) return false;
  if (path && e.message.startsWith(path) && /^[.:[]/.test(e.message.slice(path.length))) return true;
  return /^[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])+: /.test(e.message);
}

/** Wrap `e`, thrown by the constructor of `component` at `path`, unless it is a ConfigError or names its own path (kept as is). */
export function constructorError(component: RegisteredComponent, path: string, e: unknown): Error {
  if (e instanceof ConfigError || e instanceof ComponentError || (e instanceof Error && namesOwnPath(e, path))) return e;
  return new ComponentError(component, path, 'its constructor', e);
}

/**
 * The component instance seen through a proxy whose methods report an error they throw (or a
 * promise they reject with) as a ComponentError naming the component; lensforge errors pass
 * unchanged. Methods run on the instance itself (`this` is the real object), and property reads
 * and `instanceof` behave as on the instance.
 */
export function attributeErrors<T extends object>(instance: T, component: RegisteredComponent, path: string): T {
  const wrapped = new Map<PropertyKey, { fn: (...a: unknown[]) => unknown; w: (...a: unknown[]) => unknown }>();
  const rethrow = (name: string, e: unknown): never => {
    throw keepsOwnMessage(e, path) ? e : new ComponentError(component, path, `${name}()`, e);
  };
  return new Proxy(instance, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string' || key === 'constructor') return value;
      const fn = value as (...a: unknown[]) => unknown;
      const cached = wrapped.get(key);
      if (cached && cached.fn === fn) return cached.w;
      const w = function (this: unknown, ...args: unknown[]): unknown {
        let r: unknown;
        try {
          r = fn.apply(this === receiver ? target : this, args);
        } catch (e) {
          return rethrow(key, e);
        }
        if (r instanceof Promise) return r.catch((e: unknown) => rethrow(key, e));
        return r;
      };
      wrapped.set(key, { fn, w });
      return w;
    },
  });
}
