import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttributeValue } from '../../../model/attributes.ts';
import { attributeText } from '../../../model/attributes.ts';
import type { MetricPoint } from '../../../model/metric-point.ts';
import type { Span, SpanKind, StatusCode } from '../../../model/span.ts';
import { attrs, makeSpan, resource } from '../../../storage/contract-fixtures.ts';
import { connectorHarness } from '../shared/test-context.ts';
import { createServiceGraphConnector } from './servicegraph-connector.ts';

const GATEWAY = resource('gateway');
const MODEL = resource('model-server');

interface SpanSide {
  trace: number;
  span: number;
  parent?: number;
  kind: SpanKind;
  service: typeof GATEWAY;
  durationMs: number;
  status?: StatusCode;
  attributes?: Record<string, AttributeValue>;
}

function side(s: SpanSide): Span {
  return makeSpan({
    trace: s.trace,
    span: s.span,
    ...(s.parent === undefined ? {} : { parent: s.parent }),
    kind: s.kind,
    status: s.status ?? 0,
    resource: s.service,
    durationNanos: BigInt(s.durationMs) * 1_000_000n,
    attributes: attrs(s.attributes ?? {}),
  });
}

const text = (value: AttributeValue | undefined): string => attributeText(value ?? null);

/** `metric{client->server type failed}=value` lines, sorted, for whole-output comparisons. */
function summary(points: MetricPoint[]): string[] {
  return points
    .map((p) => {
      const a = p.attributes;
      const edge = `${text(a['client'])}->${text(a['server'])} ${text(a['connection_type']) || '-'} failed=${text(a['failed'])}`;
      return `${p.metric.name}{${edge}}=${p.value ?? p.count}`;
    })
    .sort();
}

function setup(
  settings: unknown = {},
): ReturnType<typeof connectorHarness> & { connector: ReturnType<typeof createServiceGraphConnector> } {
  const h = connectorHarness(0);
  return { ...h, connector: createServiceGraphConnector(settings, h.sink, h.context) };
}

test('a client span and the server span it parents make one edge; latencies land in their buckets', async () => {
  const { connector, sink, scheduler } = setup();
  await connector.consume([
    side({ trace: 1, span: 1, kind: 3, service: GATEWAY, durationMs: 100 }),
    side({ trace: 1, span: 2, parent: 1, kind: 2, service: MODEL, durationMs: 80 }),
  ]);
  await connector.flush(scheduler.nowMs());
  assert.deepEqual(summary(sink.last()), [
    'traces_service_graph_request_client{gateway->model-server - failed=false}=1',
    'traces_service_graph_request_server{gateway->model-server - failed=false}=1',
    'traces_service_graph_request_total{gateway->model-server - failed=false}=1',
  ]);
  const server = sink.last().find((p) => p.metric.name === 'traces_service_graph_request_server');
  const client = sink.last().find((p) => p.metric.name === 'traces_service_graph_request_client');
  // Buckets [0.002 … 0.05, 0.1, …]: 0.08 s and 0.1 s both fall in le=0.1 (index 6).
  assert.equal(server?.bucketCounts?.[6], 1);
  assert.equal(client?.bucketCounts?.[6], 1);
  assert.equal(server?.metric.unit, 's');
  assert.equal(connector.stats().pendingEdges, 0);
});

test('a failed server side marks the edge failed and counts it in request_failed_total', async () => {
  const { connector, sink, scheduler } = setup();
  await connector.consume([
    side({ trace: 2, span: 1, kind: 3, service: GATEWAY, durationMs: 10 }),
    side({ trace: 2, span: 2, parent: 1, kind: 2, service: MODEL, durationMs: 9, status: 2 }),
    side({ trace: 3, span: 1, kind: 3, service: GATEWAY, durationMs: 10 }),
    side({ trace: 3, span: 2, parent: 1, kind: 2, service: MODEL, durationMs: 9 }),
  ]);
  await connector.flush(scheduler.nowMs());
  const counts = summary(sink.last()).filter((line) => line.includes('_total'));
  assert.deepEqual(counts, [
    'traces_service_graph_request_failed_total{gateway->model-server - failed=true}=1',
    'traces_service_graph_request_total{gateway->model-server - failed=false}=1',
    'traces_service_graph_request_total{gateway->model-server - failed=true}=1',
  ]);
});

