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
 * what they are about, and caught by class elsewhere: ConfigError, DivergenceError ...) and
 * errors already attributed to a component further in.
 */
function keepsOwnMessage(e: unknown): boolean {
  return e instanceof LensforgeError;
}

/** Wrap `e`, thrown by the constructor of `component` at `path`, unless it is a ConfigError (kept as is). */
export function constructorError(component: RegisteredComponent, path: string, e: unknown): Error {
  if (e instanceof ConfigError || e instanceof ComponentError) return e;
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
    throw keepsOwnMessage(e) ? e : new ComponentError(component, path, `${name}()`, e);
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
