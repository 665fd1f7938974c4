/**
 * Compile-time checks of the token/type pairing, compiled with the project (`npx tsc -p .`).
 * Each `@ts-expect-error` line must be an error: if a token lost its type (a bare symbol, or
 * `Token<any>`), the line would compile, the directive would be unused, and the build would fail.
 * tokens.test.ts builds `TypedTokensProbe` through the factory to check the same at run time.
 */
import { container, type DependencyContainer } from 'tsyringe';
import { injectable } from 'tsyringe';
import type { Logger } from './logger.js';
import type { ProgressReporter } from './progress.js';
import type { RunDir } from '../io/run-dir.js';
import type { Rng } from '../tensor/rng.js';
import type { ComponentFactory } from '../registry/component-factory.js';
import type { Registry } from '../registry/registry.js';
import type { BackendSelection } from '../tensor/backend.js';
import { TOKENS, type ServiceOf } from './tokens.js';
import { binding, provide, resolveOptional, type Token, type TokenType } from './token.js';
import { inject } from './typed-inject.js';

type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends (<X>() => X extends B ? 1 : 2) ? true : false;
function assertType<T extends true>(): T | undefined { return undefined; }

// each core token provides exactly its service type
assertType<Equal<TokenType<typeof TOKENS.Logger>, Logger>>();
assertType<Equal<TokenType<typeof TOKENS.Rng>, Rng>>();
assertType<Equal<TokenType<typeof TOKENS.ComponentPath>, string>>();
assertType<Equal<TokenType<typeof TOKENS.BaseDir>, string>>();
assertType<Equal<TokenType<typeof TOKENS.RunDir>, RunDir>>();
assertType<Equal<TokenType<typeof TOKENS.Progress>, ProgressReporter>>();
assertType<Equal<TokenType<typeof TOKENS.Factory>, ComponentFactory>>();
assertType<Equal<TokenType<typeof TOKENS.Registry>, Registry>>();
assertType<Equal<TokenType<typeof TOKENS.Backend>, BackendSelection>>();
assertType<Equal<ServiceOf<'Logger'>, Logger>>();

/** A component asking for typed services; every parameter matches its token. */
@injectable()
export class TypedTokensProbe {
  constructor(
    @inject(TOKENS.Options) readonly options: { size: number },
    @inject(TOKENS.ComponentPath) readonly path: string,
    @inject(TOKENS.Rng) readonly rng: Rng,
    @inject(TOKENS.Factory) readonly factory: ComponentFactory,
    @inject(TOKENS.Logger, { isOptional: true }) readonly logger?: Logger,
  ) {}
}

export class WrongInjections {
  constructor(
    // @ts-expect-error a Logger does not fit an Rng parameter
    @inject(TOKENS.Logger) readonly rng: Rng,
    // @ts-expect-error a string (the config path) does not fit a number parameter
    @inject(TOKENS.ComponentPath) readonly count: number,
    // a wider parameter accepts the token's type
    @inject(TOKENS.BaseDir) readonly dir: string | undefined,
  ) {}
}

export function resolvedTypes(c: DependencyContainer = container): void {
  const logger: Logger = c.resolve(TOKENS.Logger);
  const path: string = c.resolve(TOKENS.ComponentPath);
  // @ts-expect-error resolve(TOKENS.Logger) is a Logger, not a number
  const wrong: number = c.resolve(TOKENS.Logger);
  const maybe: string | undefined = resolveOptional(c, TOKENS.BaseDir);
  // @ts-expect-error resolveOptional may be undefined
  const sure: string = resolveOptional(c, TOKENS.BaseDir);
  void [logger, path, wrong, maybe, sure];
}

export function providedTypes(c: DependencyContainer, logger: Logger, rng: Rng): void {
  provide(c, TOKENS.Logger, logger);
  provide(c, TOKENS.Rng, rng);
  // @ts-expect-error a string is not an Rng
  provide(c, TOKENS.Rng, 'seed');
  // @ts-expect-error the config path is a string
  provide(c, TOKENS.ComponentPath, 3);
  binding(TOKENS.Logger, logger);
  // @ts-expect-error an Rng is not a Logger
  binding(TOKENS.Logger, rng);
}

export function tokenBrand(): void {
  // @ts-expect-error a bare symbol is not a typed token
  const bare: Token<Logger> = Symbol('logger');
  // @ts-expect-error a Logger token is not an Rng token
  const other: Token<Rng> = TOKENS.Logger;
  void [bare, other];
}
