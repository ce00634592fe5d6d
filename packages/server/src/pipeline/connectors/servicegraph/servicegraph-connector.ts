import type { Attributes } from '../../../model/attributes.ts';
import { attributeText } from '../../../model/attributes.ts';
import type { Span } from '../../../model/span.ts';
import { SpanKind, StatusCode } from '../../../model/span.ts';
import type { Cancel, ComponentContext, Consumer, Stoppable } from '../../graph/component.ts';
import { unixNanoOfMs } from '../shared/metric-output.ts';
import type { ConnectionType, Edge } from './edge-store.ts';
import { EdgeStore } from './edge-store.ts';
import { ServiceGraphSeries } from './servicegraph-series.ts';
import type { ServiceGraphSettings } from './servicegraph-settings.ts';
import { parseServiceGraphSettings } from './servicegraph-settings.ts';

/** upstream telemetry: connector_servicegraph_total_edges, _expired_edges, _dropped_spans. */
export interface ServiceGraphStats {
  totalEdges: number;
  expiredEdges: number;
  droppedSpans: number;
  /** Edges waiting for their other side. */
  pendingEdges: number;
  series: number;
  failedFlushes: number;
}

/**
 * The `servicegraph` connector (Collector contrib connector/servicegraphconnector): pairs each
 * client span (CLIENT/PRODUCER) with the server span (SERVER/CONSUMER) whose parent it is and
 * counts requests, failures and latencies per client → server edge. Unpaired client spans become
 * edges to a virtual node named by their peer attribute (databases, queues, external APIs) when
 * they expire; unpaired root server spans become edges from the virtual client `user`.
 *
 * @example
 * const connector = createServiceGraphConnector({ store: { ttl: '5s' } }, metricsPipeline, context);
 * await connector.consume(spans);
 */
export class ServiceGraphConnector implements Consumer<'traces'>, Stoppable {
  private readonly store: EdgeStore;
  private readonly series: ServiceGraphSeries;
  private readonly cancels: Cancel[] = [];
  private readonly startTimeUnixNano: bigint;
  private readonly counters = { totalEdges: 0, expiredEdges: 0, droppedSpans: 0, failedFlushes: 0 };
  private loggedFailure = false;

  constructor(
    readonly settings: ServiceGraphSettings,
    private readonly emit: Consumer<'metrics'>,
    private readonly context: ComponentContext,
  ) {
    this.startTimeUnixNano = unixNanoOfMs(context.nowMs());
    this.series = new ServiceGraphSeries(settings);
    this.store = new EdgeStore(
      settings.storeTtlMs,
      settings.storeMaxItems,
      (edge) => this.series.record(edge, this.context.nowMs()),
      (edge) => this.onExpire(edge),
    );
    const { scheduler } = context;
    if (settings.flushIntervalMs > 0)
      this.cancels.push(scheduler.every(settings.flushIntervalMs, (nowMs) => this.flush(nowMs)));
    this.cancels.push(scheduler.every(settings.storeExpirationLoopMs, (nowMs) => this.store.expire(nowMs)));
    this.cancels.push(scheduler.every(settings.cacheLoopMs, (nowMs) => this.series.dropStale(nowMs)));
  }

  async consume(spans: Span[]): Promise<void> {
    const nowMs = this.context.nowMs();
    for (const span of spans) this.addSpan(span, nowMs);
    if (this.settings.flushIntervalMs === 0) await this.flush(nowMs);
  }

  /** Expires due edges, then emits every series (upstream flushMetrics). */
  async flush(nowMs: number): Promise<void> {
    this.store.expire(nowMs);
    const points = this.series.points(
      this.startTimeUnixNano,
      unixNanoOfMs(nowMs - this.settings.timestampOffsetMs),
    );
    if (points.length === 0) return;
    try {
      await this.emit.consume(points);
    } catch (error: unknown) {
      this.counters.failedFlushes++;
      if (!this.loggedFailure) {
        this.loggedFailure = true;
        this.context.log(
          `${this.context.id}: metrics refused downstream (${error instanceof Error ? error.name : 'error'})`,
        );
      }
    }
  }

  async shutdown(): Promise<void> {
    for (const cancel of this.cancels) cancel();
    await this.flush(this.context.nowMs());
  }

  stats(): ServiceGraphStats {
    return { ...this.counters, pendingEdges: this.store.size, series: this.series.size };
  }

