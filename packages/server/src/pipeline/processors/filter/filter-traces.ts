/**
 * Filtering spans (processor/filterprocessor/traces.go): a span is dropped when its resource or the
 * span matches; span events of kept spans are dropped when a spanevent condition matches, on a copy
 * of the span (copy-on-write). A span whose events are all dropped is kept.
 */
import type { Resource } from '../../../model/resource.ts';
import type { Span, SpanEvent } from '../../../model/span.ts';
import type { Consumer, ProcessorInstance } from '../../graph/component.ts';
import { filterMetrics } from './filter-metrics.ts';
import type { TraceConditions } from './filter-settings.ts';
import { resourceMatcher } from './resource-cache.ts';

export function tracesFilter(
  conditions: TraceConditions,
  next: Consumer<'traces'>,
): ProcessorInstance<'traces'> {
  return {
    async consume(spans: Span[]): Promise<void> {
      const kept = filterSpans(spans, conditions);
      const dropped = spans.length - kept.length;
      if (dropped > 0) filterMetrics.dropped.inc({ signal: 'traces' }, dropped);
      // Upstream returns ErrSkipProcessingData for an emptied batch: nothing goes downstream.
      if (kept.length > 0) await next.consume(kept);
    },
  };
}

function filterSpans(spans: Span[], conditions: TraceConditions): Span[] {
  const resourceDropped = resourceMatcher<Resource>(conditions.resource);
  const filterEvents = !conditions.spanevent.isEmpty;
  const kept: Span[] = [];
  for (const span of spans) {
    if (resourceDropped(span.resource) || conditions.span.matches(span)) continue;
    kept.push(filterEvents && span.events.length > 0 ? withoutDroppedEvents(span, conditions) : span);
  }
  return kept;
}

function withoutDroppedEvents(span: Span, conditions: TraceConditions): Span {
  const events: SpanEvent[] = span.events.filter((event) => !conditions.spanevent.matches({ span, event }));
  return events.length === span.events.length ? span : { ...span, events };
}