test('virtual nodes: a database at once, a peer.service and a root request after the ttl', async () => {
  const { connector, sink, scheduler } = setup({ store: { ttl: '2s' }, metrics_flush_interval: '10s' });
  await connector.consume([
    side({
      trace: 4,
      span: 1,
      kind: 3,
      service: MODEL,
      durationMs: 5,
      attributes: { 'db.name': 'features', 'db.system': 'postgresql' },
    }),
    side({
      trace: 5,
      span: 1,
      kind: 3,
      service: MODEL,
      durationMs: 300,
      attributes: { 'peer.service': 'openai' },
    }),
    side({ trace: 6, span: 1, kind: 2, service: GATEWAY, durationMs: 50 }),
    side({ trace: 7, span: 1, kind: 3, service: GATEWAY, durationMs: 5 }),
  ]);
  assert.equal(connector.stats().pendingEdges, 3, 'the database edge needs no partner');
  await scheduler.advanceTo(10_000);
  assert.deepEqual(
    summary(sink.last()).filter((line) => line.includes('request_total')),
    [
      'traces_service_graph_request_total{gateway->unknown virtual_node failed=false}=1',
      'traces_service_graph_request_total{model-server->features database failed=false}=1',
      'traces_service_graph_request_total{model-server->openai virtual_node failed=false}=1',
      'traces_service_graph_request_total{user->gateway virtual_node failed=false}=1',
    ],
  );
  assert.deepEqual(connector.stats(), {
    totalEdges: 4,
    expiredEdges: 3,
    droppedSpans: 0,
    failedFlushes: 0,
    pendingEdges: 0,
    series: 4,
  });
});

test('edges pair only within the ttl: a late server span becomes its own edge', async () => {
  const { connector, sink, scheduler } = setup({ store: { ttl: '2s' }, virtual_node_peer_attributes: [] });
  await connector.consume([side({ trace: 8, span: 1, kind: 3, service: GATEWAY, durationMs: 5 })]);
  await scheduler.advanceTo(4_000);
  await connector.consume([side({ trace: 8, span: 2, parent: 1, kind: 2, service: MODEL, durationMs: 5 })]);
  await connector.flush(scheduler.nowMs());
  assert.equal(sink.batches.length, 0, 'no virtual nodes configured: expired halves make no series');
  assert.equal(connector.stats().expiredEdges, 1);
  assert.equal(connector.stats().pendingEdges, 1);
});

test('past store.max_items new unpaired spans are dropped and counted', async () => {
  const { connector } = setup({ store: { max_items: 2, ttl: '1m' } });
  await connector.consume(
    [1, 2, 3].map((n) => side({ trace: n, span: 1, kind: 3, service: GATEWAY, durationMs: 5 })),
  );
  assert.equal(connector.stats().pendingEdges, 2);
  assert.equal(connector.stats().droppedSpans, 1);
});

test('producer and consumer spans make a messaging_system edge; dimensions become client_/server_ attributes', async () => {
  const { connector, sink, scheduler } = setup({ dimensions: ['queue'] });
  await connector.consume([
    side({ trace: 9, span: 1, kind: 4, service: GATEWAY, durationMs: 1, attributes: { queue: 'jobs' } }),
    side({ trace: 9, span: 2, parent: 1, kind: 5, service: MODEL, durationMs: 30 }),
  ]);
  await connector.flush(scheduler.nowMs());
  const total = sink.last().find((p) => p.metric.name === 'traces_service_graph_request_total');
  assert.deepEqual(
    { ...total?.attributes },
    {
      client: 'gateway',
      server: 'model-server',
      connection_type: 'messaging_system',
      failed: false,
      client_queue: 'jobs',
    },
  );
});
