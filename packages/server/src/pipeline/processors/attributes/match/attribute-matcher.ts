import type { AttributeValue, Attributes } from '../../../../model/attributes.ts';
import { attributeType } from '../../../../model/attributes.ts';
import type { SettingsReader } from '../../../graph/settings-reader.ts';
import { configAttributeValue } from '../config-value.ts';
import { goPlainFloat } from '../value-text.ts';
import { createStringFilter, unrecognizedMatchType, type FilterSetConfig } from './string-filter.ts';

/** One `{key, value}` of `attributes`/`resources`: the key must be present, and the value match if given. */
export interface AttributeCondition {
  key: string;
  valueMatches: ((value: AttributeValue) => boolean) | undefined;
}

/**
 * Reads an `attributes`/`resources` list as filtermatcher.NewAttributesMatcher does
 * (internal/filter/filtermatcher/attributematcher.go): strict values compare type and value, regexp
 * values must be strings and are matched against the attribute's text.
 */
export function parseAttributeConditions(items: readonly SettingsReader[], config: FilterSetConfig): AttributeCondition[] {
  return items.map((item) => {
    item.allowOnly(['key', 'value']);
    const key = item.string('key', '');
    if (key === '') throw item.error("can't have empty key in the list of attributes", 'key');
    if (!item.has('value')) return { key, valueMatches: undefined };
    const expected = configAttributeValue(item.raw('value'), item.at('value'));
    return { key, valueMatches: valueMatcher(expected, config, item) };
  });
}

function valueMatcher(expected: AttributeValue, config: FilterSetConfig, item: SettingsReader): (value: AttributeValue) => boolean {
  switch (config.matchType) {
    case 'regexp': {
      if (typeof expected !== 'string') {
        const found = GO_TYPE_NAMES[attributeType(expected)];
        throw item.error(`match_type=regexp for "${item.string('key', '')}" only supports Str, but found ${found}`, 'value');
      }
      const filter = createStringFilter([expected], config, item.at('value'));
      return (value) => {
        const text = matchableText(value);
        return text !== undefined && filter.matches(text);
      };
    }
    case 'strict':
      return (value) => sameValue(expected, value);
    default:
      throw unrecognizedMatchType(config);
  }
}

/** pdata's type names, as upstream's error prints them. */
const GO_TYPE_NAMES: Readonly<Record<ReturnType<typeof attributeType>, string>> = {
  string: 'Str', bool: 'Bool', int: 'Int', double: 'Double', bytes: 'Bytes', array: 'Slice', kvlist: 'Map', empty: 'Empty',
};

/**
 * Every condition must hold (upstream's AttributesMatcher.Match). With conditions, a record without
 * attributes never matches.
 */
export function matchAttributes(conditions: readonly AttributeCondition[], attributes: Attributes): boolean {
  for (const condition of conditions) {
    if (!Object.hasOwn(attributes, condition.key)) return false;
    if (condition.valueMatches && !condition.valueMatches(attributes[condition.key] ?? null)) return false;
  }
  return true;
}

/** attributeStringValue: only scalars can be matched by a regexp. */
function matchableText(value: AttributeValue): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'number':
      return goPlainFloat(value);
    default:
      return undefined;
  }
}

/** Same OTLP type and equal value; composite values compare deeply (upstream compares value hashes). */
export function sameValue(left: AttributeValue, right: AttributeValue): boolean {
  if (attributeType(left) !== attributeType(right)) return false;
  if (left === null || typeof left !== 'object' || right === null || typeof right !== 'object') return left === right;
  if (left instanceof Uint8Array && right instanceof Uint8Array) return Buffer.from(left).equals(right);
  if (Array.isArray(left) && Array.isArray(right))
    return left.length === right.length && left.every((item, index) => sameValue(item, right[index] ?? null));
  if (left instanceof Map && right instanceof Map) {
    if (left.size !== right.size) return false;
    for (const [key, item] of left) if (!right.has(key) || !sameValue(item, right.get(key) ?? null)) return false;
    return true;
  }
  return false;
}
