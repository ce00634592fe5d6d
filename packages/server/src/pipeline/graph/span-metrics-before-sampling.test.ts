/**
 * Issue 3's promise, checked on the real components: RED metrics are computed on every span before
 * tail sampling, so they are identical with and without 10% sampling downstream, and equal the exact
 * hand-computed counts and bucket counts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { attributeText } from '../../model/attributes.ts';
import type { MetricPoint } from '../../model/metric-point.ts';
import type { Span } from '../../model/span.ts';
import { StatusCode } from '../../model/span.ts';
import { makeSpan, resource } from '../../storage/contract-fixtures.ts';
import { defaultRegistry } from '../component-registry.ts';
import { PipelineGraph } from './build-graph.ts';
import type { CollectorGraphConfig } from './collector-graph-config.ts';
import type { ComponentContext } from './component.ts';
import { ManualScheduler } from './manual-scheduler.ts';
import { testComponentContext } from './test-context.ts';

const TRACES = 2000;
const PREDICTOR = resource('predictor');

/** Trace i: a 40 ms root (ERROR for every 50th) and a 4 ms child; ids hashed so they look random. */
function spansOf(i: number): Span[] {
  const traceId = createHash('sha256').update(`trace-${i}`).digest('hex').slice(0, 32);
  const root = makeSpan({ trace: 1, span: 1, durationNanos: 40_000_000n, resource: PREDICTOR });
  const child = makeSpan({
    trace: 1,
    span: 2,
    parent: 1,
    name: 'inference.forward_pass',
    durationNanos: 4_000_000n,
  });
  const status = i % 50 === 0 ? StatusCode.ERROR : StatusCode.UNSET;
  return [
    { ...root, traceId, statusCode: status },
    { ...child, traceId, resource: PREDICTOR },
  ];
}

const SAMPLED: CollectorGraphConfig = {
  processors: {
    tail_sampling: {
      decision_wait: '1s',
      policies: [{ name: 'ten-percent', type: 'probabilistic', probabilistic: { sampling_percentage: 10 } }],
    },
  },
  exporters: {},
  connectors: {},
  extensions: {},
  pipelines: [
    {
      id: 'traces',
      signal: 'traces',
      receivers: ['otlp'],
      processors: ['tail_sampling'],
      exporters: ['vigil'],
    },
  ],
  file: 'test.yaml',
  positions: {},
};

async function run(
  config: CollectorGraphConfig | undefined,
): Promise<{ spans: Span[]; points: MetricPoint[] }> {
  const stored = { spans: [] as Span[], points: [] as MetricPoint[] };
  const scheduler = new ManualScheduler(1_760_000_000_000);
  const contextFor = (id: string): ComponentContext => testComponentContext({ id, scheduler });
  const graph = new PipelineGraph({
    config,
    registry: defaultRegistry(),
    store: {
      traces: { consume: (r) => Promise.resolve(void stored.spans.push(...r)) },
      metrics: { consume: (r) => Promise.resolve(void stored.points.push(...r)) },
      logs: { consume: () => Promise.resolve() },
    },
    contextFor,
    implicitConnectors: [{ type: 'spanmetrics', settings: {} }],
  });
  const otlp = graph.receiver('otlp');
  for (let i = 0; i < TRACES; i += 100) {
    const batch = Array.from({ length: 100 }, (_, k) => spansOf(i + k)).flat();
    await otlp.consume('traces', batch);
  }
  await scheduler.advanceTo(scheduler.nowMs() + 5_000);
  await graph.shutdown();
  return stored;
}

/** name|status → calls, and name|status → bucket counts, from the last flush of each series. */
function redOf(points: readonly MetricPoint[]): Map<string, number | number[]> {
  const out = new Map<string, number | number[]>();
  for (const point of points) {
    const key = `${point.metric.name} ${attributeText(point.attributes['span.name'] ?? null)} ${attributeText(point.attributes['status.code'] ?? null)}`;
    out.set(key, point.metric.type === 'histogram' ? [...point.bucketCounts!] : point.value!);
  }
  return out;
}

describe('span metrics before tail sampling', () => {
  it('are exact, and the same with 10% sampling downstream', async () => {
    const unsampled = await run(undefined);
    const sampled = await run(SAMPLED);
    assert.equal(unsampled.spans.length, 2 * TRACES);
    const keptTraces = sampled.spans.length / 2;
    // Binomial(2000, 0.1): mean 200, sd 13.4; ±4 sd.
    assert.ok(keptTraces > 146 && keptTraces < 254, `kept ${keptTraces} traces`);

    const red = redOf(unsampled.points);
    assert.deepEqual(redOf(sampled.points), red);
    const errors = TRACES / 50;
    assert.equal(red.get('traces.span.metrics.calls inference.predict STATUS_CODE_ERROR'), errors);
    assert.equal(red.get('traces.span.metrics.calls inference.predict STATUS_CODE_UNSET'), TRACES - errors);
    assert.equal(red.get('traces.span.metrics.calls inference.forward_pass STATUS_CODE_UNSET'), TRACES);
    // Upstream default buckets (ms): 2, 4, 6, 8, 10, 50, 100, …; 4 ms falls in le=4, 40 ms in le=50.
    const childBuckets = red.get(
      'traces.span.metrics.duration inference.forward_pass STATUS_CODE_UNSET',
    ) as number[];
    assert.equal(childBuckets[1], TRACES);
    assert.equal(
      childBuckets.reduce((a, b) => a + b, 0),
      TRACES,
    );
    const rootBuckets = red.get(
      'traces.span.metrics.duration inference.predict STATUS_CODE_UNSET',
    ) as number[];
    assert.equal(rootBuckets[5], TRACES - errors);
  });
});
