import type { LogRecord } from '../../model/log-record.ts';
import type { Resource, Scope } from '../../model/resource.ts';
import type { Span, SpanEvent, SpanLink } from '../../model/span.ts';
import { OtlpDecodeError } from './decode-error.ts';
import type { DecodeResult } from './decode.ts';
import {
  SEVERITY_NUMBER_NAMES,
  SPAN_KIND_NAMES,
  STATUS_CODE_NAMES,
  toSpanKind,
  toStatusCode,
} from './enums.ts';
import { Rejections } from './rejections.ts';
import {
  anyValueOf,
  arrayOf,
  attributesOf,
  enumOf,
  field,
  idOf,
  objectOf,
  optionalIdOf,
  resourceOf,
  scopeOf,
  stringOf,
  uint64Of,
  uintOf,
} from './json-values.ts';
import type { JsonObject } from './json-values.ts';

/**
 * OTLP/JSON requests (otlp-specification.md, "JSON Protobuf Encoding") for traces and logs; the
 * record rules match the protobuf decoders exactly, so a client sees the same partial success
 * whichever encoding it picks.
 */

const utf8 = new TextDecoder('utf-8');

/** The request object of an OTLP/JSON body; invalid JSON or a non-object is undecodable. */
export function parseJsonRequest(body: Uint8Array): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(body));
  } catch {
    // The SyntaxError text quotes the input, so only its kind is reported.
    throw new OtlpDecodeError('request body is not valid JSON');
  }
  const request = objectOf(parsed, 'request');
  if (request === undefined) throw new OtlpDecodeError('OTLP/JSON request must be an object');
  return request;
}

/** Calls `each` for every (resource, scope, records array) of a resource/scope/records request tree. */
export function forEachScope(
  request: JsonObject,
  names: { resources: [string, string]; scopes: [string, string]; records: [string, string] },
  each: (resource: Resource, scope: Scope, records: readonly unknown[]) => void,
): void {
  for (const resourceItem of arrayOf(field(request, ...names.resources), names.resources[0])) {
    const resourceObj = objectOf(resourceItem, names.resources[0]) ?? {};
    const resource = resourceOf(resourceObj.resource, field(resourceObj, 'schemaUrl', 'schema_url'));
    for (const scopeItem of arrayOf(field(resourceObj, ...names.scopes), names.scopes[0])) {
      const scopeObj = objectOf(scopeItem, names.scopes[0]) ?? {};
      const scope = scopeOf(scopeObj.scope, field(scopeObj, 'schemaUrl', 'schema_url'));
      each(resource, scope, arrayOf(field(scopeObj, ...names.records), names.records[0]));
    }
  }
}

export function decodeTracesJson(body: Uint8Array): DecodeResult<'traces'> {
  const spans: Span[] = [];
  const rejections = new Rejections();
  const names = {
    resources: ['resourceSpans', 'resource_spans'],
    scopes: ['scopeSpans', 'scope_spans'],
    records: ['spans', 'spans'],
  } as const satisfies Parameters<typeof forEachScope>[1];
  forEachScope(parseJsonRequest(body), names, (resource, scope, records) => {
    for (const item of records) {
      const span = spanOf(objectOf(item, 'span') ?? {}, resource, scope, rejections);
      if (span !== null) spans.push(span);
    }
  });
  return { records: spans, rejected: rejections.total, errorMessage: rejections.message('spans') };
}

function spanOf(obj: JsonObject, resource: Resource, scope: Scope, rejections: Rejections): Span | null {
  const traceId = idOf(field(obj, 'traceId', 'trace_id'), 16, 'span.traceId');
  const spanId = idOf(field(obj, 'spanId', 'span_id'), 8, 'span.spanId');
  const parentSpanId = idOf(field(obj, 'parentSpanId', 'parent_span_id'), 8, 'span.parentSpanId');
  const links: SpanLink[] = [];
  let droppedLinksCount = uintOf(
    field(obj, 'droppedLinksCount', 'dropped_links_count'),
    'span.droppedLinksCount',
  );
  for (const item of arrayOf(obj.links, 'span.links')) {
    const link = linkOf(objectOf(item, 'span.links[]') ?? {});
    if (link === null) droppedLinksCount++;
    else links.push(link);
  }
  const status = objectOf(obj.status, 'span.status') ?? {};
  const span: Span = {
    traceId: traceId ?? '',
    spanId: spanId ?? '',
    parentSpanId: parentSpanId ?? '',
    traceState: stringOf(field(obj, 'traceState', 'trace_state'), 'span.traceState'),
    flags: uintOf(obj.flags, 'span.flags'),
    name: stringOf(obj.name, 'span.name'),
    kind: toSpanKind(enumOf(obj.kind, SPAN_KIND_NAMES, 'span.kind')),
    startTimeUnixNano: uint64Of(
      field(obj, 'startTimeUnixNano', 'start_time_unix_nano'),
      'span.startTimeUnixNano',
    ),
    endTimeUnixNano: uint64Of(field(obj, 'endTimeUnixNano', 'end_time_unix_nano'), 'span.endTimeUnixNano'),
    attributes: attributesOf(obj.attributes, 'span.attributes'),
    droppedAttributesCount: uintOf(
      field(obj, 'droppedAttributesCount', 'dropped_attributes_count'),
      'span.droppedAttributesCount',
    ),
    events: arrayOf(obj.events, 'span.events').map((item) => eventOf(objectOf(item, 'span.events[]') ?? {})),
    droppedEventsCount: uintOf(
      field(obj, 'droppedEventsCount', 'dropped_events_count'),
      'span.droppedEventsCount',
    ),
    links,
    droppedLinksCount,
    statusCode: toStatusCode(enumOf(status.code, STATUS_CODE_NAMES, 'span.status.code')),
    statusMessage: stringOf(status.message, 'span.status.message'),
    resource,
    scope,
  };
  // Same rules as the protobuf decoder (trace.proto: both ids required, not all zero).
  if (traceId === null || traceId === '') return reject(rejections, 'invalid trace_id');
  if (spanId === null || spanId === '') return reject(rejections, 'invalid span_id');
  if (parentSpanId === null) return reject(rejections, 'invalid parent_span_id');
  return span;
}

