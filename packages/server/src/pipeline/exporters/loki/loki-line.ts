/**
 * A log record as a Loki line, as the Collector's Loki exporter writes it (contrib
 * pkg/translator/loki encode.go Encode, convert.go convertLogToLokiEntry): by default a JSON object
 * of body, traceid, spanid, severity, flags, attributes, resources and instrumentation_scope,
 * empty fields left out; with the `loki.format: raw` hint the body as text.
 *
 * The JSON is byte-for-byte what Go's encoding/json writes for pdata's AsRaw values: map keys
 * sorted, ints exact, `<`, `>`, `&`, U+2028 and U+2029 escaped, bytes in base64. Go refuses NaN and
 * ±Inf, and so does this: such a record cannot be encoded and is dropped, as upstream drops it.
 */
import type { AttributeValue, Attributes } from '../../../model/attributes.ts';
import type { LogRecord } from '../../../model/log-record.ts';
import { promLabelValue } from '../../../model/prom-labels.ts';

/** A value Go's encoding/json cannot write (NaN, ±Inf). */
export class UnencodableLineError extends Error {
  override readonly name = 'UnencodableLineError';
}

const GO_HTML_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** A JSON string as Go writes it (encoding/json HTMLEscape on by default). */
function goString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (char) => GO_HTML_ESCAPES[char] ?? char);
}

/** A float64 as Go writes it: ES6 number formatting, which Go's encoder follows, and `-0` kept. */
function goFloat(value: number): string {
  if (!Number.isFinite(value)) throw new UnencodableLineError('unsupported value: NaN or ±Inf');
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

function goObject(entries: [string, AttributeValue][]): string {
  const sorted = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${sorted.map(([key, value]) => `${goString(key)}:${goValue(value)}`).join(',')}}`;
}

/** pdata Value.AsRaw() through json.Marshal. */
function goValue(value: AttributeValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return goString(value);
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'number':
      return goFloat(value);
  }
  if (value instanceof Uint8Array) return goString(Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) return `[${value.map(goValue).join(',')}]`;
  return goObject([...value]);
}

function attributesObject(attributes: Attributes): string | undefined {
  const entries = Object.entries(attributes);
  return entries.length === 0 ? undefined : goObject(entries);
}

/**
 * The JSON line of a record, with the attributes its labels left (loki-labels.ts).
 *
 * @example
 * jsonLine(record, record.attributes, record.resource.attributes);
 * // {"body":"request served","severity":"INFO","attributes":{"n":1},"resources":{"service.name":"api"}}
 */
export function jsonLine(record: LogRecord, attributes: Attributes, resourceAttributes: Attributes): string {
  const fields: string[] = [];
  const add = (name: string, json: string | undefined): void => {
    if (json !== undefined) fields.push(`"${name}":${json}`);
  };
  // An empty body (no value) is left out, as upstream's serializeBodyJSON returns nothing for it.
  add('body', record.body === null ? undefined : goValue(record.body));
  add('traceid', record.traceId === '' ? undefined : goString(record.traceId));
  add('spanid', record.spanId === '' ? undefined : goString(record.spanId));
  add('severity', record.severityText === '' ? undefined : goString(record.severityText));
  add('flags', record.flags === 0 ? undefined : String(record.flags >>> 0));
  add('attributes', attributesObject(attributes));
  add('resources', attributesObject(resourceAttributes));
  const { name, version } = record.scope;
  if (name !== '') {
    const scope = version === '' ? `{"name":${goString(name)}}` : `{"name":${goString(name)},"version":${goString(version)}}`;
    add('instrumentation_scope', scope);
  }
  return `{${fields.join(',')}}`;
}

/** `loki.format: raw`: the body as text (pdata AsString). */
export function rawLine(record: LogRecord): string {
  return promLabelValue(record.body);
}
