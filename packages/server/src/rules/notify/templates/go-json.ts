/**
 * encoding/json's Marshal over template values, for Alertmanager's `toJson` function: struct
 * fields under their `json` tags, map keys sorted, nil maps and slices as null, time.Time as RFC
 * 3339 text, and Go's string escaping (HTML characters as \u003c, U+2028/2029 escaped).
 */
import { GoFuncError } from '../../templates/go/go-func.ts';
import { compareGoStrings, GO, type GoValue } from '../../templates/go/go-values.ts';
import { JSON_FIELD_NAMES } from './am-types.ts';
import { formatZoned, RFC3339_NANO_LAYOUT, ZONED_TIME_TYPE, zoneOf } from './zoned-time.ts';

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** encodeState.string with HTML escaping on, as json.Marshal does. */
function jsonString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const short = SHORT_ESCAPES[char];
    if (short !== undefined) out += short;
    else if (
      code < 0x20 ||
      char === '<' ||
      char === '>' ||
      char === '&' ||
      code === 0x2028 ||
      code === 0x2029
    )
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff)
      out += '\\ufffd'; // a lone surrogate: invalid UTF-8 in Go
    else out += char;
  }
  return `${out}"`;
}

/**
 * floatEncoder: shortest round-trip digits, exponent form below 1e-6 and from 1e21 (with "e-7",
 * not "e-07"), which is exactly what ECMAScript's Number-to-String produces.
 */
function jsonFloat(value: number): string {
  if (!Number.isFinite(value))
    throw new GoFuncError(
      `json: unsupported value: ${Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf'}`,
    );
  return Object.is(value, -0) ? '-0' : String(value);
}

function jsonStruct(value: Extract<GoValue, { kind: 'struct' }>): string {
  if (value.type === GO.time || value.type === ZONED_TIME_TYPE) {
    return jsonString(formatZoned(value.unixNanos ?? 0n, zoneOf(value), RFC3339_NANO_LAYOUT));
  }
  const names = JSON_FIELD_NAMES.get(value.type) ?? {};
  const members = [...value.value].map(
    ([field, item]) => `${jsonString(names[field] ?? field)}:${goJson(item)}`,
  );
  return `{${members.join(',')}}`;
}

/**
 * json.Marshal of a template value; throws GoFuncError for what Go cannot encode (NaN, ±Inf).
 * @example goJson(kvValue({ b: '1', a: '<2>' })) // '{"a":"\u003c2\u003e","b":"1"}'
 */
export function goJson(value: GoValue): string {
  switch (value.kind) {
    case 'invalid':
      return 'null';
    case 'bool':
      return String(value.value);
    case 'int':
    case 'uint':
      return value.value.toString();
    case 'float':
      return jsonFloat(value.value);
    case 'string':
      return jsonString(value.value);
    case 'map': {
      if (value.value === null) return 'null';
      const entries = value.value;
      const keys = [...entries.keys()].sort(compareGoStrings);
      return `{${keys.map((key) => `${jsonString(key)}:${goJson(entries.get(key) ?? { kind: 'invalid' })}`).join(',')}}`;
    }
    case 'slice':
      return value.value === null ? 'null' : `[${value.value.map(goJson).join(',')}]`;
    case 'struct':
      return jsonStruct(value);
    case 'ptr':
      return value.value === null ? 'null' : goJson(value.value);
  }
}
