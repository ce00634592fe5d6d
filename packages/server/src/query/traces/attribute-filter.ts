import type { AttributeValue } from '../../model/attributes.ts';
import type { AttributeFilter, AttributeOp, AttributeScope } from '../../storage/store.ts';
import { InvalidParameterError } from './invalid-parameter-error.ts';

// Longest operators first so `!=` is not read as `!` + `=`, nor `>=` as `>`.
const OPERATORS: readonly AttributeOp[] = ['!=', '>=', '<=', '=~', '!~', '=', '>', '<'];
const OPERATOR_START = /[=!<>]/;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?$/;
const MAX_FILTER_LENGTH = 1024;
const EXPECTED = 'key=value, key!=value, key>10, key>=10, key<10, key<=10, key=~regex or key!~regex';

/**
 * Parses one `attr` search parameter: `key<op>value` with op one of = != > >= < <= =~ !~.
 * The key may be prefixed with `resource.` (a resource attribute) or `span.` (a span attribute,
 * the default; the prefix lets a span key itself start with "resource.").
 *
 * Values of `=`/`!=` are typed the way they were written, since the store compares by type:
 * true/false → bool, an integer → int, a decimal → double, "double-quoted" → string (forces a
 * string, e.g. `user.id="123"`), anything else → string. Comparisons take a number; regex
 * operators take an RE2 regular expression that must match the whole value (anchored, as PromQL's
 * `=~`), checked here so a bad one is a 400, not a store error.
 * Errors give the parameter's position and the character offset, never its text.
 *
 * @example
 * parseAttributeFilter('resource.host.name=gpu-1', 'attr[0]');
 * // { scope: 'resource', key: 'host.name', op: '=', value: 'gpu-1' }
 */
export function parseAttributeFilter(text: string, parameter: string): AttributeFilter {
  if (text.length > MAX_FILTER_LENGTH)
    throw new InvalidParameterError(parameter, `at most ${MAX_FILTER_LENGTH} characters`);
  const opIndex = text.search(OPERATOR_START);
  if (opIndex <= 0) throw new InvalidParameterError(parameter, `a key followed by an operator: ${EXPECTED}`);
  const op = OPERATORS.find((candidate) => text.startsWith(candidate, opIndex));
  if (op === undefined)
    throw new InvalidParameterError(parameter, `a known operator at offset ${opIndex}: ${EXPECTED}`);
  const { scope, key } = splitScope(text.slice(0, opIndex).trim());
  if (key === '') throw new InvalidParameterError(parameter, 'a non-empty attribute key');
  const rawValue = text.slice(opIndex + op.length).trim();
  return { scope, key, op, value: parseFilterValue(op, rawValue, parameter) };
}

function splitScope(qualifiedKey: string): { scope: AttributeScope; key: string } {
  if (qualifiedKey.startsWith('resource.'))
    return { scope: 'resource', key: qualifiedKey.slice('resource.'.length) };
  if (qualifiedKey.startsWith('span.')) return { scope: 'span', key: qualifiedKey.slice('span.'.length) };
  return { scope: 'span', key: qualifiedKey };
}

function parseFilterValue(op: AttributeOp, rawValue: string, parameter: string): AttributeValue {
  switch (op) {
    case '=~':
    case '!~':
      return requireRegex(rawValue, parameter);
    case '>':
    case '>=':
    case '<':
    case '<=':
      return requireNumber(rawValue, parameter);
    default:
      return inferTypedValue(rawValue);
  }
}

// RE2 (DuckDB's regex engine, as in PromQL) has no lookaround or backreferences.
const NOT_RE2 = /\(\?<?[=!]|\\[1-9]/;

function requireRegex(pattern: string, parameter: string): string {
  const expectation = 'a valid RE2 regular expression (no lookaround or backreferences) after =~ or !~';
  if (NOT_RE2.test(pattern)) throw new InvalidParameterError(parameter, expectation);
  try {
    new RegExp(pattern);
  } catch {
    throw new InvalidParameterError(parameter, expectation);
  }
  return pattern;
}

function requireNumber(text: string, parameter: string): bigint | number {
  if (INTEGER.test(text)) return BigInt(text);
  if (DECIMAL.test(text)) return Number(text);
  throw new InvalidParameterError(parameter, 'a number after >, >=, < or <=');
}

/** The typed value of `key=value` as written (see {@link parseAttributeFilter}). */
export function inferTypedValue(text: string): AttributeValue {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return unquote(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (INTEGER.test(text)) {
    const value = BigInt(text);
    // Outside int64 it cannot be an int attribute; keep it as text.
    if (value >= -(2n ** 63n) && value < 2n ** 63n) return value;
    return text;
  }
  if (DECIMAL.test(text)) return Number(text);
  return text;
}

function unquote(quoted: string): string {
  try {
    const parsed: unknown = JSON.parse(quoted);
    if (typeof parsed === 'string') return parsed;
  } catch {
    // Not valid JSON escapes: take the characters between the quotes literally.
  }
  return quoted.slice(1, -1);
}
