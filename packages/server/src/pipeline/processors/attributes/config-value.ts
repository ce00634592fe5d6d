import type { AttributeValue } from '../../../model/attributes.ts';
import { SettingsError } from '../../graph/component.ts';

type KeyPath = readonly (string | number)[];

/**
 * A `value:` from the YAML as an OTLP-typed attribute value, as pdata's `Value.FromRaw` types the
 * Go value the Collector's YAML decoder produced: strings, bools, ints (→ bigint), floats (→ number),
 * lists (→ array) and mappings (→ kvlist). Whole numbers are taken as ints because that is what
 * YAML `123` is; a YAML parser that delivers ints as bigint is honoured too.
 *
 * @example
 * configAttributeValue(2245, ['value']); // 2245n
 */
export function configAttributeValue(raw: unknown, keyPath: KeyPath): AttributeValue {
  if (raw === null || raw === undefined) return null;
  switch (typeof raw) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return raw;
    case 'number':
      return Number.isInteger(raw) ? BigInt(raw) : raw;
    default:
      break;
  }
  if (raw instanceof Uint8Array) return raw;
  if (Array.isArray(raw)) return raw.map((item: unknown, index) => configAttributeValue(item, [...keyPath, index]));
  if (isPlainMapping(raw)) {
    const map = new Map<string, AttributeValue>();
    for (const [key, item] of Object.entries(raw)) map.set(key, configAttributeValue(item, [...keyPath, key]));
    return map;
  }
  throw new SettingsError('unsupported value type', keyPath);
}

function isPlainMapping(raw: object): raw is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(raw);
  return proto === Object.prototype || proto === null;
}
