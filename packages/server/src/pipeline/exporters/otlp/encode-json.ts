import type { AttributeValue, Attributes } from '../../../model/attributes.ts';
import type { LogRecord } from '../../../model/log-record.ts';
import type { Resource, Scope } from '../../../model/resource.ts';
import type { Span, SpanEvent, SpanLink } from '../../../model/span.ts';
import { groupByResourceAndScope } from './group-records.ts';

/**
 * OTLP/JSON request bodies (otlp-specification.md, "JSON Protobuf Encoding"): lowerCamelCase keys,
 * trace and span ids as hex (not base64), 64-bit integers as decimal strings, enums as numbers,
 * other bytes as base64, and fields holding their default left out. The inverse of
 * receivers/otlp/decode-json.ts.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

const utf8 = new TextEncoder();

/**
 * A double in the proto3 JSON mapping: non-finite values as "NaN"/"Infinity"/"-Infinity"; -0 as
 * the string "-0" (JSON.stringify would print 0, losing the sign; parsers accept numeric strings).
 */
export function jsonDouble(value: number): JsonValue {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return Object.is(value, -0) ? '-0' : value;
}

/** AnyValue: {stringValue | boolValue | intValue | doubleValue | bytesValue | arrayValue | kvlistValue}. */
export function jsonAnyValue(value: AttributeValue): JsonObject {
  if (value === null) return {};
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'bigint':
      return { intValue: value.toString() };
    case 'number':
      return { doubleValue: jsonDouble(value) };
    default:
      if (value instanceof Uint8Array) return { bytesValue: Buffer.from(value).toString('base64') };
      if (Array.isArray(value)) return { arrayValue: { values: value.map(jsonAnyValue) } };
      return {
        kvlistValue: { values: [...value].map(([key, item]) => ({ key, value: jsonAnyValue(item) })) },
      };
  }
}

export function jsonAttributes(attributes: Attributes): JsonObject[] {
  const list: JsonObject[] = [];
  for (const key in attributes) list.push({ key, value: jsonAnyValue(attributes[key] ?? null) });
  return list;
}

/** Sets `obj[key]` unless the value is a proto3 default (0, "", empty list), which JSON omits. */
export function setIf(obj: JsonObject, key: string, value: JsonValue): void {
  if (value === 0 || value === '' || (Array.isArray(value) && value.length === 0)) return;
  obj[key] = value;
}

function jsonResource(resource: Resource): JsonObject {
  const obj: JsonObject = {};
  setIf(obj, 'attributes', jsonAttributes(resource.attributes));
  setIf(obj, 'droppedAttributesCount', resource.droppedAttributesCount);
  return obj;
}

function jsonScope(scope: Scope): JsonObject {
  const obj: JsonObject = {};
  setIf(obj, 'name', scope.name);
  setIf(obj, 'version', scope.version);
  setIf(obj, 'attributes', jsonAttributes(scope.attributes));
  setIf(obj, 'droppedAttributesCount', scope.droppedAttributesCount);
  return obj;
}

/** The resource → scope → records tree, with the signal's three JSON array names. */
export function encodeEnvelopeJson<R extends { resource: Resource; scope: Scope }>(
  records: readonly R[],
  names: { resources: string; scopes: string; records: string },
  scopeRecords: (records: R[]) => JsonValue[],
): Uint8Array {
  const resources = groupByResourceAndScope(records).map(({ resource, scopes }) => {
    const resourceObj: JsonObject = { resource: jsonResource(resource) };
    resourceObj[names.scopes] = scopes.map(({ scope, records: group }) => {
      const scopeObj: JsonObject = { scope: jsonScope(scope) };
      scopeObj[names.records] = scopeRecords(group);
      setIf(scopeObj, 'schemaUrl', scope.schemaUrl);
      return scopeObj;
    });
    setIf(resourceObj, 'schemaUrl', resource.schemaUrl);
    return resourceObj;
  });
  return utf8.encode(JSON.stringify({ [names.resources]: resources }));
}

/** @example encodeTracesJson(spans) // {"resourceSpans":[...]} for POST /v1/traces as application/json */
export function encodeTracesJson(spans: readonly Span[]): Uint8Array {
  const names = { resources: 'resourceSpans', scopes: 'scopeSpans', records: 'spans' };
  return encodeEnvelopeJson(spans, names, (group) => group.map(jsonSpan));
}

function jsonSpan(span: Span): JsonObject {
  const obj: JsonObject = { traceId: span.traceId, spanId: span.spanId };
  setIf(obj, 'traceState', span.traceState);
  setIf(obj, 'parentSpanId', span.parentSpanId);
  setIf(obj, 'flags', span.flags);
  obj.name = span.name;
  setIf(obj, 'kind', span.kind);
  obj.startTimeUnixNano = span.startTimeUnixNano.toString();
  obj.endTimeUnixNano = span.endTimeUnixNano.toString();
  setIf(obj, 'attributes', jsonAttributes(span.attributes));
  setIf(obj, 'droppedAttributesCount', span.droppedAttributesCount);
  setIf(obj, 'events', span.events.map(jsonEvent));
  setIf(obj, 'droppedEventsCount', span.droppedEventsCount);
  setIf(obj, 'links', span.links.map(jsonLink));
  setIf(obj, 'droppedLinksCount', span.droppedLinksCount);
  const status: JsonObject = {};
  setIf(status, 'message', span.statusMessage);
  setIf(status, 'code', span.statusCode);
  obj.status = status;
  return obj;
}

function jsonEvent(event: SpanEvent): JsonObject {
  const obj: JsonObject = { timeUnixNano: event.timeUnixNano.toString() };
  setIf(obj, 'name', event.name);
  setIf(obj, 'attributes', jsonAttributes(event.attributes));
  setIf(obj, 'droppedAttributesCount', event.droppedAttributesCount);
  return obj;
}

function jsonLink(link: SpanLink): JsonObject {
  const obj: JsonObject = { traceId: link.traceId, spanId: link.spanId };
  setIf(obj, 'traceState', link.traceState);
  setIf(obj, 'attributes', jsonAttributes(link.attributes));
  setIf(obj, 'droppedAttributesCount', link.droppedAttributesCount);
  setIf(obj, 'flags', link.flags);
  return obj;
}

/** @example encodeLogsJson(logs) // {"resourceLogs":[...]} for POST /v1/logs as application/json */
export function encodeLogsJson(logs: readonly LogRecord[]): Uint8Array {
  const names = { resources: 'resourceLogs', scopes: 'scopeLogs', records: 'logRecords' };
  return encodeEnvelopeJson(logs, names, (group) => group.map(jsonLogRecord));
}

function jsonLogRecord(log: LogRecord): JsonObject {
  const obj: JsonObject = {};
  if (log.timeUnixNano !== 0n) obj.timeUnixNano = log.timeUnixNano.toString();
  if (log.observedTimeUnixNano !== 0n) obj.observedTimeUnixNano = log.observedTimeUnixNano.toString();
  setIf(obj, 'severityNumber', log.severityNumber);
  setIf(obj, 'severityText', log.severityText);
  if (log.body !== null) obj.body = jsonAnyValue(log.body);
  setIf(obj, 'attributes', jsonAttributes(log.attributes));
  setIf(obj, 'droppedAttributesCount', log.droppedAttributesCount);
  setIf(obj, 'flags', log.flags);
  setIf(obj, 'traceId', log.traceId);
  setIf(obj, 'spanId', log.spanId);
  setIf(obj, 'eventName', log.eventName);
  return obj;
}
