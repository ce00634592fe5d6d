import type { Span, SpanEvent, SpanLink } from '../../../model/span.ts';
import {
  encodeEnvelopeProto,
  writeAttributes,
  writeCount,
  writeOptionalString,
} from './encode-common-proto.ts';
import type { ProtoWriter } from '../helper/proto-writer.ts';

/**
 * Span[] → ExportTraceServiceRequest bytes (opentelemetry-proto v1.x trace/v1/trace.proto), the
 * inverse of receivers/otlp/decode-traces-proto.ts.
 *
 * @example
 * const body = encodeTracesProto(spans); // POST to /v1/traces as application/x-protobuf
 */
export function encodeTracesProto(spans: readonly Span[]): Uint8Array {
  return encodeEnvelopeProto(spans, (w, scopeSpans) => {
    for (const span of scopeSpans) writeSpan(w, span);
  });
}

/** Span: field numbers 1–16 (see decode-traces-proto.ts). */
function writeSpan(w: ProtoWriter, span: Span): void {
  w.message(2);
  w.idField(1, span.traceId);
  w.idField(2, span.spanId);
  writeOptionalString(w, 3, span.traceState);
  if (span.parentSpanId !== '') w.idField(4, span.parentSpanId);
  w.stringField(5, span.name);
  writeCount(w, 6, span.kind);
  w.fixed64Field(7, span.startTimeUnixNano);
  w.fixed64Field(8, span.endTimeUnixNano);
  writeAttributes(w, 9, span.attributes);
  writeCount(w, 10, span.droppedAttributesCount);
  for (const event of span.events) writeEvent(w, event);
  writeCount(w, 12, span.droppedEventsCount);
  for (const link of span.links) writeLink(w, link);
  writeCount(w, 14, span.droppedLinksCount);
  if (span.statusCode !== 0 || span.statusMessage !== '') {
    w.message(15); // Status { message = 2, code = 3 }
    writeOptionalString(w, 2, span.statusMessage);
    writeCount(w, 3, span.statusCode);
    w.end();
  }
  if (span.flags !== 0) w.fixed32Field(16, span.flags);
  w.end();
}

/** Span.Event: time_unix_nano=1, name=2, attributes=3, dropped_attributes_count=4. */
function writeEvent(w: ProtoWriter, event: SpanEvent): void {
  w.message(11);
  w.fixed64Field(1, event.timeUnixNano);
  writeOptionalString(w, 2, event.name);
  writeAttributes(w, 3, event.attributes);
  writeCount(w, 4, event.droppedAttributesCount);
  w.end();
}

/** Span.Link: trace_id=1, span_id=2, trace_state=3, attributes=4, dropped_attributes_count=5, flags=6. */
function writeLink(w: ProtoWriter, link: SpanLink): void {
  w.message(13);
  w.idField(1, link.traceId);
  w.idField(2, link.spanId);
  writeOptionalString(w, 3, link.traceState);
  writeAttributes(w, 4, link.attributes);
  writeCount(w, 5, link.droppedAttributesCount);
  if (link.flags !== 0) w.fixed32Field(6, link.flags);
  w.end();
}
