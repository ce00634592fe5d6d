import type { GoType, GoValue } from './go-values.ts';

/**
 * A function or method a template can call, described the way reflect sees a Go func: fixed
 * parameter types, an optional variadic element type, and the call itself. A function with a
 * `(T, error)` result throws GoFuncError; text/template reports it as "error calling NAME: …".
 */
export interface GoFunc {
  readonly params: readonly GoType[];
  /** Element type of a trailing `...T` parameter. */
  readonly variadic?: GoType;
  readonly call: (args: GoValue[]) => GoValue;
}

/** The non-nil error a Go function returned (or the value a panicking function panicked with). */
export class GoFuncError extends Error {
  override name = 'GoFuncError';
}

/** Shorthand for a GoFunc. */
export function goFunc(
  params: readonly GoType[],
  call: (args: GoValue[]) => GoValue,
  variadic?: GoType,
): GoFunc {
  return variadic === undefined ? { params, call } : { params, variadic, call };
}

/** Go's message when a function dereferences a nil pointer (recovered by text/template's safeCall). */
export const NIL_POINTER_PANIC = 'runtime error: invalid memory address or nil pointer dereference';
