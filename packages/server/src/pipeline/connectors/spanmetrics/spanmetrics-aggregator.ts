import type { AttributeValue } from '../../../model/attributes.ts';
import { attributeText, newAttributes } from '../../../model/attributes.ts';
import type { Resource } from '../../../model/resource.ts';
import type { Span } from '../../../model/span.ts';
import type { UnixNano } from '../../../model/units.ts';
import { dimensionKey, dimensionValue, seriesAttributes } from './span-dimensions.ts';
import type { TrieKey, TrieNode } from './span-series.ts';
import { newTrieNode, overflowAttributes, ResourceAggregate, SpanSeries } from './span-series.ts';
import type { SpanMetricsSettings } from './spanmetrics-settings.ts';
import { recordEvents } from './span-events.ts';

const SERVICE_NAME = 'service.name';
const NO_EXEMPLAR_ATTRIBUTES = newAttributes();

/** What the aggregator counted that did not become an ordinary series. */
export interface SpanMetricsCounters {
  /** Spans whose combination arrived past aggregation_cardinality_limit (counted in the overflow series). */
  overflowSpans: number;
  /** Spans whose resource has no service.name (upstream skips them). */
  spansWithoutService: number;
}

/**
 * Aggregates spans into per-resource series (upstream connectorImp.aggregateMetrics). Holds no
 * timers; the connector flushes it.
 */
export class SpanMetricsAggregator {
  /** Insertion order is recency: a resource seen again moves to the end (LRU for resource_metrics_cache_size). */
  readonly aggregates = new Map<string, ResourceAggregate>();
  readonly counters: SpanMetricsCounters = { overflowSpans: 0, spansWithoutService: 0 };
  private byResource = new WeakMap<Resource, ResourceAggregate | null>();
  private readonly unitDivisor: number;
  private readonly keyAttributes: ReadonlySet<string> | null;
  // Exclusions resolved once: the lookup runs per span.
  private readonly excludeService: boolean;
  private readonly excludeName: boolean;
  private readonly excludeKind: boolean;
  private readonly excludeStatus: boolean;
  private readonly byScope: boolean;

  constructor(readonly settings: SpanMetricsSettings) {
    this.unitDivisor = settings.unit === 's' ? 1e9 : 1e6;
    this.keyAttributes =
      settings.resourceMetricsKeyAttributes.length > 0
        ? new Set(settings.resourceMetricsKeyAttributes)
        : null;
    this.excludeService = settings.excludeDimensions.has(SERVICE_NAME);
    this.excludeName = settings.excludeDimensions.has('span.name');
    this.excludeKind = settings.excludeDimensions.has('span.kind');
    this.excludeStatus = settings.excludeDimensions.has('status.code');
    this.byScope = settings.includeInstrumentationScope.size > 0;
  }

  /** Adds a batch; `nowMs` is the start time of series first seen in it. */
  add(spans: readonly Span[], nowMs: number): void {
    const startTimeUnixNano = BigInt(Math.floor(nowMs)) * 1_000_000n;
    for (const span of spans) {
      const aggregate = this.aggregateOf(span.resource, nowMs);
      if (!aggregate) {
        this.counters.spansWithoutService++;
        continue;
      }
      // Protect against end before start: duration 0, as upstream.
      const durationNanos =
        span.endTimeUnixNano > span.startTimeUnixNano ? span.endTimeUnixNano - span.startTimeUnixNano : 0n;
      const duration = Number(durationNanos) / this.unitDivisor;
      const series = this.seriesOf(aggregate, span, startTimeUnixNano, nowMs);
      series.calls++;
      series.lastSeenMs = nowMs;
      series.histogram?.observe(duration);
      this.addExemplar(series.exemplars, span, duration);
      if (this.settings.events.enabled && span.events.length > 0)
        recordEvents(this, aggregate, span, startTimeUnixNano, duration);
    }
  }

  /** Forgets what `removeAggregate` dropped; resources are re-resolved on their next span. */
  removeAggregate(aggregate: ResourceAggregate): void {
    aggregate.removed = true;
    this.aggregates.delete(aggregate.key);
  }

  addExemplar(exemplars: SpanSeries['exemplars'], span: Span, value: number): void {
    const { enabled, maxPerDataPoint } = this.settings.exemplars;
    if (!enabled || span.traceId === '' || exemplars.length >= maxPerDataPoint) return;
    exemplars.push({
      timeUnixNano: span.endTimeUnixNano,
      value,
      filteredAttributes: NO_EXEMPLAR_ATTRIBUTES,
      traceId: span.traceId,
      spanId: span.spanId,
    });
  }

