import 'reflect-metadata';
import type { DependencyContainer } from 'tsyringe';

declare const tokenType: unique symbol;

/**
 * A tsyringe injection token (a plain symbol at run time) that carries, for the compiler, the
 * type of the value it stands for. The brand is invariant in `T`, so a `Token<Logger>` is
 * neither a `Token<Rng>` nor a bare `symbol` that happens to be passed where a token is expected.
 */
export type Token<T> = symbol & { readonly [tokenType]: (value: T) => T };

/** The type a token stands for: `TokenType<typeof TOKENS.Logger>` is `Logger`. */
export type TokenType<K> = K extends Token<infer T> ? T : never;

/** A token for `T`, named `lensforge:<name>` in the global symbol registry (so copies agree). */
export function token<T>(name: string): Token<T> {
  return Symbol.for(`lensforge:${name}`) as Token<T>;
}

/** A value for a token, checked against the token's type: `binding(TOKENS.Logger, logger)`. */
export interface ServiceBinding<T = unknown> {
  token: Token<T>;
  value: T;
}

export function binding<T>(token: Token<T>, value: T): ServiceBinding<T> {
  return { token, value };
}

/** Register `value` for `token` in `container`; the value must have the token's type. */
export function provide<T>(container: DependencyContainer, token: Token<T>, value: T): void {
  container.register(token, { useValue: value });
}

/**
 * Any binding, whatever its token's type (a list of services to register). Make each with
 * `binding(token, value)`, which checks the value against the token.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyServiceBinding = ServiceBinding<any>;

/** Register every binding (`RunOptions.services`, tests swapping a service). */
export function provideAll(container: DependencyContainer, bindings: readonly AnyServiceBinding[]): void {
  for (const b of bindings) container.register(b.token, { useValue: b.value });
}

/** The value registered for `token` here or in a parent container, else undefined. */
export function resolveOptional<T>(container: DependencyContainer | undefined, token: Token<T>): T | undefined {
  return container && container.isRegistered(token, true) ? container.resolve(token) : undefined;
}

declare module 'tsyringe' {
  interface DependencyContainer {
    /** `container.resolve(TOKENS.Logger)` is a `Logger` (see core/di/token.ts). */
    resolve<T>(token: Token<T>): T;
  }
}
