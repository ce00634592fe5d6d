import type { Span, SpanEvent, SpanKind, SpanLink, StatusCode } from '../../model/span.ts';
import { decodeAttributesJson } from './attribute-codec.ts';
import type { DimensionCache } from './dimension-decoder.ts';
import { attributesAt } from './dimension-decoder.ts';
import { spanIdToHex, traceIdToHex } from './dimension-encoder.ts';

/** Columns selected for a full span, in the order decodeSpan reads them. */
export const SPAN_SELECT = `trace_id, span_id, parent_span_id, start_time, duration, name, kind, status_code,
  status_message, resource_id, scope_id, trace_state, flags, dropped_attributes, dropped_events, dropped_links,
  events, links, attr_str, attr_int, attr_dbl, attr_bool, attr_other`;

export const SPAN_RESOURCE_COLUMN = 9;
export const SPAN_SCOPE_COLUMN = 10;

function decodeEvents(json: string | null): SpanEvent[] {
  if (json === null) return [];
  return (JSON.parse(json) as [string, string, string | null, number][]).map(
    ([time, name, attributes, dropped]) => ({
      timeUnixNano: BigInt(time),
      name,
      attributes: decodeAttributesJson(attributes),
      droppedAttributesCount: dropped,
    }),
  );
}

function decodeLinks(json: string | null): SpanLink[] {
  if (json === null) return [];
  type Row = [string, string, string, string | null, number, number];
  return (JSON.parse(json) as Row[]).map(([traceId, spanId, traceState, attributes, dropped, flags]) => ({
    traceId,
    spanId,
    traceState,
    attributes: decodeAttributesJson(attributes),
    droppedAttributesCount: dropped,
    flags,
  }));
}

/** One SPAN_SELECT row → Span; the row's resource and scope must be loaded into `dimensions`. */
export function decodeSpan(row: readonly unknown[], dimensions: DimensionCache): Span {
  const start = row[3] as bigint;
  return {
    traceId: traceIdToHex(row[0] as bigint | null),
    spanId: spanIdToHex(row[1] as bigint | null),
    parentSpanId: spanIdToHex(row[2] as bigint | null),
    traceState: row[11] as string,
    flags: row[12] as number,
    name: row[5] as string,
    kind: row[6] as SpanKind,
    startTimeUnixNano: start,
    endTimeUnixNano: start + (row[4] as bigint),
    attributes: attributesAt(row, 18),
    droppedAttributesCount: row[13] as number,
    events: decodeEvents(row[16] as string | null),
    droppedEventsCount: row[14] as number,
    links: decodeLinks(row[17] as string | null),
    droppedLinksCount: row[15] as number,
    statusCode: row[7] as StatusCode,
    statusMessage: row[8] as string,
    resource: dimensions.resource(row[SPAN_RESOURCE_COLUMN] as bigint),
    scope: dimensions.scope(row[SPAN_SCOPE_COLUMN] as bigint),
  };
}

/** Decodes rows of SPAN_SELECT after loading the resources and scopes they reference. */
export async function decodeSpans(rows: readonly unknown[][], dimensions: DimensionCache): Promise<Span[]> {
  await dimensions.load(
    rows.map((row) => row[SPAN_RESOURCE_COLUMN] as bigint),
    rows.map((row) => row[SPAN_SCOPE_COLUMN] as bigint),
  );
  return rows.map((row) => decodeSpan(row, dimensions));
}
