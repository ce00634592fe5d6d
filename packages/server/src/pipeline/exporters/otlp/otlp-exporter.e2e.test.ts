/**
 * End to end: the otlp (gRPC) and otlphttp (proto and JSON) exporters forward spans, metrics and
 * logs to a second, real Vigil; what its store returns equals what was sent, field by field. A
 * backend that is down at first loses nothing once it comes up.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestVigil } from '../../../app/e2e-support.ts';
import type { RunningVigil } from '../../../app/start-vigil.ts';
import type { VigilConfig } from '../../../config/vigil-config.ts';
import type { MetricPoint } from '../../../model/metric-point.ts';
import type { Signal, SignalBatch } from '../../../model/signal.ts';
import type { Span } from '../../../model/span.ts';
import {
  hexId,
  makeLog,
  makeSpan,
  metricPointsOfEveryType,
  resource,
  richSpan,
} from '../../../storage/contract-fixtures.ts';
import type { ExporterFactory } from '../../graph/component.ts';
import { testContext } from '../helper/test-backend.ts';
import { otlpHttpExporterFactory } from './otlp-http-exporter.ts';
import { otlpExporterFactory } from './otlp-exporter.ts';

function quietVigil(config: VigilConfig): void {
  // Only what the exporter sends should be in the store.
  config.implicitConnectors.spanMetrics.enabled = false;
  config.implicitConnectors.serviceGraph.enabled = false;
}

const FAST_RETRY = { initial_interval: '10ms', max_interval: '50ms', max_elapsed_time: '30s' };

interface Transport {
  name: string;
  factory: ExporterFactory;
  settings: (vigil: RunningVigil) => Record<string, unknown>;
}

const TRANSPORTS: Transport[] = [
  {
    name: 'otlp (gRPC, gzip)',
    factory: otlpExporterFactory,
    settings: (v) => ({
      endpoint: `127.0.0.1:${v.ports.otlpGrpc}`,
      tls: { insecure: true },
      retry_on_failure: FAST_RETRY,
    }),
  },
  {
    name: 'otlphttp proto',
    factory: otlpHttpExporterFactory,
    settings: (v) => ({
      endpoint: `http://127.0.0.1:${v.ports.otlpHttp}`,
      compression: 'none',
      retry_on_failure: FAST_RETRY,
    }),
  },
  {
    name: 'otlphttp json gzip',
    factory: otlpHttpExporterFactory,
    settings: (v) => ({
      endpoint: `http://127.0.0.1:${v.ports.otlpHttp}`,
      encoding: 'json',
      retry_on_failure: FAST_RETRY,
    }),
  },
];

/** Records distinct per transport (trace ids, metric names, log bodies) so the store can tell them apart. */
function testData(n: number): SignalBatch {
  const rich = { ...richSpan(), traceId: hexId(0x1000 + n, 32) };
  const child = {
    ...makeSpan({ trace: 0x1000 + n, span: 0x77, parent: 0xdef }),
    resource: resource('other', { n: BigInt(n) }),
  };
  const metrics = metricPointsOfEveryType().map((point) => ({
    ...point,
    metric: { ...point.metric, name: `${point.metric.name}_t${n}` },
  }));
  const logs = [
    makeLog(n * 10, { body: `transport ${n} says hi`, traceId: rich.traceId, spanId: rich.spanId }),
    makeLog(n * 10 + 1, { body: new Map([['structured', 1n]]), severityNumber: 17, severityText: 'ERROR' }),
  ];
  return { traces: [rich, child], metrics, logs };
}

async function readBack(vigil: RunningVigil, sent: SignalBatch): Promise<SignalBatch> {
  const traces = await vigil.store.getTrace(sent.traces[0]?.traceId ?? '');
  const metrics: MetricPoint[] = [];
  for (const point of sent.metrics)
    metrics.push(...(await vigil.store.readMetricPoints({ name: point.metric.name, limit: 10 })));
  const logs = (await vigil.store.searchLogs({ limit: 1000 })).filter((log) =>
    sent.logs.some((s) => s.observedTimeUnixNano === log.observedTimeUnixNano),
  );
  return { traces, metrics, logs };
}

