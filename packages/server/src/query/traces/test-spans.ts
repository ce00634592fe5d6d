// Test helper (not shipped behaviour): builds model spans with only what a test cares about.
import { newAttributes, type Attributes } from '../../model/attributes.ts';
import type { Resource } from '../../model/resource.ts';
import { SpanKind, StatusCode, type Span } from '../../model/span.ts';

export const TEST_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

export function testResource(serviceName: string, attributes: Attributes = newAttributes()): Resource {
  const all = newAttributes();
  all['service.name'] = serviceName;
  Object.assign(all, attributes);
  return { attributes: all, droppedAttributesCount: 0, schemaUrl: '', serviceName };
}

/** A span of TEST_TRACE_ID; times are given in µs for readability and stored as ns. */
export function testSpan(fields: {
  spanId: string;
  parentSpanId?: string;
  startMicros: number;
  endMicros: number;
  resource: Resource;
  name?: string;
  traceId?: string;
}): Span {
  return {
    traceId: fields.traceId ?? TEST_TRACE_ID,
    spanId: fields.spanId,
    parentSpanId: fields.parentSpanId ?? '',
    traceState: '',
    flags: 1,
    name: fields.name ?? `op-${fields.spanId}`,
    kind: SpanKind.INTERNAL,
    startTimeUnixNano: BigInt(fields.startMicros) * 1000n,
    endTimeUnixNano: BigInt(fields.endMicros) * 1000n,
    attributes: newAttributes(),
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    statusCode: StatusCode.UNSET,
    statusMessage: '',
    resource: fields.resource,
    scope: {
      name: 'test',
      version: '1.0',
      attributes: newAttributes(),
      droppedAttributesCount: 0,
      schemaUrl: '',
    },
  };
}

/** Span id from a small number: 1 → "0000000000000001". */
export function sid(n: number): string {
  return n.toString(16).padStart(16, '0');
}
