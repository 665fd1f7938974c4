import type { Logger } from './logger.js';
import type { ProgressReporter } from './progress.js';
import type { RunDir } from '../io/run-dir.js';
import type { Rng } from '../tensor/rng.js';
import type { BackendSelection } from '../tensor/backend.js';
import type { ComponentFactory } from '../registry/component-factory.js';
import type { Registry } from '../registry/registry.js';
import { token, type Token } from './token.js';

/**
 * A component's parsed options (its zod schema's output). Typed by the constructor parameter
 * that receives them (`OptionsOf<typeof MyOptions>`): the token itself cannot know the schema.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ComponentOptions = any;

/**
 * Injection tokens for the services a component may ask for in its constructor, each a
 * `Token<T>` carrying the type it provides:
 *   constructor(@inject(TOKENS.Options) opts: MyOptions, @inject(TOKENS.Rng) rng: Rng) {}
 * With lensforge's `inject` the compiler checks the parameter accepts that type, and
 * `container.resolve(TOKENS.Logger)` is a `Logger` (see core/di/token.ts).
 */
export const TOKENS = {
  /** The component's parsed options (its zod schema's output). */
  Options: token<ComponentOptions>('Options'),
  /** The component's own seeded Rng stream, derived from the run seed and its config path. */
  Rng: token<Rng>('Rng'),
  /**
   * The config path the component was built from (`model.encoder`, `model.method.forward`).
   * Provided for every component the factory builds; name the paths of nested specs and
   * errors from it (`${path}.downstream.data`) rather than writing `'model.method…'`.
   */
  ComponentPath: token<string>('ComponentPath'),
  /** The selected tensor backend (`BackendSelection`), when running an experiment. */
  Backend: token<BackendSelection>('Backend'),
  /** A `Logger`. */
  Logger: token<Logger>('Logger'),
  /** The run directory (`RunDir`), when running an experiment. */
  RunDir: token<RunDir>('RunDir'),
  /** A `ProgressReporter`. */
  Progress: token<ProgressReporter>('Progress'),
  /** The `ComponentFactory`, for components that build other components by name. */
  Factory: token<ComponentFactory>('Factory'),
  /** The `Registry`. */
  Registry: token<Registry>('Registry'),
  /** The folder of the experiment file: relative data paths start here (string). */
  BaseDir: token<string>('BaseDir'),
} as const;

/** The type each core token provides: `ServiceOf<'Logger'>` is `Logger`. */
export type ServiceOf<K extends keyof typeof TOKENS> = typeof TOKENS[K] extends Token<infer T> ? T : never;
