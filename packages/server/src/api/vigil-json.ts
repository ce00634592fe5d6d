import { attributeType, type AttributeValue, type Attributes } from '../model/attributes.ts';
import type { LogRecord } from '../model/log-record.ts';
import type { Resource, Scope } from '../model/resource.ts';
import type { Span } from '../model/span.ts';
import type { TraceSummary } from '../storage/store.ts';
import { spanKindName } from '../query/traces/search-params.ts';
import type { AssembledTrace, TraceSpanNode } from '../query/traces/trace-tree.ts';

/**
 * Vigil's JSON encoding (docs/api.md). Timestamps and durations are decimal strings of nanoseconds
 * (exact; a JS number cannot hold ~1.8e18), ids are lowercase hex, and attribute values carry their
 * OTLP type so `"3"`, `3` (int) and `3.0` (double) stay distinct:
 * `{"type":"int","value":"3"}` — int64 as a string, double as a number ("NaN"/"Infinity" as
 * strings), bytes as base64, arrays as lists of typed values, kvlists as objects of typed values.
 */
export interface TypedValue {
  type: string;
  value: unknown;
}

export function typedValue(value: AttributeValue): TypedValue {
  const type = attributeType(value);
  if (typeof value === 'bigint') return { type, value: value.toString() };
  if (typeof value === 'number') return { type, value: Number.isFinite(value) ? value : String(value) };
  if (value instanceof Uint8Array) return { type, value: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return { type, value: value.map(typedValue) };
  if (value instanceof Map) return { type, value: typedAttributes(Object.fromEntries(value)) };
  return { type, value };
}

export function typedAttributes(attributes: Attributes): Record<string, TypedValue> {
  // Null prototype: an attribute named "__proto__" is data, not a prototype change.
  const out = Object.create(null) as Record<string, TypedValue>;
  for (const key of Object.keys(attributes)) out[key] = typedValue(attributes[key] ?? null);
  return out;
}

function resourceJson(resource: Resource): object {
  return {
    serviceName: resource.serviceName,
    attributes: typedAttributes(resource.attributes),
    droppedAttributesCount: resource.droppedAttributesCount,
    schemaUrl: resource.schemaUrl,
  };
}

function scopeJson(scope: Scope): object {
  return { name: scope.name, version: scope.version, attributes: typedAttributes(scope.attributes) };
}

export function spanJson(span: Span): Record<string, unknown> {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    traceState: span.traceState,
    flags: span.flags,
    name: span.name,
    kind: spanKindName(span.kind),
    startTimeUnixNano: String(span.startTimeUnixNano),
    endTimeUnixNano: String(span.endTimeUnixNano),
    durationNanos: String(span.endTimeUnixNano - span.startTimeUnixNano),
    attributes: typedAttributes(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((event) => ({
      timeUnixNano: String(event.timeUnixNano),
      name: event.name,
      attributes: typedAttributes(event.attributes),
      droppedAttributesCount: event.droppedAttributesCount,
    })),
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map((link) => ({
      traceId: link.traceId,
      spanId: link.spanId,
      traceState: link.traceState,
      flags: link.flags,
      attributes: typedAttributes(link.attributes),
    })),
    droppedLinksCount: span.droppedLinksCount,
    status: { code: ['unset', 'ok', 'error'][span.statusCode] ?? 'unset', message: span.statusMessage },
    resource: resourceJson(span.resource),
    scope: scopeJson(span.scope),
  };
}

function traceSpanJson(node: TraceSpanNode): Record<string, unknown> {
  return {
    ...spanJson(node.span),
    depth: node.depth,
    orphan: node.orphan,
    childSpanIds: node.children.map((child) => child.span.spanId),
    clockSkewDeltaNanos: String(node.clockSkewDeltaNanos),
    originalStartTimeUnixNano: String(node.originalStartTimeUnixNano),
    originalEndTimeUnixNano: String(node.originalEndTimeUnixNano),
    warnings: node.warnings,
  };
}

export function traceJson(trace: AssembledTrace): Record<string, unknown> {
  return {
    traceId: trace.traceId,
    startTimeUnixNano: String(trace.startTimeUnixNano),
    durationNanos: String(trace.endTimeUnixNano - trace.startTimeUnixNano),
    spanCount: trace.spans.length,
    rootSpanIds: trace.roots.map((root) => root.span.spanId),
    warnings: trace.warnings,
    spans: trace.spans.map(traceSpanJson),
  };
}

export function traceSummaryJson(summary: TraceSummary): Record<string, unknown> {
  return {
    traceId: summary.traceId,
    rootServiceName: summary.rootServiceName,
    rootSpanName: summary.rootSpanName,
    startTimeUnixNano: String(summary.startTimeUnixNano),
    durationNanos: String(summary.durationNanos),
    spanCount: summary.spanCount,
    errorCount: summary.errorCount,
    services: summary.services,
  };
}

export function logJson(record: LogRecord): Record<string, unknown> {
  return {
    timeUnixNano: String(record.timeUnixNano),
    observedTimeUnixNano: String(record.observedTimeUnixNano),
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    body: typedValue(record.body),
    attributes: typedAttributes(record.attributes),
    droppedAttributesCount: record.droppedAttributesCount,
    flags: record.flags,
    traceId: record.traceId,
    spanId: record.spanId,
    eventName: record.eventName,
    resource: resourceJson(record.resource),
    scope: scopeJson(record.scope),
  };
}
