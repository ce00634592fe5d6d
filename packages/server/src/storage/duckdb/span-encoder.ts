import type { AttributeValue, Attributes } from '../../model/attributes.ts';
import type { Span, SpanEvent, SpanLink } from '../../model/span.ts';
import { encodeAttributesJson } from './attribute-codec.ts';
import type { Column, TableBatch } from './columnar.ts';
import { HexIdBuilder, Int64Builder, NumberBuilder, StringTable } from './columnar.ts';
import type { DimensionCollector } from './dimension-encoder.ts';
import { AttributeColumns, uint32Column } from './dimension-encoder.ts';

/** Span attribute first, then resource attribute (an ML service usually sets the model on the resource). */
function promoted(span: Span, key: string): AttributeValue | undefined {
  return span.attributes[key] ?? span.resource.attributes[key];
}

function promotedText(span: Span, key: string): string | null {
  const value = promoted(span, key);
  return typeof value === 'string' ? value : null;
}

/** http.response.status_code (semconv ≥ 1.20) or the legacy http.status_code, as int or numeric text. */
function httpStatus(attributes: Attributes): number | null {
  const value = attributes['http.response.status_code'] ?? attributes['http.status_code'];
  const status =
    typeof value === 'bigint' || typeof value === 'number' ? Number(value) : Number(value ?? NaN);
  return Number.isInteger(status) && status >= 0 && status <= 65_535 ? status : null;
}

/** Events and links are rare and never filtered on: one tagged JSON text each (ADR 0001). */
export function encodeEvents(events: readonly SpanEvent[]): string | null {
  if (events.length === 0) return null;
  return JSON.stringify(
    events.map((e) => [
      e.timeUnixNano.toString(),
      e.name,
      encodeAttributesJson(e.attributes),
      e.droppedAttributesCount,
    ]),
  );
}

export function encodeLinks(links: readonly SpanLink[]): string | null {
  if (links.length === 0) return null;
  return JSON.stringify(
    links.map((l) => [
      l.traceId,
      l.spanId,
      l.traceState,
      encodeAttributesJson(l.attributes),
      l.droppedAttributesCount,
      l.flags,
    ]),
  );
}

/** Spans → the `spans` and `trace_index` table batches (schema.ts order). */
export function encodeSpans(spans: readonly Span[], dimensions: DimensionCollector): TableBatch[] {
  const n = spans.length;
  const strings = new StringTable();
  const traceIds = new HexIdBuilder(n, 4);
  const spanIds = new HexIdBuilder(n, 2);
  const parentIds = new HexIdBuilder(n, 2);
  const starts = new Int64Builder(n, true);
  const durations = new Int64Builder(n, false);
  const httpStatuses = new NumberBuilder(n);
  const resourceIds = new Int64Builder(n, true);
  const scopeIds = new Int64Builder(n, true);
  const attributes = new AttributeColumns(n, strings);
  const traceWindows = new Map<string, [bigint, bigint]>();
  spans.forEach((span, row) => {
    traceIds.set(row, span.traceId);
    spanIds.set(row, span.spanId);
    parentIds.set(row, span.parentSpanId);
    starts.set(row, span.startTimeUnixNano);
    durations.set(row, span.endTimeUnixNano - span.startTimeUnixNano);
    httpStatuses.set(row, httpStatus(span.attributes));
    resourceIds.set(row, dimensions.resourceId(span.resource));
    scopeIds.set(row, dimensions.scopeId(span.scope));
    attributes.set(row, span.attributes);
    if (span.traceId !== '') widen(traceWindows, span.traceId, span.startTimeUnixNano);
  });
  const text = (pick: (span: Span) => string | null): Column => strings.column(spans.map(pick));
  const columns: Column[] = [
    traceIds.build(),
    spanIds.build(),
    parentIds.build(),
    starts.build(),
    durations.build(),
    text((s) => s.resource.serviceName),
    text((s) => s.name),
    uint32Column(spans.map((s) => s.kind)),
    uint32Column(spans.map((s) => s.statusCode)),
    text((s) => s.statusMessage),
    text((s) => promotedText(s, 'ml.model.name')),
    text((s) => promotedText(s, 'ml.model.version')),
    text((s) => promotedText(s, 'http.route')),
    httpStatuses.build(),
    resourceIds.build(),
    scopeIds.build(),
    text((s) => s.traceState),
    uint32Column(spans.map((s) => s.flags)),
    uint32Column(spans.map((s) => s.droppedAttributesCount)),
    uint32Column(spans.map((s) => s.droppedEventsCount)),
    uint32Column(spans.map((s) => s.droppedLinksCount)),
    text((s) => encodeEvents(s.events)),
    text((s) => encodeLinks(s.links)),
    ...attributes.build(),
  ];
  return [{ table: 'spans', rowCount: n, columns, strings: strings.strings }, traceIndexBatch(traceWindows)];
}

function widen(windows: Map<string, [bigint, bigint]>, traceId: string, start: bigint): void {
  const window = windows.get(traceId);
  if (!window) windows.set(traceId, [start, start]);
  else if (start < window[0]) window[0] = start;
  else if (start > window[1]) window[1] = start;
}

function traceIndexBatch(windows: Map<string, [bigint, bigint]>): TableBatch {
  const ids = new HexIdBuilder(windows.size, 4);
  const minStarts = new Int64Builder(windows.size, true);
  const maxStarts = new Int64Builder(windows.size, true);
  let row = 0;
  for (const [traceId, [min, max]] of windows) {
    ids.set(row, traceId);
    minStarts.set(row, min);
    maxStarts.set(row, max);
    row++;
  }
  return {
    table: 'trace_index',
    rowCount: windows.size,
    columns: [ids.build(), minStarts.build(), maxStarts.build()],
    strings: [],
  };
}
