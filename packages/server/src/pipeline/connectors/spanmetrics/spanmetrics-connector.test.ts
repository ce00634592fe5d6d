import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AttributeValue } from '../../../model/attributes.ts';
import { attributeText } from '../../../model/attributes.ts';
import type { MetricPoint } from '../../../model/metric-point.ts';
import { SpanKind, StatusCode } from '../../../model/span.ts';
import type { Span } from '../../../model/span.ts';
import { attrs, makeSpan, resource } from '../../../storage/contract-fixtures.ts';
import { connectorHarness } from '../shared/test-context.ts';
import { createSpanMetricsConnector } from './spanmetrics-connector.ts';

const MS = 1_000_000n;
const PREDICTOR = resource('predictor', { 'service.instance.id': 'p-1', 'ml.model.name': 'from-resource' });

function span(
  n: number,
  durationMs: number,
  extra: Partial<Span> = {},
  attributes: Record<string, AttributeValue> = {},
): Span {
  return {
    ...makeSpan({ trace: n, span: n, durationNanos: BigInt(durationMs * 1000) * 1000n, resource: PREDICTOR }),
    attributes: attrs(attributes),
    ...extra,
  };
}

const text = (value: AttributeValue | undefined): string => attributeText(value ?? null);

function byMetric(points: MetricPoint[], name: string): MetricPoint[] {
  return points.filter((p) => p.metric.name === name);
}

function labelsOf(point: MetricPoint): Record<string, unknown> {
  return { ...point.attributes };
}

async function flushOnce(settings: unknown, spans: Span[]): Promise<MetricPoint[]> {
  const h = connectorHarness();
  const connector = createSpanMetricsConnector(settings, h.sink, h.context);
  await connector.consume(spans);
  await connector.flush(h.scheduler.nowMs());
  return h.sink.last();
}

