import type { Attributes } from '../../../model/attributes.ts';
import { attributeText } from '../../../model/attributes.ts';
import type { Span } from '../../../model/span.ts';
import type { UnixNano } from '../../../model/units.ts';
import { dimensionKey, dimensionValue, seriesAttributes } from './span-dimensions.ts';
import type { EventSeries, ResourceAggregate } from './span-series.ts';
import { overflowAttributes } from './span-series.ts';
import type { SpanMetricsSettings } from './spanmetrics-settings.ts';

/** What recordEvents needs from the aggregator (an interface, so the two files import no cycle). */
export interface EventRecorder {
  readonly settings: SpanMetricsSettings;
  readonly counters: { overflowSpans: number };
  addExemplar(exemplars: EventSeries['exemplars'], span: Span, value: number): void;
}

/**
 * Counts a span's events per dimension combination (upstream aggregateMetrics, `events` section):
 * the dimensions are the connector's plus events.dimensions, looked up in the span's attributes,
 * then the event's, then the resource's. Events are rare next to spans, so a joined key string is
 * fine here.
 */
export function recordEvents(
  aggregator: EventRecorder,
  aggregate: ResourceAggregate,
  span: Span,
  startTimeUnixNano: UnixNano,
  duration: number,
): void {
  const settings = aggregator.settings;
  const dimensions = [...settings.dimensions, ...settings.events.dimensions];
  const resourceAttributes = span.resource.attributes;
  const serviceName = attributeText(resourceAttributes['service.name'] ?? null);
  for (const event of span.events) {
    const values = dimensions.map((d) =>
      dimensionValue(d, span.attributes, event.attributes, resourceAttributes),
    );
    const key = [span.name, span.kind, span.statusCode, serviceName, ...values.map(dimensionKey)].join(
      '\u0000',
    );
    let series = aggregate.events.get(key);
    if (!series) {
      if (aggregate.events.size >= settings.aggregationCardinalityLimit) {
        aggregator.counters.overflowSpans++;
        aggregate.eventsOverflow ??= newEventSeries(overflowAttributes(), startTimeUnixNano);
        series = aggregate.eventsOverflow;
      } else {
        const base = {
          serviceName,
          excluded: settings.excludeDimensions,
          includeScope: settings.includeInstrumentationScope,
        };
        series = newEventSeries(seriesAttributes(span, base, dimensions, values), startTimeUnixNano);
        aggregate.events.set(key, series);
      }
    }
    series.count++;
    aggregator.addExemplar(series.exemplars, span, duration);
  }
}

function newEventSeries(attributes: Attributes, startTimeUnixNano: UnixNano): EventSeries {
  return { attributes, startTimeUnixNano, count: 0, exemplars: [] };
}
