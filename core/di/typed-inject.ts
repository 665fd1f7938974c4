import { inject as tsyringeInject, type InjectionToken } from 'tsyringe';
import type { Token } from './token.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyConstructor = abstract new (...args: any[]) => unknown;

/** The parameter type at `I` of constructor `C`. */
type ParameterAt<C extends AnyConstructor, I extends number> = ConstructorParameters<C>[I];

/**
 * `unknown` when a value of the token's type `T` fits parameter `I` of `C`; otherwise an object
 * type whose (missing) key is the compiler's error message, naming both types.
 */
export type InjectCheck<C extends AnyConstructor, I extends number, T> = [T] extends [ParameterAt<C, I>]
  ? unknown
  : { 'inject(): the token provides a type that does not fit this constructor parameter': { provides: T; parameter: ParameterAt<C, I> } };

/** A constructor-parameter decorator that the compiler checks against the parameter's type. */
export type TypedParameterDecorator<T> = <C extends AnyConstructor, I extends number>(
  target: C & InjectCheck<C, I, T>, propertyKey: string | symbol | undefined, parameterIndex: I) => void;

/**
 * tsyringe's `@inject`, checked: with a lensforge `Token<T>` the decorated constructor parameter
 * must accept a `T` (`@inject(TOKENS.Logger) rng: Rng` does not compile); any other tsyringe
 * token (a class, a string, a bare symbol) is passed through unchecked, as tsyringe does.
 */
export function inject<T>(token: Token<T>, options?: { isOptional?: boolean }): TypedParameterDecorator<T>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function inject(token: InjectionToken<any>, options?: { isOptional?: boolean }): (target: any, propertyKey: string | symbol | undefined, parameterIndex: number) => any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function inject(token: InjectionToken<any>, options?: { isOptional?: boolean }): (target: any, propertyKey: string | symbol | undefined, parameterIndex: number) => any {
  return options ? tsyringeInject(token, options) : tsyringeInject(token);
}
