/**
 * Injection tokens for the services a component may ask for in its constructor:
 *   constructor(@inject(TOKENS.Options) opts: MyOptions, @inject(TOKENS.Rng) rng: Rng) {}
 */
export const TOKENS = {
  /** The component's parsed options (its zod schema's output). */
  Options: Symbol.for('lensforge:Options'),
  /** The component's own seeded Rng stream, derived from the run seed and its config path. */
  Rng: Symbol.for('lensforge:Rng'),
  /** The config path the component was built from (e.g. `model.encoder`). */
  ComponentPath: Symbol.for('lensforge:ComponentPath'),
  /** The selected tensor backend (`BackendService`). */
  Backend: Symbol.for('lensforge:Backend'),
  /** A `Logger`. */
  Logger: Symbol.for('lensforge:Logger'),
  /** The run directory (`RunDir`), when running an experiment. */
  RunDir: Symbol.for('lensforge:RunDir'),
  /** A `ProgressReporter`. */
  Progress: Symbol.for('lensforge:Progress'),
  /** The `ComponentFactory`, for components that build other components by name. */
  Factory: Symbol.for('lensforge:Factory'),
  /** The `Registry`. */
  Registry: Symbol.for('lensforge:Registry'),
  /** The folder of the experiment file: relative data paths start here (string). */
  BaseDir: Symbol.for('lensforge:BaseDir'),
} as const;
