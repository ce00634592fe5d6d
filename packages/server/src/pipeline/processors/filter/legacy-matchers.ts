/**
 * The building blocks of the legacy include/exclude settings (internal/filter/filterset and
 * filtermatcher in the Collector contrib repository): string sets matched `strict` (equality) or
 * `regexp` (RE2, unanchored like Go's MatchString), and attribute lists where every listed key must
 * be present and match.
 */
import type { AttributeValue, Attributes } from '../../../model/attributes.ts';
import { re2SearchRegExp } from '../../../model/re2-regex.ts';
import type { SettingsReader } from '../../graph/settings-reader.ts';

export type MatchType = 'strict' | 'regexp';

/** Reads `match_type`; upstream refuses anything but strict and regexp (and expr, for metrics). */
export function readMatchType(
  reader: SettingsReader,
  allowed: readonly string[] = ['strict', 'regexp'],
): string {
  const value = reader.string('match_type', '');
  if (!allowed.includes(value)) {
    throw reader.error(
      `unrecognized match_type: '${value}', valid types are: [${allowed.join(' ')}]`,
      'match_type',
    );
  }
  return value;
}

/** A set of strings or patterns; true when the text matches any. */
export function stringMatcher(
  matchType: MatchType,
  patterns: readonly string[],
  reader: SettingsReader,
  key: string,
): (text: string) => boolean {
  if (matchType === 'strict') {
    const set = new Set(patterns);
    return (text) => set.has(text);
  }
  const regexes = patterns.map((pattern) => compileRegex(pattern, reader, key));
  return (text) => regexes.some((regex) => regex.test(text));
}

function compileRegex(pattern: string, reader: SettingsReader, key: string): RegExp {
  try {
    return re2SearchRegExp(pattern);
  } catch {
    throw reader.error(`error parsing regexp: ${JSON.stringify(pattern)}`, key);
  }
}

type AttributeCheck = (value: AttributeValue) => boolean;

/**
 * `attributes: [{key, value}]`: every key must be present; with a value, strict compares type and
 * value, regexp matches the value's text (strings, bools, ints and doubles only), as
 * filtermatcher.AttributesMatcher does. Returns undefined when the list is empty (no criterion).
 */
export function attributesMatcher(
  matchType: MatchType,
  reader: SettingsReader,
  key: string,
): ((attributes: Attributes) => boolean) | undefined {
  const entries = reader.list(key).map((entry) => {
    entry.allowOnly(['key', 'value']);
    const name = entry.string('key', '');
    if (name === '') throw entry.error(`can't have empty key in the list of attributes`, 'key');
    return { name, check: valueCheck(matchType, entry) };
  });
  if (entries.length === 0) return undefined;
  return (attributes) =>
    entries.every(({ name, check }) => {
      const value = attributes[name];
      return value !== undefined && (check === undefined || check(value));
    });
}

function valueCheck(matchType: MatchType, entry: SettingsReader): AttributeCheck | undefined {
  if (!entry.has('value')) return undefined;
  const expected = entry.raw('value');
  if (matchType === 'regexp') {
    if (typeof expected !== 'string') {
      throw entry.error(`match_type=regexp for "${entry.string('key', '')}" only supports Str`, 'value');
    }
    const regex = compileRegex(expected, entry, 'value');
    return (value) => {
      const text = attributeString(value);
      return text !== undefined && regex.test(text);
    };
  }
  const wanted = yamlToAttribute(expected, entry);
  return (value) => typeof value === typeof wanted && value === wanted;
}

/** A YAML scalar as pcommon.Value.FromRaw types it: whole numbers are ints. */
function yamlToAttribute(value: unknown, entry: SettingsReader): string | boolean | bigint | number {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  throw entry.error('Vigil matches only string, bool, int and double attribute values', 'value');
}

function attributeString(value: AttributeValue): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint' || typeof value === 'number')
    return String(value);
  return undefined;
}

/** Legacy include/exclude as one drop predicate: include keeps only matches, exclude drops matches. */
export function includeExclude<T>(
  include: ((record: T) => boolean) | undefined,
  exclude: ((record: T) => boolean) | undefined,
): ((record: T) => boolean) | undefined {
  if (include === undefined && exclude === undefined) return undefined;
  return (record) =>
    (include !== undefined && !include(record)) || (exclude !== undefined && exclude(record));
}

/**
 * Every defined criterion must hold (the MatchProperties AND rule); undefined when none is defined,
 * so an empty include/exclude is ignored rather than matching everything.
 */
export function allCriteria<T>(
  criteria: readonly (((record: T) => boolean) | undefined)[],
): ((record: T) => boolean) | undefined {
  const defined = criteria.filter((c): c is (record: T) => boolean => c !== undefined);
  if (defined.length === 0) return undefined;
  return (record) => defined.every((criterion) => criterion(record));
}