  /** upstream aggregateMetrics: one span's side of an edge. */
  private addSpan(span: Span, nowMs: number): void {
    const resourceAttributes = span.resource.attributes;
    const serviceValue = resourceAttributes['service.name'];
    if (serviceValue === undefined) return;
    const serviceName = attributeText(serviceValue);
    const isClient = span.kind === SpanKind.CLIENT || span.kind === SpanKind.PRODUCER;
    const isServer = span.kind === SpanKind.SERVER || span.kind === SpanKind.CONSUMER;
    if (!isClient && !isServer) return;
    const messaging = span.kind === SpanKind.PRODUCER || span.kind === SpanKind.CONSUMER;
    const connectionType: ConnectionType = messaging ? 'messaging_system' : '';
    const spanId = isClient ? span.spanId : span.parentSpanId;
    const latencySeconds = Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e9;
    const failed = span.statusCode === StatusCode.ERROR;
    const result = this.store.upsert(span.traceId + spanId, spanId === '', nowMs, (edge) => {
      edge.traceId = span.traceId;
      edge.connectionType = connectionType;
      edge.failed ||= failed;
      this.addDimensions(isClient ? 'client' : 'server', edge, resourceAttributes, span.attributes);
      if (isServer) {
        edge.serverService = serviceName;
        edge.serverLatencySeconds = latencySeconds;
        return;
      }
      edge.clientService = serviceName;
      edge.clientLatencySeconds = latencySeconds;
      this.addPeer(edge, span.attributes);
      // A database call has no server span: the client span names the database and stands for both sides.
      const database = firstValue(this.settings.databaseNameAttributes, resourceAttributes, span.attributes);
      if (database !== undefined) {
        edge.connectionType = 'database';
        edge.serverService = database;
        edge.serverLatencySeconds = latencySeconds;
      }
    });
    if (result === 'dropped') this.counters.droppedSpans++;
    else if (result === 'new') this.counters.totalEdges++;
  }

  /** upstream upsertDimensions: resource attributes first, then span attributes. */
  private addDimensions(kind: 'client' | 'server', edge: Edge, resource: Attributes, span: Attributes): void {
    for (const dimension of this.settings.dimensions) {
      const value = firstValue([dimension], resource, span);
      if (value !== undefined) edge.dimensions[`${kind}_${dimension}`] = value;
    }
  }

  /** upstream upsertPeerAttributes: the first configured peer attribute the span has. */
  private addPeer(edge: Edge, span: Attributes): void {
    for (const name of this.settings.virtualNodePeerAttributes) {
      const value = span[name];
      if (value !== undefined) {
        edge.peer[name] = attributeText(value);
        return;
      }
    }
  }

  /** upstream onExpire: an unpaired edge ends at a virtual node when peer attributes are configured. */
  private onExpire(edge: Edge): void {
    this.counters.expiredEdges++;
    const peers = this.settings.virtualNodePeerAttributes;
    if (peers.length === 0) return;
    const nowMs = this.context.nowMs();
    edge.connectionType = 'virtual_node';
    if (edge.clientService === '' && edge.keySpanIdEmpty) {
      edge.clientService = 'user';
      if (this.settings.virtualNodeExtraLabel) edge.virtualNodeLabel = 'client';
      this.series.record(edge, nowMs);
    }
    if (edge.serverService === '') {
      edge.serverService =
        peers.map((name) => edge.peer[name]).find((value) => value !== undefined) ?? 'unknown';
      if (this.settings.virtualNodeExtraLabel) edge.virtualNodeLabel = 'server';
      this.series.record(edge, nowMs);
    }
  }
}

/** The first of `names` found in any of the attribute sets, in order (pdatautil.GetAttributeValue). */
function firstValue(names: readonly string[], ...sets: Attributes[]): string | undefined {
  for (const name of names) {
    for (const attributes of sets) {
      const value = attributes[name];
      if (value !== undefined) return attributeText(value);
    }
  }
  return undefined;
}

/** Parses the settings (throwing SettingsError) and starts the flush and expiry timers. */
export function createServiceGraphConnector(
  settings: unknown,
  emit: Consumer<'metrics'>,
  context: ComponentContext,
): ServiceGraphConnector {
  return new ServiceGraphConnector(parseServiceGraphSettings(settings), emit, context);
}
