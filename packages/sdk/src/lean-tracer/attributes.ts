/**
 * Attribute checks and limits. Values are what the API allows (common/README.md, "Attribute"):
 * a string, number or boolean, or a homogeneous array of one of those (null/undefined entries
 * allowed); anything else is dropped with an OTel diag warning, as the OTel JS SDK does. Counts
 * beyond the limit are dropped and counted (trace SDK spec, "Span Limits";
 * default AttributeCountLimit 128).
 */
import { diag, type AttributeValue, type Attributes } from '@opentelemetry/api';

export const DEFAULT_ATTRIBUTE_COUNT_LIMIT = 128;
export const DEFAULT_EVENT_COUNT_LIMIT = 128;
export const DEFAULT_LINK_COUNT_LIMIT = 128;

export interface LeanSpanLimits {
  attributeCountLimit: number;
  eventCountLimit: number;
  linkCountLimit: number;
  /** Per event and per link. */
  attributePerEventCountLimit: number;
  attributePerLinkCountLimit: number;
}

export const DEFAULT_SPAN_LIMITS: LeanSpanLimits = Object.freeze({
  attributeCountLimit: DEFAULT_ATTRIBUTE_COUNT_LIMIT,
  eventCountLimit: DEFAULT_EVENT_COUNT_LIMIT,
  linkCountLimit: DEFAULT_LINK_COUNT_LIMIT,
  attributePerEventCountLimit: DEFAULT_ATTRIBUTE_COUNT_LIMIT,
  attributePerLinkCountLimit: DEFAULT_ATTRIBUTE_COUNT_LIMIT,
});

/** A valid value, copied if it is an array (the caller may mutate theirs), else undefined. */
export function acceptValue(value: unknown): AttributeValue | undefined {
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return value as AttributeValue;
  if (Array.isArray(value) && isHomogeneous(value)) return value.slice() as AttributeValue;
  return undefined;
}

function isHomogeneous(values: unknown[]): boolean {
  let elementType: string | undefined;
  for (const element of values) {
    if (element === null || element === undefined) continue;
    const type = typeof element;
    if (type !== 'string' && type !== 'number' && type !== 'boolean') return false;
    if (elementType === undefined) elementType = type;
    else if (type !== elementType) return false;
  }
  return true;
}

export function isValidKey(key: unknown): key is string {
  return typeof key === 'string' && key.length > 0;
}

/** Sets `attributes[key]`; `__proto__` is defined as own data instead of replacing the prototype. */
export function writeAttribute(attributes: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true });
  else attributes[key] = value;
}

/** Valid entries of `input`, at most `limit`; the rest is counted in `dropped`. */
export function sanitizeAttributes(input: Attributes | undefined, limit: number): { attributes: Attributes; dropped: number } {
  const attributes: Attributes = {};
  let count = 0;
  let dropped = 0;
  if (input === undefined) return { attributes, dropped };
  for (const key of Object.keys(input)) {
    const value = acceptValue(input[key]);
    if (!isValidKey(key) || value === undefined) {
      if (input[key] != null) warnInvalid(key);
      continue;
    }
    if (count >= limit) {
      dropped++;
      continue;
    }
    writeAttribute(attributes, key, value);
    count++;
  }
  return { attributes, dropped };
}

export function warnInvalid(key: unknown): void {
  diag.warn(`Invalid attribute value set for key: ${typeof key === 'string' ? key : typeof key}`);
}