  private aggregateOf(resource: Resource, nowMs: number): ResourceAggregate | null {
    const cached = this.byResource.get(resource);
    if (cached === null) return null;
    if (cached && !cached.removed) {
      cached.lastSeenMs = nowMs;
      return cached;
    }
    if (resource.attributes[SERVICE_NAME] === undefined) {
      this.byResource.set(resource, null);
      return null;
    }
    const key = this.resourceKey(resource);
    let aggregate = this.aggregates.get(key);
    if (aggregate) this.aggregates.delete(key);
    else aggregate = new ResourceAggregate(key, resource, nowMs);
    this.aggregates.set(key, aggregate);
    aggregate.lastSeenMs = nowMs;
    this.byResource.set(resource, aggregate);
    return aggregate;
  }

  /** Upstream createResourceKey: a hash of the resource attributes, or only of resource_metrics_key_attributes. */
  private resourceKey(resource: Resource): string {
    const parts: string[] = [];
    for (const name of Object.keys(resource.attributes).sort()) {
      if (this.keyAttributes && !this.keyAttributes.has(name)) continue;
      const value = resource.attributes[name] ?? null;
      parts.push(`${name}\u0000${typeof value}\u0000${attributeText(value)}`);
    }
    return parts.join('\u0001');
  }

  /** Finds the span's series by walking the lookup levels; creates it (or picks overflow) on a miss. */
  private seriesOf(
    aggregate: ResourceAggregate,
    span: Span,
    startTimeUnixNano: UnixNano,
    nowMs: number,
  ): SpanSeries {
    const { dimensions } = this.settings;
    const resourceAttributes = span.resource.attributes;
    let node: TrieNode | undefined = aggregate.root;
    const serviceKey = this.serviceKey(resourceAttributes[SERVICE_NAME]);
    node = node.children.get(serviceKey);
    if (node) node = node.children.get(this.nameKey(span));
    if (node) node = node.children.get(this.kindStatusKey(span));
    for (let i = 0; node && i < dimensions.length; i++) {
      const dimension = dimensions[i];
      if (dimension)
        node = node.children.get(
          dimensionKey(dimensionValue(dimension, span.attributes, resourceAttributes)),
        );
    }
    if (node && this.byScope) node = node.children.get(this.scopeKey(span));
    if (node?.series) return node.series;
    return this.createSeries(aggregate, span, startTimeUnixNano, nowMs);
  }

  private createSeries(
    aggregate: ResourceAggregate,
    span: Span,
    startTimeUnixNano: UnixNano,
    nowMs: number,
  ): SpanSeries {
    const { dimensions, histogram, aggregationCardinalityLimit } = this.settings;
    if (aggregate.series.size >= aggregationCardinalityLimit) {
      this.counters.overflowSpans++;
      aggregate.overflow ??= new SpanSeries(overflowAttributes(), startTimeUnixNano, nowMs, histogram, []);
      return aggregate.overflow;
    }
    const resourceAttributes = span.resource.attributes;
    const values = dimensions.map((d) => dimensionValue(d, span.attributes, resourceAttributes));
    const keys: TrieKey[] = [
      this.serviceKey(resourceAttributes[SERVICE_NAME]),
      this.nameKey(span),
      this.kindStatusKey(span),
      ...values.map(dimensionKey),
    ];
    if (this.byScope) keys.push(this.scopeKey(span));
    const path: { node: TrieNode; key: TrieKey }[] = [];
    let node = aggregate.root;
    for (const key of keys) {
      path.push({ node, key });
      let child = node.children.get(key);
      if (!child) node.children.set(key, (child = newTrieNode()));
      node = child;
    }
    const serviceName = attributeText(resourceAttributes[SERVICE_NAME] ?? null);
    const base = {
      serviceName,
      excluded: this.settings.excludeDimensions,
      includeScope: this.settings.includeInstrumentationScope,
    };
    const series = new SpanSeries(
      seriesAttributes(span, base, dimensions, values),
      startTimeUnixNano,
      nowMs,
      histogram,
      path,
    );
    node.series = series;
    aggregate.series.add(series);
    return series;
  }

  private serviceKey(value: AttributeValue | undefined): string {
    if (this.excludeService) return '';
    return typeof value === 'string' ? value : attributeText(value ?? null);
  }

  private nameKey(span: Span): string {
    return this.excludeName ? '' : span.name;
  }

  private kindStatusKey(span: Span): number {
    const kind = this.excludeKind ? 0 : span.kind;
    const status = this.excludeStatus ? 0 : span.statusCode;
    return kind * 3 + status;
  }

  private scopeKey(span: Span): string {
    return this.settings.includeInstrumentationScope.has(span.scope.name)
      ? `${span.scope.name}\u0000${span.scope.version}`
      : '';
  }
}