describe('spanmetrics calls and duration buckets', () => {
  // Durations 1, 2, 3, 50 ms and 20 s against the default ms buckets [2,4,6,8,10,50,…,15000]:
  // 1 and 2 land in le=2 (a value equal to a bound is in that bucket), 3 in le=4, 50 in le=50, 20 s in +Inf.
  const DURATIONS_MS = [1, 2, 3, 50, 20_000];
  const CASES: {
    name: string;
    settings: unknown;
    unit: string;
    buckets: number[];
    sum: number;
    bounds: number;
  }[] = [
    {
      name: 'default ms buckets',
      settings: {},
      unit: 'ms',
      buckets: [2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      sum: 20_056,
      bounds: 16,
    },
    {
      name: 'unit s divides the default buckets',
      settings: { histogram: { unit: 's' } },
      unit: 's',
      buckets: [2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      sum: 20.056,
      bounds: 16,
    },
    {
      name: 'explicit Go-duration buckets',
      settings: { histogram: { explicit: { buckets: ['1500us', '10ms', '1s'] } } },
      unit: 'ms',
      buckets: [1, 2, 1, 1],
      sum: 20_056,
      bounds: 3,
    },
  ];
  for (const c of CASES) {
    test(c.name, async () => {
      const points = await flushOnce(
        c.settings,
        DURATIONS_MS.map((d, i) => span(i + 1, d)),
      );
      const [calls] = byMetric(points, 'traces.span.metrics.calls');
      const [duration] = byMetric(points, 'traces.span.metrics.duration');
      assert.equal(calls?.value, 5);
      assert.equal(calls?.metric.isMonotonic, true);
      assert.equal(duration?.metric.unit, c.unit);
      assert.deepEqual(duration?.bucketCounts, c.buckets);
      assert.equal(duration?.explicitBounds?.length, c.bounds);
      assert.equal(duration?.count, 5);
      assert.ok(Math.abs((duration?.sum ?? 0) - c.sum) < 1e-9, `sum ${duration?.sum}`);
    });
  }

  test('one series per service, name, kind and status; resource is the span resource', async () => {
    const points = await flushOnce({}, [
      span(1, 5),
      span(2, 5, { statusCode: StatusCode.ERROR }),
      span(3, 5, { statusCode: StatusCode.ERROR }),
      span(4, 5, { kind: SpanKind.CLIENT }),
      span(5, 5, { name: 'other' }),
    ]);
    const calls = byMetric(points, 'traces.span.metrics.calls');
    const summary = calls.map(
      (p) =>
        `${text(p.attributes['span.name'])}|${text(p.attributes['span.kind'])}|${text(p.attributes['status.code'])}=${p.value}`,
    );
    assert.deepEqual(summary.sort(), [
      'inference.predict|SPAN_KIND_CLIENT|STATUS_CODE_UNSET=1',
      'inference.predict|SPAN_KIND_SERVER|STATUS_CODE_ERROR=2',
      'inference.predict|SPAN_KIND_SERVER|STATUS_CODE_UNSET=1',
      'other|SPAN_KIND_SERVER|STATUS_CODE_UNSET=1',
    ]);
    assert.ok(calls.every((p) => p.resource === PREDICTOR && p.attributes['service.name'] === 'predictor'));
  });
});

describe('spanmetrics dimensions', () => {
  test('span attribute first, then resource attribute, then default; omitted without either', async () => {
    const settings = {
      dimensions: [{ name: 'http.route' }, { name: 'region', default: 'eu' }, { name: 'absent' }],
    };
    const points = await flushOnce(settings, [
      span(1, 5, {}, { 'http.route': '/predict', 'ml.model.name': 'fraud', 'ml.model.version': 3n }),
      span(2, 5, {}, {}),
    ]);
    const calls = byMetric(points, 'traces.span.metrics.calls').map(labelsOf);
    assert.deepEqual(calls, [
      {
        'service.name': 'predictor',
        'span.name': 'inference.predict',
        'span.kind': 'SPAN_KIND_SERVER',
        'status.code': 'STATUS_CODE_UNSET',
        'http.route': '/predict',
        region: 'eu',
        'ml.model.name': 'fraud',
        'ml.model.version': 3n,
      },
      {
        'service.name': 'predictor',
        'span.name': 'inference.predict',
        'span.kind': 'SPAN_KIND_SERVER',
        'status.code': 'STATUS_CODE_UNSET',
        region: 'eu',
        'ml.model.name': 'from-resource',
      },
    ]);
  });

  test('exclude_dimensions drops reserved and Vigil default dimensions, merging series', async () => {
    const points = await flushOnce({ exclude_dimensions: ['status.code', 'ml.model.name'] }, [
      span(1, 5, { statusCode: StatusCode.ERROR }),
      span(2, 5, { statusCode: StatusCode.OK }),
    ]);
    const calls = byMetric(points, 'traces.span.metrics.calls');
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.value, 2);
    assert.deepEqual(Object.keys(calls[0]?.attributes ?? {}), ['service.name', 'span.name', 'span.kind']);
  });

  test('namespace and a disabled histogram', async () => {
    const points = await flushOnce({ namespace: '', histogram: { disable: true } }, [span(1, 5)]);
    assert.deepEqual(
      points.map((p) => p.metric.name),
      ['calls'],
    );
  });
});

describe('spanmetrics exemplars, overflow, temporality, expiry', () => {
  test('exemplars carry the trace and span ids of spans in the point, and are cleared after a flush', async () => {
    const h = connectorHarness();
    const connector = createSpanMetricsConnector(
      { exemplars: { enabled: true, max_per_data_point: 1 } },
      h.sink,
      h.context,
    );
    await connector.consume([span(7, 5), span(8, 6)]);
    await connector.flush(h.scheduler.nowMs());
    const [duration] = byMetric(h.sink.last(), 'traces.span.metrics.duration');
    assert.deepEqual(
      duration?.exemplars.map((e) => [e.traceId, e.spanId, e.value]),
      [['00000000000000000000000000000007', '0000000000000007', 5]],
    );
    await connector.flush(h.scheduler.nowMs());
    assert.deepEqual(byMetric(h.sink.last(), 'traces.span.metrics.duration')[0]?.exemplars, []);
  });

  test('past aggregation_cardinality_limit new combinations go to one overflow series', async () => {
    const h = connectorHarness();
    const connector = createSpanMetricsConnector({ aggregation_cardinality_limit: 2 }, h.sink, h.context);
    await connector.consume([
      span(1, 5, { name: 'a' }),
      span(2, 5, { name: 'b' }),
      span(3, 5, { name: 'c' }),
      span(4, 5, { name: 'd' }),
      span(5, 5, { name: 'a' }),
    ]);
    await connector.flush(h.scheduler.nowMs());
    const calls = byMetric(h.sink.last(), 'traces.span.metrics.calls');
    assert.deepEqual(
      calls.map((p) => [
        p.attributes['span.name'] ?? `overflow=${text(p.attributes['otel.metric.overflow'])}`,
        p.value,
      ]),
      [
        ['a', 2],
        ['b', 1],
        ['overflow=true', 2],
      ],
    );
    assert.equal(connector.stats().overflowSpans, 2);
    assert.equal(connector.stats().series, 3);
  });

  test('cumulative: counts grow across flushes from a fixed start time; delta: each flush from the last', async () => {
    for (const [temporality, expected] of [
      ['AGGREGATION_TEMPORALITY_CUMULATIVE', [2, 3]],
      ['AGGREGATION_TEMPORALITY_DELTA', [2, 1]],
    ] as const) {
      const h = connectorHarness(1_000_000);
      const connector = createSpanMetricsConnector(
        { aggregation_temporality: temporality, metrics_flush_interval: '15s' },
        h.sink,
        h.context,
      );
      await connector.consume([span(1, 5), span(2, 5)]);
      await h.scheduler.advanceTo(1_015_000);
      await connector.consume([span(3, 5)]);
      await h.scheduler.advanceTo(1_030_000);
      const calls = h.sink.batches.map((b) => byMetric(b, 'traces.span.metrics.calls')[0]);
      assert.deepEqual(
        calls.map((p) => p?.value),
        expected,
        temporality,
      );
      assert.deepEqual(
        calls.map((p) => p?.timeUnixNano),
        [1_015_000n * MS, 1_030_000n * MS],
      );
      const secondStart = temporality.endsWith('DELTA') ? 1_015_000n * MS : 1_000_000n * MS;
      assert.equal(calls[1]?.startTimeUnixNano, secondStart, temporality);
    }
  });

  test('metrics_expiration drops a resource not seen for that long; shutdown flushes', async () => {
    const h = connectorHarness(0);
    const connector = createSpanMetricsConnector(
      { metrics_expiration: '1m', metrics_flush_interval: '30s' },
      h.sink,
      h.context,
    );
    await connector.consume([span(1, 5)]);
    await h.scheduler.advanceTo(60_000);
    assert.equal(h.sink.batches.length, 2, 'flushed at 30 s and 60 s');
    assert.equal(connector.stats().series, 0, 'expired after the 60 s flush');
    await connector.consume([span(2, 5)]);
    await connector.shutdown();
    assert.equal(byMetric(h.sink.last(), 'traces.span.metrics.calls')[0]?.value, 1, 'counting restarted');
  });

  test('spans of a resource without service.name are skipped, as upstream', async () => {
    const h = connectorHarness();
    const connector = createSpanMetricsConnector({}, h.sink, h.context);
    const anonymous = { ...resource('x'), attributes: attrs({ 'host.name': 'h' }) };
    await connector.consume([{ ...span(1, 5), resource: anonymous }]);
    await connector.flush(h.scheduler.nowMs());
    assert.equal(h.sink.batches.length, 0);
    assert.equal(connector.stats().spansWithoutService, 1);
  });

  test('events: one counter per event dimension combination', async () => {
    const event = (kind: string) => ({
      timeUnixNano: 0n,
      name: 'exception',
      attributes: attrs({ 'exception.type': kind }),
      droppedAttributesCount: 0,
    });
    const points = await flushOnce({ events: { enabled: true, dimensions: [{ name: 'exception.type' }] } }, [
      { ...span(1, 5), events: [event('OOM'), event('OOM'), event('Timeout')] },
    ]);
    const events = byMetric(points, 'traces.span.metrics.events');
    assert.deepEqual(
      events.map((p) => [p.attributes['exception.type'], p.value]),
      [
        ['OOM', 2],
        ['Timeout', 1],
      ],
    );
  });

  test('exponential histogram keeps count, sum and at most max_size buckets', async () => {
    const points = await flushOnce(
      { histogram: { exponential: { max_size: 4 } } },
      [1, 2, 4, 1000, 0].map((d, i) => span(i + 1, d)),
    );
    const [duration] = byMetric(points, 'traces.span.metrics.duration');
    assert.equal(duration?.metric.type, 'exponential_histogram');
    assert.equal(duration?.count, 5);
    assert.equal(duration?.zeroCount, 1);
    assert.ok((duration?.positive?.bucketCounts.length ?? 99) <= 4);
    assert.equal(
      duration?.positive?.bucketCounts.reduce((a, b) => a + b, 0),
      4,
    );
  });
});
