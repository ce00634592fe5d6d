import type { LogRecord } from '../../../model/log-record.ts';
import type { MetricDescriptor, MetricPoint } from '../../../model/metric-point.ts';
import type { Signal } from '../../../model/signal.ts';
import type { Span } from '../../../model/span.ts';
import type { ComponentContext, Consumer, ProcessorFactory, ProcessorInstance } from '../../graph/component.ts';
import { SettingsReader } from '../../graph/settings-reader.ts';
import { applyAttributeActions } from './apply-actions.ts';
import { parseAttributeActions, type AttributeAction } from './attribute-actions.ts';
import { mapChanged } from './copy-on-write.ts';
import { parseMatchProperties, type MatchProperties } from './match/match-properties.ts';
import { ignoredMetricFields, logMatcher, metricMatcher, spanMatcher } from './match/record-matchers.ts';

/** A record predicate; undefined when the block is absent (or, for metrics, selects nothing). */
type Matcher<T> = ((record: T) => boolean) | undefined;

interface AttributesSettings {
  actions: AttributeAction[];
  include: MatchProperties | undefined;
  exclude: MatchProperties | undefined;
}

/**
 * The Collector's `attributes` processor (processor/attributesprocessor): applies `actions` to span
 * attributes, log record attributes and metric data point attributes, for the records the optional
 * `include`/`exclude` blocks select (include is checked first, then exclude). Span events, links,
 * resources and scopes are left alone, as upstream does.
 *
 * @example
 * // processors: { attributes: { actions: [{ key: deployment.environment, value: production, action: upsert }] } }
 * const processor = attributesFactory.create('metrics', settings, next, context);
 */
export const attributesFactory: ProcessorFactory = {
  type: 'attributes',
  signals: ['traces', 'metrics', 'logs'],
  create<S extends Signal>(signal: S, settings: unknown, next: Consumer<S>, context: ComponentContext): ProcessorInstance<S> {
    const parsed = parseSettings(settings);
    const builders: { [K in Signal]: (next: Consumer<K>) => ProcessorInstance<K> } = {
      traces: (nextSpans) => spanProcessor(parsed, nextSpans),
      logs: (nextLogs) => logProcessor(parsed, nextLogs),
      metrics: (nextPoints) => metricProcessor(parsed, nextPoints, context),
    };
    return builders[signal](next);
  },
};

function parseSettings(settings: unknown): AttributesSettings {
  const reader = SettingsReader.of(settings);
  reader.allowOnly(['actions', 'include', 'exclude']);
  return {
    actions: parseAttributeActions(reader, 'actions'),
    include: parseMatchProperties(reader.child('include')),
    exclude: parseMatchProperties(reader.child('exclude')),
  };
}

/** NewSkipExpr: skip what include does not match, or what exclude matches. */
function skipper<T>(include: Matcher<T>, exclude: Matcher<T>): Matcher<T> {
  if (!include && !exclude) return undefined;
  return (record) => (include !== undefined && !include(record)) || (exclude !== undefined && exclude(record));
}

function spanProcessor(settings: AttributesSettings, next: Consumer<'traces'>): ProcessorInstance<'traces'> {
  const { actions, include, exclude } = settings;
  const skip = skipper(include && spanMatcher(include), exclude && spanMatcher(exclude));
  const edit = (span: Span): Span => {
    if (skip?.(span)) return span;
    const attributes = applyAttributeActions(actions, span.attributes);
    return attributes === span.attributes ? span : { ...span, attributes };
  };
  return { consume: (spans) => next.consume(mapChanged(spans, edit)) };
}

function logProcessor(settings: AttributesSettings, next: Consumer<'logs'>): ProcessorInstance<'logs'> {
  const { actions, include, exclude } = settings;
  const skip = skipper(include && logMatcher(include), exclude && logMatcher(exclude));
  const edit = (log: LogRecord): LogRecord => {
    if (skip?.(log)) return log;
    const attributes = applyAttributeActions(actions, log.attributes);
    return attributes === log.attributes ? log : { ...log, attributes };
  };
  return { consume: (logs) => next.consume(mapChanged(logs, edit)) };
}

function metricProcessor(
  settings: AttributesSettings,
  next: Consumer<'metrics'>,
  context: ComponentContext,
): ProcessorInstance<'metrics'> {
  const { actions, include, exclude } = settings;
  for (const [block, props] of [['include', include], ['exclude', exclude]] as const) {
    const ignored = props ? ignoredMetricFields(props) : [];
    if (ignored.length > 0)
      context.log(`${context.id}: ${block}.${ignored.join(', ')} do not select metrics (only metric_names does, as in the Collector)`);
  }
  const skip = skipper(include && metricMatcher(include), exclude && metricMatcher(exclude));
  return {
    consume(points) {
      // Upstream decides per metric; points share their descriptor, so decide once per descriptor.
      const skipped = new Map<MetricDescriptor, boolean>();
      const skipMetric = (metric: MetricDescriptor): boolean => {
        let decision = skipped.get(metric);
        if (decision === undefined) skipped.set(metric, (decision = skip?.(metric) ?? false));
        return decision;
      };
      const edit = (point: MetricPoint): MetricPoint => {
        if (skip && skipMetric(point.metric)) return point;
        const attributes = applyAttributeActions(actions, point.attributes);
        return attributes === point.attributes ? point : { ...point, attributes };
      };
      return next.consume(mapChanged(points, edit));
    },
  };
}