function eventOf(obj: JsonObject): SpanEvent {
  return {
    timeUnixNano: uint64Of(field(obj, 'timeUnixNano', 'time_unix_nano'), 'event.timeUnixNano'),
    name: stringOf(obj.name, 'event.name'),
    attributes: attributesOf(obj.attributes, 'event.attributes'),
    droppedAttributesCount: uintOf(
      field(obj, 'droppedAttributesCount', 'dropped_attributes_count'),
      'event.droppedAttributesCount',
    ),
  };
}

function linkOf(obj: JsonObject): SpanLink | null {
  const traceId = idOf(field(obj, 'traceId', 'trace_id'), 16, 'link.traceId');
  const spanId = idOf(field(obj, 'spanId', 'span_id'), 8, 'link.spanId');
  const link: SpanLink = {
    traceId: traceId ?? '',
    spanId: spanId ?? '',
    traceState: stringOf(field(obj, 'traceState', 'trace_state'), 'link.traceState'),
    attributes: attributesOf(obj.attributes, 'link.attributes'),
    droppedAttributesCount: uintOf(
      field(obj, 'droppedAttributesCount', 'dropped_attributes_count'),
      'link.droppedAttributesCount',
    ),
    flags: uintOf(obj.flags, 'link.flags'),
  };
  return traceId === null || traceId === '' || spanId === null || spanId === '' ? null : link;
}

export function decodeLogsJson(body: Uint8Array): DecodeResult<'logs'> {
  const logs: LogRecord[] = [];
  const rejections = new Rejections();
  const names = {
    resources: ['resourceLogs', 'resource_logs'],
    scopes: ['scopeLogs', 'scope_logs'],
    records: ['logRecords', 'log_records'],
  } as const satisfies Parameters<typeof forEachScope>[1];
  forEachScope(parseJsonRequest(body), names, (resource, scope, records) => {
    for (const item of records) {
      const log = logRecordOf(objectOf(item, 'logRecord') ?? {}, resource, scope, rejections);
      if (log !== null) logs.push(log);
    }
  });
  return { records: logs, rejected: rejections.total, errorMessage: rejections.message('log records') };
}

function logRecordOf(
  obj: JsonObject,
  resource: Resource,
  scope: Scope,
  rejections: Rejections,
): LogRecord | null {
  const traceId = optionalIdOf(field(obj, 'traceId', 'trace_id'), 16, 'logRecord.traceId');
  const spanId = optionalIdOf(field(obj, 'spanId', 'span_id'), 8, 'logRecord.spanId');
  const log: LogRecord = {
    timeUnixNano: uint64Of(field(obj, 'timeUnixNano', 'time_unix_nano'), 'logRecord.timeUnixNano'),
    observedTimeUnixNano: uint64Of(
      field(obj, 'observedTimeUnixNano', 'observed_time_unix_nano'),
      'logRecord.observedTimeUnixNano',
    ),
    severityNumber: enumOf(
      field(obj, 'severityNumber', 'severity_number'),
      SEVERITY_NUMBER_NAMES,
      'logRecord.severityNumber',
    ),
    severityText: stringOf(field(obj, 'severityText', 'severity_text'), 'logRecord.severityText'),
    body: anyValueOf(obj.body, 'logRecord.body'),
    attributes: attributesOf(obj.attributes, 'logRecord.attributes'),
    droppedAttributesCount: uintOf(
      field(obj, 'droppedAttributesCount', 'dropped_attributes_count'),
      'logRecord.droppedAttributesCount',
    ),
    flags: uintOf(obj.flags, 'logRecord.flags'),
    traceId: traceId ?? '',
    spanId: spanId ?? '',
    eventName: stringOf(field(obj, 'eventName', 'event_name'), 'logRecord.eventName'),
    resource,
    scope,
  };
  if (traceId === null) return reject(rejections, 'invalid trace_id');
  if (spanId === null) return reject(rejections, 'invalid span_id');
  return log;
}

function reject(rejections: Rejections, reason: string): null {
  rejections.add(reason);
  return null;
}
