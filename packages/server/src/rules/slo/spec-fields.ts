/** Field readers for SLO declarations: every error names the key path, so config and API errors say where. */
import { parseExpr } from '../../query/promql/parser.ts';
import { PromQLError } from '../../query/promql/errors.ts';
import { valueTypeOf, type Expr } from '../../query/promql/ast.ts';
import { isLegacyLabelName } from '../../model/prom-names.ts';

/**
 * An invalid SLO declaration. `keyPath` is where (`['vigil', 'slos', '0', 'objective']` for a config
 * entry), so the config loader can point at the YAML line; the message starts with the dotted path.
 */
export class SloSpecError extends Error {
  override readonly name = 'SloSpecError';
  constructor(
    readonly reason: string,
    readonly keyPath: readonly string[],
  ) {
    super(keyPath.length > 0 ? `${keyPath.join('.')}: ${reason}` : reason);
  }
}

export type Fields = Readonly<Record<string, unknown>>;

/**
 * A plain object with only the allowed keys (a typo like `objectve` is an error, not a default);
 * any keys when `allowed` is undefined.
 */
export function fieldsOf(value: unknown, at: readonly string[], allowed?: readonly string[]): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new SloSpecError('expected a mapping', at);
  const fields = value as Fields;
  for (const key of Object.keys(fields)) {
    if (allowed !== undefined && !allowed.includes(key))
      throw new SloSpecError(`unknown field (allowed: ${allowed.join(', ')})`, [...at, key]);
  }
  return fields;
}

export function optionalString(fields: Fields, key: string, at: readonly string[]): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw new SloSpecError('expected a non-empty string', [...at, key]);
  return value;
}

export function requiredString(fields: Fields, key: string, at: readonly string[]): string {
  const value = optionalString(fields, key, at);
  if (value === undefined) throw new SloSpecError('required', [...at, key]);
  return value;
}

export function requiredNumber(fields: Fields, key: string, at: readonly string[]): number {
  const value = fields[key];
  if (value === undefined || value === null) throw new SloSpecError('required', [...at, key]);
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number))
    throw new SloSpecError('expected a number', [...at, key]);
  return number;
}

/** A `name: value` mapping of Prometheus labels; `__`-prefixed names are reserved, as in Prometheus. */
export function labelMap(
  fields: Fields,
  key: string,
  at: readonly string[],
  reserved: readonly string[],
): Record<string, string> {
  const value = fields[key];
  if (value === undefined || value === null) return {};
  const entries = fieldsOf(value, [...at, key]);
  const labels: Record<string, string> = {};
  for (const [name, labelValue] of Object.entries(entries)) {
    const where = [...at, key, name];
    if (!isLegacyLabelName(name) || name.startsWith('__'))
      throw new SloSpecError('not a valid label name', where);
    if (reserved.includes(name)) throw new SloSpecError('set by the SLO itself; remove it', where);
    if (typeof labelValue !== 'string') throw new SloSpecError('expected a string', where);
    labels[name] = labelValue;
  }
  return labels;
}

/** Parses PromQL that must give an instant vector; the parser's message (with position) is kept. */
export function vectorExpr(query: string, at: readonly string[]): Expr {
  let expr: Expr;
  try {
    expr = parseExpr(query);
  } catch (error: unknown) {
    if (error instanceof PromQLError) throw new SloSpecError(`invalid PromQL: ${error.message}`, at);
    throw error;
  }
  const type = valueTypeOf(expr);
  if (type !== 'vector') throw new SloSpecError(`expected an instant-vector expression, got a ${type}`, at);
  return expr;
}
