import { newAttributes } from '../../model/attributes.ts';
import type { Resource, Scope } from '../../model/resource.ts';
import type { Span, SpanEvent, SpanLink } from '../../model/span.ts';
import { toSpanKind, toStatusCode } from './enums.ts';
import { readAttribute, skipOrReject } from './decode-common-proto.ts';
import type { DecodeResult } from './decode.ts';
import { decodeEnvelope } from './decode-envelope-proto.ts';
import type { ProtoReader } from './proto-reader.ts';
import { WireType } from './proto-reader.ts';
import type { Rejections } from './rejections.ts';

/**
 * ExportTraceServiceRequest (collector/trace/v1/trace_service.proto) → Span[], following
 * trace/v1/trace.proto of opentelemetry-proto v1.x. Spans with invalid ids are left out and counted.
 */

const LEN = WireType.LEN;
const VARINT = WireType.VARINT;
const I64 = WireType.I64;
const I32 = WireType.I32;

export function decodeTracesProto(body: Uint8Array): DecodeResult<'traces'> {
  return decodeEnvelope<Span>(body, pushSpan, 'spans');
}

function pushSpan(
  r: ProtoReader,
  end: number,
  resource: Resource,
  scope: Scope,
  spans: Span[],
  rejections: Rejections,
): void {
  const span = readSpan(r, end, resource, scope, rejections);
  if (span !== null) spans.push(span);
}

/** Span fields 1–16; returns null (and counts why) when its ids are invalid. */
function readSpan(
  r: ProtoReader,
  end: number,
  resource: Resource,
  scope: Scope,
  rejections: Rejections,
): Span | null {
  const span: Span = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    traceState: '',
    flags: 0,
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: newAttributes(),
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    statusCode: 0,
    statusMessage: '',
    resource,
    scope,
  };
  let traceId: string | null = '';
  let spanId: string | null = '';
  let parentSpanId: string | null = '';
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | LEN:
        traceId = r.id(end, 16);
        break;
      case (2 << 3) | LEN:
        spanId = r.id(end, 8);
        break;
      case (3 << 3) | LEN:
        span.traceState = r.string(end);
        break;
      case (4 << 3) | LEN:
        parentSpanId = r.id(end, 8);
        break;
      case (5 << 3) | LEN:
        span.name = r.string(end);
        break;
      case (6 << 3) | VARINT:
        span.kind = toSpanKind(r.int32());
        break;
      case (7 << 3) | I64:
        span.startTimeUnixNano = r.fixed64();
        break;
      case (8 << 3) | I64:
        span.endTimeUnixNano = r.fixed64();
        break;
      case (9 << 3) | LEN:
        readAttribute(r, tag, end, span.attributes);
        break;
      case (10 << 3) | VARINT:
        span.droppedAttributesCount = r.uint32();
        break;
      case (11 << 3) | LEN:
        span.events.push(readEvent(r, r.lengthEnd(end)));
        break;
      case (12 << 3) | VARINT:
        span.droppedEventsCount = r.uint32();
        break;
      case (13 << 3) | LEN: {
        const link = readLink(r, r.lengthEnd(end));
        // A link to an invalid span context points nowhere; it is dropped and counted as such.
        if (link === null) span.droppedLinksCount++;
        else span.links.push(link);
        break;
      }
      case (14 << 3) | VARINT:
        span.droppedLinksCount += r.uint32();
        break;
      case (15 << 3) | LEN:
        readStatus(r, r.lengthEnd(end), span);
        break;
      case (16 << 3) | I32:
        span.flags = r.fixed32();
        break;
      default:
        skipOrReject(r, tag, end, 16);
    }
  }
  r.checkEnd(end);
  // trace.proto: trace_id is 16 bytes and span_id 8 bytes, both required and not all zero.
  if (traceId === null || traceId === '') return reject(rejections, 'invalid trace_id');
  if (spanId === null || spanId === '') return reject(rejections, 'invalid span_id');
  if (parentSpanId === null) return reject(rejections, 'invalid parent_span_id');
  span.traceId = traceId;
  span.spanId = spanId;
  span.parentSpanId = parentSpanId;
  return span;
}

function reject(rejections: Rejections, reason: string): null {
  rejections.add(reason);
  return null;
}

/** Span.Event: time_unix_nano=1, name=2, attributes=3, dropped_attributes_count=4. */
function readEvent(r: ProtoReader, end: number): SpanEvent {
  const event: SpanEvent = {
    timeUnixNano: 0n,
    name: '',
    attributes: newAttributes(),
    droppedAttributesCount: 0,
  };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | I64)) event.timeUnixNano = r.fixed64();
    else if (tag === ((2 << 3) | LEN)) event.name = r.string(end);
    else if (tag >>> 3 === 3) readAttribute(r, tag, end, event.attributes);
    else if (tag === ((4 << 3) | VARINT)) event.droppedAttributesCount = r.uint32();
    else skipOrReject(r, tag, end, 4);
  }
  r.checkEnd(end);
  return event;
}

/** Span.Link: trace_id=1, span_id=2, trace_state=3, attributes=4, dropped_attributes_count=5, flags=6. */
function readLink(r: ProtoReader, end: number): SpanLink | null {
  const link: SpanLink = {
    traceId: '',
    spanId: '',
    traceState: '',
    attributes: newAttributes(),
    droppedAttributesCount: 0,
    flags: 0,
  };
  let traceId: string | null = '';
  let spanId: string | null = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | LEN)) traceId = r.id(end, 16);
    else if (tag === ((2 << 3) | LEN)) spanId = r.id(end, 8);
    else if (tag === ((3 << 3) | LEN)) link.traceState = r.string(end);
    else if (tag >>> 3 === 4) readAttribute(r, tag, end, link.attributes);
    else if (tag === ((5 << 3) | VARINT)) link.droppedAttributesCount = r.uint32();
    else if (tag === ((6 << 3) | I32)) link.flags = r.fixed32();
    else skipOrReject(r, tag, end, 6);
  }
  r.checkEnd(end);
  if (traceId === null || traceId === '' || spanId === null || spanId === '') return null;
  link.traceId = traceId;
  link.spanId = spanId;
  return link;
}

/** Status: message=2, code=3 (field 1 is reserved: the removed deprecated_code). */
function readStatus(r: ProtoReader, end: number, span: Span): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((2 << 3) | LEN)) span.statusMessage = r.string(end);
    else if (tag === ((3 << 3) | VARINT)) span.statusCode = toStatusCode(r.int32());
    else if (tag >>> 3 === 1) r.skip(tag, end);
    else skipOrReject(r, tag, end, 3);
  }
  r.checkEnd(end);
}
