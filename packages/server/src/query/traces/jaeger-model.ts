import { attributeText, type AttributeValue, type Attributes } from '../../model/attributes.ts';
import type { Resource } from '../../model/resource.ts';
import { SpanKind, StatusCode, type Span } from '../../model/span.ts';
import type { Micros } from '../../model/units.ts';
import { spanKindName } from './search-params.ts';
import type { AssembledTrace, TraceSpanNode } from './trace-tree.ts';

/**
 * Jaeger's JSON trace model as its query API returns it and Jaeger UI / Grafana read it
 * (jaeger model/json/model.go; jaeger-ui src/types/trace.tsx). Times are Unix microseconds.
 */
export interface JaegerKeyValue {
  key: string;
  type: 'string' | 'bool' | 'int64' | 'float64' | 'binary';
  value: string | boolean | number;
}

export interface JaegerReference {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  traceID: string;
  spanID: string;
}

export interface JaegerLog {
  timestamp: Micros;
  fields: JaegerKeyValue[];
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  flags: number;
  operationName: string;
  references: JaegerReference[];
  startTime: Micros;
  duration: Micros;
  tags: JaegerKeyValue[];
  logs: JaegerLog[];
  processID: string;
  warnings: string[] | null;
}

export interface JaegerProcess {
  serviceName: string;
  tags: JaegerKeyValue[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings: string[] | null;
}

/**
 * Converts an assembled trace to Jaeger's JSON model the way Jaeger's OTLP translator
 * (opentelemetry-collector-contrib pkg/translator/jaeger) maps OTLP: the resource becomes the
 * process (service.name → serviceName, other attributes → tags); span kind, status and scope become
 * the `span.kind`, `otel.status_code`, `error`, `otel.status_description`, `otel.scope.*` tags;
 * events become logs with an `event` field; the parent is a CHILD_OF reference and links are
 * FOLLOWS_FROM references. Span and trace warnings (orphans, clock skew) are carried over.
 *
 * @example
 * const jaegerTrace = toJaegerTrace(assembleTrace(spans));
 */
export function toJaegerTrace(trace: AssembledTrace): JaegerTrace {
  const processes = new ProcessTable();
  const spans = trace.spans.map((node) => toJaegerSpan(node, processes.idFor(node.span.resource)));
  return {
    traceID: trace.traceId,
    spans,
    processes: processes.toRecord(),
    warnings: trace.warnings.length > 0 ? trace.warnings : null,
  };
}

function toJaegerSpan(node: TraceSpanNode, processID: string): JaegerSpan {
  const span = node.span;
  return {
    traceID: span.traceId,
    spanID: span.spanId,
    flags: span.flags,
    operationName: span.name,
    references: references(span),
    startTime: nanosToMicros(span.startTimeUnixNano),
    duration: nanosToMicros(span.endTimeUnixNano - span.startTimeUnixNano),
    tags: [...attributesToTags(span.attributes), ...syntheticTags(span)],
    logs: span.events.map((event) => ({
      timestamp: nanosToMicros(event.timeUnixNano),
      fields: eventFields(event.name, event.attributes),
    })),
    processID,
    warnings: node.warnings.length > 0 ? [...node.warnings] : null,
  };
}

function references(span: Span): JaegerReference[] {
  const refs: JaegerReference[] = [];
  if (span.parentSpanId !== '')
    refs.push({ refType: 'CHILD_OF', traceID: span.traceId, spanID: span.parentSpanId });
  for (const link of span.links)
    refs.push({ refType: 'FOLLOWS_FROM', traceID: link.traceId, spanID: link.spanId });
  return refs;
}

/** The tags Jaeger's translator adds for fields OTLP has and Jaeger's model does not. */
function syntheticTags(span: Span): JaegerKeyValue[] {
  const tags: JaegerKeyValue[] = [];
  if (span.scope.name !== '') tags.push(stringTag('otel.scope.name', span.scope.name));
  if (span.scope.version !== '') tags.push(stringTag('otel.scope.version', span.scope.version));
  if (span.kind !== SpanKind.UNSPECIFIED) tags.push(stringTag('span.kind', spanKindName(span.kind)));
  if (span.statusCode === StatusCode.OK) tags.push(stringTag('otel.status_code', 'OK'));
  if (span.statusCode === StatusCode.ERROR) {
    tags.push(stringTag('otel.status_code', 'ERROR'));
    tags.push({ key: 'error', type: 'bool', value: true });
  }
  if (span.statusMessage !== '') tags.push(stringTag('otel.status_description', span.statusMessage));
  if (span.traceState !== '') tags.push(stringTag('w3c.tracestate', span.traceState));
  return tags;
}

function eventFields(name: string, attributes: Attributes): JaegerKeyValue[] {
  const fields = attributesToTags(attributes);
  // The translator names the log after the event unless an `event` attribute already does.
  if (name !== '' && attributes.event === undefined) fields.unshift(stringTag('event', name));
  return fields;
}

/** Typed Jaeger tags; arrays and maps become their JSON text as Jaeger's translator does. */
export function attributesToTags(attributes: Attributes, skipKey?: string): JaegerKeyValue[] {
  const tags: JaegerKeyValue[] = [];
  for (const key of Object.keys(attributes)) {
    if (key === skipKey) continue;
    tags.push(toKeyValue(key, attributes[key] ?? null));
  }
  return tags;
}

function toKeyValue(key: string, value: AttributeValue): JaegerKeyValue {
  if (typeof value === 'boolean') return { key, type: 'bool', value };
  if (typeof value === 'bigint') {
    const safe = value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
    return { key, type: 'int64', value: safe ? Number(value) : value.toString() };
  }
  if (typeof value === 'number')
    return { key, type: 'float64', value: Number.isFinite(value) ? value : String(value) };
  if (value instanceof Uint8Array)
    return { key, type: 'binary', value: Buffer.from(value).toString('base64') };
  return stringTag(key, attributeText(value));
}

function stringTag(key: string, value: string): JaegerKeyValue {
  return { key, type: 'string', value };
}

/** Unix ns → µs, truncating like Jaeger's model conversion (µs since epoch fit a double exactly). */
export function nanosToMicros(nanos: bigint): Micros {
  return Number(nanos / 1_000n);
}

/** Processes deduplicated by content, numbered p1, p2, … in first-seen order as Jaeger does. */
class ProcessTable {
  private readonly idsByKey = new Map<string, string>();
  private readonly processes: Record<string, JaegerProcess> = {};
  private readonly idsByResource = new Map<Resource, string>();

  idFor(resource: Resource): string {
    const cached = this.idsByResource.get(resource);
    if (cached !== undefined) return cached;
    const process: JaegerProcess = {
      serviceName: resource.serviceName,
      tags: attributesToTags(resource.attributes, 'service.name'),
    };
    const key = JSON.stringify(process);
    let id = this.idsByKey.get(key);
    if (id === undefined) {
      id = `p${this.idsByKey.size + 1}`;
      this.idsByKey.set(key, id);
      this.processes[id] = process;
    }
    this.idsByResource.set(resource, id);
    return id;
  }

  toRecord(): Record<string, JaegerProcess> {
    return this.processes;
  }
}
