import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { attributeErrors, constructorError } from './component-error.js';
import { TOKENS } from '../di/tokens.js';
import { provide } from '../di/token.js';
import type { Rng } from '../tensor/rng.js';
import type { ComponentKind } from './component.js';
import type { Registry, ResolvedSpec } from './registry.js';

/**
 * Builds components from validated specs. Each component gets a child container holding its
 * options, its config path and its own Rng stream (derived from the run seed and the path, so
 * adding a component never changes another one's draws); shared services come from the parent.
 */
export class ComponentFactory {
  constructor(
    readonly registry: Registry,
    readonly rootRng: Rng,
    readonly container: DependencyContainer = rootContainer.createChildContainer(),
  ) {
    provide(this.container, TOKENS.Factory, this);
    provide(this.container, TOKENS.Registry, registry);
  }

  /**
   * Build a validated component. An error its constructor throws, or one of its methods throws
   * later, is reported naming the component, its config path and its plugin (see ComponentError).
   */
  build<T>(spec: ResolvedSpec): T {
    const child = this.container.createChildContainer();
    provide(child, TOKENS.Options, spec.options);
    provide(child, TOKENS.ComponentPath, spec.path);
    provide(child, TOKENS.Rng, this.rootRng.derive(`component:${spec.path}`));
    let instance: T;
    try {
      instance = child.resolve(spec.component.target) as T;
    } catch (e) {
      throw constructorError(spec.component, spec.path, e);
    }
    return instance && typeof instance === 'object' ? attributeErrors(instance, spec.component, spec.path) : instance;
  }

  /**
   * Validate and build `value` (a name or `{use, ...options}`) as a component of `kind`. `path`
   * is where the spec sits in the config; a component building a nested one derives it from its
   * own injected `TOKENS.ComponentPath` (`${path}.forward`), and the nested one is given it.
   */
  create<T>(kind: ComponentKind, value: unknown, path: string): T {
    return this.build<T>(this.registry.resolve(kind, value, path));
  }
}