/** What metrics.proto can carry (see encode-otlp.test.ts): no temporality on gauges/summaries, no summary exemplars. */
function asOnTheWire(point: MetricPoint): MetricPoint {
  const { type } = point.metric;
  const metric = {
    ...point.metric,
    temporality: type === 'gauge' || type === 'summary' ? 0 : point.metric.temporality,
    isMonotonic: type === 'sum' && point.metric.isMonotonic,
  } as const;
  const base = { ...point, metric, exemplars: type === 'summary' ? [] : point.exemplars };
  if (type === 'gauge' || type === 'sum') return { ...base, valueIsInt: point.valueIsInt ?? false };
  return base;
}

function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripUndefined);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array || value instanceof Map)
    return value;
  const out = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = stripUndefined(item);
  return out;
}

const bySpanId = (a: Span, b: Span): number => a.spanId.localeCompare(b.spanId);
const byName = (a: MetricPoint, b: MetricPoint): number => a.metric.name.localeCompare(b.metric.name);
const byTime = (a: { observedTimeUnixNano: bigint }, b: { observedTimeUnixNano: bigint }): number =>
  Number(a.observedTimeUnixNano - b.observedTimeUnixNano);

async function forward(
  transport: Transport,
  vigil: RunningVigil,
  data: SignalBatch,
  id: string,
): Promise<void> {
  for (const signal of ['traces', 'metrics', 'logs'] as const satisfies Signal[]) {
    const exporter = transport.factory.create(
      signal,
      transport.settings(vigil),
      testContext({ id: `${id}/${signal}` }),
    );
    await exporter.consume(data[signal]);
    await exporter.shutdown(); // drains the queue
  }
}

function assertSame(received: SignalBatch, sent: SignalBatch): void {
  assert.deepEqual(
    stripUndefined([...received.traces].sort(bySpanId)),
    stripUndefined([...sent.traces].sort(bySpanId)),
  );
  assert.deepEqual(
    stripUndefined([...received.metrics].sort(byName)),
    stripUndefined(sent.metrics.map(asOnTheWire).sort(byName)),
  );
  assert.deepEqual(
    stripUndefined([...received.logs].sort(byTime)),
    stripUndefined([...sent.logs].sort(byTime)),
  );
}

describe('OTLP exporters forward to a second Vigil', () => {
  let vigil: RunningVigil;
  before(async () => {
    vigil = await startTestVigil(quietVigil);
  });
  after(() => vigil.close());

  TRANSPORTS.forEach((transport, n) => {
    it(`${transport.name}: spans, metrics and logs arrive field for field`, async () => {
      const data = testData(n + 1);
      await forward(transport, vigil, data, `e2e${n}`);
      assertSame(await readBack(vigil, data), data);
    });
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

it('otlphttp: a backend down at first loses nothing once it is up', async () => {
  const port = await freePort();
  const data = testData(9);
  const context = testContext({ id: 'otlphttp/late' });
  const settings = { endpoint: `http://127.0.0.1:${port}`, retry_on_failure: FAST_RETRY };
  const exporters = (['traces', 'metrics', 'logs'] as const).map((signal) => ({
    signal,
    exporter: otlpHttpExporterFactory.create(signal, settings, context),
  }));
  for (const { signal, exporter } of exporters) await exporter.consume(data[signal]);
  const vigil = await startTestVigil((config) => {
    quietVigil(config);
    config.otlpHttp.port = port;
  });
  try {
    let received: SignalBatch = { traces: [], metrics: [], logs: [] };
    const arrived = async (): Promise<boolean> => {
      received = await readBack(vigil, data);
      return received.traces.length === 2 && received.metrics.length === 5 && received.logs.length === 2;
    };
    for (let i = 0; i < 400 && !(await arrived()); i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    assertSame(received, data);
    for (const { exporter } of exporters) await exporter.shutdown();
    assert.deepEqual(context.lines, []);
  } finally {
    await vigil.close();
  }
});
