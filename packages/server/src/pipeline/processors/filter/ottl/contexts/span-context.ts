/**
 * The span and spanevent contexts (pkg/ottl/contexts/ottlspan, ottlspanevent; paths from
 * internal/ctxspan/span.go and ctxspanevent/span_events.go). `start_time`/`end_time` (Go time.Time)
 * and the `events`/`links` slices are not offered.
 */
import type { Span, SpanEvent } from '../../../../../model/span.ts';
import type { OttlContext, PathTable } from '../context.ts';
import { attributesPath, commonPaths, idPath, invalidPath, nested, resolvePath, scalar } from '../context.ts';
import { SPAN_ENUMS } from '../enums.ts';

const KIND_NAMES = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const KIND_SYMBOLS = KIND_NAMES.map((name) => `SPAN_KIND_${name.toUpperCase()}`);

function spanPaths(contextName: string): PathTable<Span> {
  return {
    ...commonPaths<Span>(
      contextName,
      (s) => s.resource,
      (s) => s.scope,
    ),
    trace_id: idPath<Span>(contextName, (s) => s.traceId, 16),
    span_id: idPath<Span>(contextName, (s) => s.spanId, 8),
    parent_span_id: idPath<Span>(contextName, (s) => s.parentSpanId, 8),
    trace_state: scalar(contextName, (s) => s.traceState),
    name: scalar(contextName, (s) => s.name),
    kind: nested(
      contextName,
      {
        string: scalar(contextName, (s) => KIND_NAMES[s.kind] ?? ''),
        deprecated_string: scalar(contextName, (s) => KIND_SYMBOLS[s.kind] ?? ''),
      },
      (s) => BigInt(s.kind),
    ),
    start_time_unix_nano: scalar(contextName, (s) => s.startTimeUnixNano),
    end_time_unix_nano: scalar(contextName, (s) => s.endTimeUnixNano),
    attributes: attributesPath(contextName, (s) => s.attributes),
    dropped_attributes_count: scalar(contextName, (s) => BigInt(s.droppedAttributesCount)),
    dropped_events_count: scalar(contextName, (s) => BigInt(s.droppedEventsCount)),
    dropped_links_count: scalar(contextName, (s) => BigInt(s.droppedLinksCount)),
    status: nested(contextName, {
      code: scalar(contextName, (s) => BigInt(s.statusCode)),
      message: scalar(contextName, (s) => s.statusMessage),
    }),
  };
}

const SPAN_PATHS = spanPaths('span');

/** The span context: conditions under `traces.span`. */
export const SPAN_CONTEXT: OttlContext<Span> = {
  name: 'span',
  enums: SPAN_ENUMS,
  path: (fields, column) => resolvePath('span', SPAN_PATHS, fields, column),
};

/** A span event with the span it belongs to (the spanevent context reads both). */
export interface SpanEventRecord {
  span: Span;
  event: SpanEvent;
}

const SPAN_EVENT_PATHS: PathTable<SpanEventRecord> = {
  ...commonPaths<SpanEventRecord>(
    'spanevent',
    (r) => r.span.resource,
    (r) => r.span.scope,
  ),
  name: scalar('spanevent', (r) => r.event.name),
  time_unix_nano: scalar('spanevent', (r) => r.event.timeUnixNano),
  attributes: attributesPath('spanevent', (r) => r.event.attributes),
  dropped_attributes_count: scalar('spanevent', (r) => BigInt(r.event.droppedAttributesCount)),
  // `span.<path>` reads the enclosing span, as ctxspanevent delegates to ctxspan.
  span: (field, rest, column) => {
    if (field.keys.length > 0 || rest.length === 0) throw invalidPath('spanevent', [field, ...rest], column);
    const getter = resolvePath('span', SPAN_PATHS, rest, column);
    return (r) => getter(r.span);
  },
};

/** The spanevent context: conditions under `traces.spanevent`. */
export const SPAN_EVENT_CONTEXT: OttlContext<SpanEventRecord> = {
  name: 'spanevent',
  enums: SPAN_ENUMS,
  path: (fields, column) => resolvePath('spanevent', SPAN_EVENT_PATHS, fields, column),
};
