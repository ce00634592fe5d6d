import type { AttributeValue, Attributes } from '../../model/attributes.ts';
import { newAttributes } from '../../model/attributes.ts';

/**
 * The compact typed encoding for values that have no typed map column (bytes, arrays, kvlists,
 * empty values) and for rare nested records (events, links, exemplars). It is JSON where the
 * OTLP type survives (docs/adr/0001-span-storage.md):
 *   string → "text"  bool → true/false  empty → null
 *   int    → ["i","123"] (decimal, exact int64)   double → ["d", 1.5] (non-finite as a string)
 *   bytes  → ["b","base64"]   array → ["a",[…]]   kvlist → ["k",[["key",…],…]]
 */
export type Tagged = string | boolean | null | [string, unknown];

export function encodeTagged(value: AttributeValue): Tagged {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return ['i', value.toString()];
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return ['d', '-0'];
    return ['d', Number.isFinite(value) ? value : String(value)];
  }
  if (value instanceof Uint8Array) return ['b', Buffer.from(value).toString('base64')];
  if (Array.isArray(value)) return ['a', value.map(encodeTagged)];
  return ['k', [...value].map(([k, v]) => [k, encodeTagged(v)])];
}

export function decodeTagged(json: unknown): AttributeValue {
  if (json === null || typeof json === 'string' || typeof json === 'boolean') return json;
  if (!Array.isArray(json) || json.length !== 2) throw new TypeError('corrupt tagged attribute value');
  const [tag, payload] = json as [unknown, unknown];
  switch (tag) {
    case 'i':
      return BigInt(String(payload));
    case 'd':
      return typeof payload === 'number' ? payload : Number(payload);
    case 'b':
      return new Uint8Array(Buffer.from(String(payload), 'base64'));
    case 'a':
      return (payload as unknown[]).map(decodeTagged);
    case 'k':
      return new Map((payload as [string, unknown][]).map(([k, v]) => [k, decodeTagged(v)]));
    default:
      throw new TypeError('corrupt tagged attribute value');
  }
}

/** All attributes as one tagged JSON object; null when there are none (stored as SQL NULL). */
export function encodeAttributesJson(attributes: Attributes): string | null {
  // Null prototype: an attribute named `__proto__` must stay a plain key.
  const out = Object.create(null) as Record<string, Tagged>;
  let any = false;
  for (const key in attributes) {
    out[key] = encodeTagged(attributes[key] ?? null);
    any = true;
  }
  return any ? JSON.stringify(out) : null;
}

export function decodeAttributesJson(json: string | null, into: Attributes = newAttributes()): Attributes {
  if (json === null) return into;
  const parsed = JSON.parse(json) as Record<string, unknown>;
  for (const key of Object.keys(parsed)) into[key] = decodeTagged(parsed[key]);
  return into;
}

/** A MAP read back through getRowsJS: an array of {key, value} entries, or null. */
export type MapEntries<V> = { key: string; value: V }[] | null;

export function joinAttributes(
  strings: MapEntries<string>,
  ints: MapEntries<bigint>,
  doubles: MapEntries<number>,
  bools: MapEntries<boolean>,
  other: string | null,
): Attributes {
  const attributes = newAttributes();
  for (const entries of [strings, ints, doubles, bools] as MapEntries<AttributeValue>[]) {
    if (entries) for (const { key, value } of entries) attributes[key] = value;
  }
  return decodeAttributesJson(other, attributes);
}
