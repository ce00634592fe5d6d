import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Span } from '../../../model/span.ts';
import { makeSpan, resource } from '../../../storage/contract-fixtures.ts';
import { OverloadedError, UnavailableError } from '../../errors.ts';
import type { Consumer } from '../../graph/component.ts';
import { ManualScheduler } from '../../graph/manual-scheduler.ts';
import { testComponentContext } from '../../graph/test-context.ts';
import { samplingStatsRegistry, tailSamplingMetrics } from './sampling-stats.ts';
import { tailSamplingFactory } from './tail-sampling-factory.ts';
import {
  ADJUSTED_COUNT_ATTRIBUTE,
  CACHED_DECISION_ATTRIBUTE,
  POLICY_ATTRIBUTE,
  TailSamplingProcessor,
} from './tail-sampling-processor.ts';
import { parseTailSamplingSettings } from './tail-sampling-settings.ts';

const START_MS = 1_760_000_000_000;
const MS = 1_000_000n;
const ERRORS = { name: 'error-traces', type: 'status_code', status_code: { status_codes: ['ERROR'] } };
const SLOW = { name: 'slow-traces', type: 'latency', latency: { threshold_ms: 500 } };
const TEN_PERCENT = {
  name: 'probabilistic-sampling',
  type: 'probabilistic',
  probabilistic: { sampling_percentage: 10 },
};
const SEED_POLICIES = [ERRORS, SLOW, TEN_PERCENT];

class RecordingConsumer implements Consumer<'traces'> {
  readonly batches: Span[][] = [];
  refuse = false;
  consume(spans: Span[]): Promise<void> {
    if (this.refuse) return Promise.reject(new OverloadedError('full', 1));
    this.batches.push(spans);
    return Promise.resolve();
  }
  get spans(): Span[] {
    return this.batches.flat();
  }
}

let processorCount = 0;

function setup(settings: Record<string, unknown>) {
  const scheduler = new ManualScheduler(START_MS);
  const context = testComponentContext({ id: `tail_sampling/test${++processorCount}`, scheduler });
  const logs = context.lines;
  const sink = new RecordingConsumer();
  const processor = new TailSamplingProcessor(parseTailSamplingSettings(settings), sink, context);
  return {
    scheduler,
    sink,
    processor,
    logs,
    id: context.id,
    advance: (ms: number) => scheduler.advanceTo(scheduler.nowMs() + ms),
  };
}

/**
 * Trace n's id: random-looking high bytes (as W3C random trace ids are) and n in the last four.
 * FNV-1a mixes the last bytes weakly into the top bits, so sequential ids would not sample evenly,
 * in upstream either (docs/tail-sampling.md).
 */
function traceIdOf(n: number): string {
  return (
    createHash('sha256').update(`trace-${n}`).digest('hex').slice(0, 24) + n.toString(16).padStart(8, '0')
  );
}

/** A two-span trace: root on `service`, one child; `status`/`durationMs` on the child. */
function traceSpans(
  n: number,
  options: { status?: 0 | 1 | 2; durationMs?: number; service?: string } = {},
): Span[] {
  const res = resource(options.service ?? 'fraud-api');
  const root = makeSpan({ trace: n, span: n * 10, resource: res });
  const child = makeSpan({
    trace: n,
    span: n * 10 + 1,
    parent: n * 10,
    resource: res,
    status: options.status ?? 0,
    durationNanos: BigInt(options.durationMs ?? 1) * MS,
  });
  return [root, child].map((span) => ({ ...span, traceId: traceIdOf(n) }));
}

const traceNumberOf = (span: Span) => parseInt(span.traceId.slice(24), 16);
const traceNumbers = (spans: Span[]) => [...new Set(spans.map(traceNumberOf))].sort((a, b) => a - b);

describe('tail_sampling processor', () => {
  it('keeps error and slow traces decision_wait after their first span, in one batch per tick', async () => {
    const { sink, processor, advance } = setup({ decision_wait: '10s', policies: [ERRORS, SLOW] });
    await processor.consume([
      ...traceSpans(1, { status: 2 }),
      ...traceSpans(2, { durationMs: 600 }),
      ...traceSpans(3),
    ]);
    await advance(9_000);
    assert.equal(sink.spans.length, 0, 'nothing before decision_wait');
    await advance(1_000);
    assert.equal(sink.batches.length, 1);
    assert.deepEqual(traceNumbers(sink.spans), [1, 2]);
    const policyOf = (n: number) =>
      sink.spans.find((s) => traceNumberOf(s) === n)?.attributes[POLICY_ATTRIBUTE];
    assert.equal(policyOf(1), 'error-traces');
    assert.equal(policyOf(2), 'slow-traces');
    assert.ok(sink.spans.every((s) => s.attributes[ADJUSTED_COUNT_ATTRIBUTE] === 1));
  });

  it('keeps about 10 % of 10k normal traces (binomial, 4 sigma), each standing for 10', async () => {
    const { sink, processor, advance } = setup({
      decision_wait: '10s',
      num_traces: 20_000,
      policies: SEED_POLICIES,
    });
    for (let n = 1; n <= 10_000; n++) await processor.consume(traceSpans(n));
    await advance(10_000);
    const kept = traceNumbers(sink.spans).length;
    const sigma = Math.sqrt(10_000 * 0.1 * 0.9);
    assert.ok(Math.abs(kept - 1000) < 4 * sigma, `kept ${kept} of 10000`);
    assert.ok(sink.spans.every((s) => s.attributes[ADJUSTED_COUNT_ATTRIBUTE] === 10));
    assert.ok(sink.spans.every((s) => s.attributes[POLICY_ATTRIBUTE] === 'probabilistic-sampling'));
  });

  it('decides a trace at first arrival + decision_wait, with spans that came meanwhile', async () => {
    const { sink, processor, advance } = setup({ decision_wait: '10s', policies: [ERRORS] });
    const [root, child] = traceSpans(1, { status: 2 });
    assert.ok(root && child);
    await processor.consume([root]);
    await advance(6_000);
    await processor.consume([child]);
    await advance(4_000);
    assert.equal(sink.spans.length, 2, 'both spans decided at 10 s, not 16 s');
  });

  it('late spans follow the decision: kept ones forwarded marked cached, dropped ones dropped', async () => {
    const { sink, processor, advance, id } = setup({ decision_wait: '1s', policies: [ERRORS] });
    const [errorRoot, errorChild] = traceSpans(1, { status: 2 });
    const [okRoot, okChild] = traceSpans(2);
    assert.ok(errorRoot && errorChild && okRoot && okChild);
    // The erroring child comes first; its root is late.
    await processor.consume([errorChild, okRoot]);
    await advance(1_000);
    await processor.consume([errorRoot, okChild]);
    await advance(100);
    const late = sink.batches[1] ?? [];
    assert.deepEqual(
      late.map((s) => s.spanId),
      [errorRoot.spanId],
    );
    assert.equal(late[0]?.attributes[CACHED_DECISION_ATTRIBUTE], true);
    assert.equal(late[0]?.attributes[POLICY_ATTRIBUTE], 'error-traces');
    assert.equal(processor.stats().services['fraud-api']?.lateSpans, 2);
    assert.equal(processor.stats().pendingTraces, 0, 'late spans do not start new traces');
    assert.equal(tailSamplingMetrics.lateSpansTotal.get({ processor: id, decision: 'sampled' }), 1);
    assert.equal(tailSamplingMetrics.lateSpansTotal.get({ processor: id, decision: 'not_sampled' }), 1);
  });

  it('at num_traces decides the oldest trace early, keeps it if it qualifies, and counts it', async () => {
    const { sink, processor, advance, id } = setup({
      decision_wait: '10s',
      num_traces: 3,
      policies: [ERRORS],
    });
    await processor.consume(traceSpans(1, { status: 2 }));
    for (let n = 2; n <= 6; n++) {
      await processor.consume(traceSpans(n));
      assert.ok(processor.stats().pendingTraces <= 3);
    }
    await advance(1_000); // a tick forwards what eviction kept, long before decision_wait
    assert.deepEqual(traceNumbers(sink.spans), [1]);
    const stats = processor.stats();
    assert.equal(stats.pendingTraces, 3);
    assert.equal(stats.services['fraud-api']?.evicted, 3);
    assert.equal(tailSamplingMetrics.evictedTotal.get({ processor: id }), 3);
  });

  it('counts per service (the root span’s), and by policy', async () => {
    const { processor, advance, id } = setup({ decision_wait: '1s', policies: [ERRORS, SLOW] });
    const [root, child] = traceSpans(1, { status: 2, service: 'gateway' });
    const modelChild = {
      ...makeSpan({ trace: 1, span: 99, parent: 10, resource: resource('fraud-model') }),
      traceId: traceIdOf(1),
    };
    assert.ok(root && child);
    await processor.consume([modelChild, root, child]);
    await processor.consume([
      ...traceSpans(2, { durationMs: 900, service: 'gateway' }),
      ...traceSpans(3, { service: 'fraud-model' }),
    ]);
    await advance(1_000);
    const { services } = processor.stats();
    assert.deepEqual(services['gateway'], {
      tracesSeen: 2,
      tracesKept: 2,
      spansSeen: 5,
      spansKept: 5,
      keptByPolicy: { 'error-traces': 1, 'slow-traces': 1 },
      evicted: 0,
      lateSpans: 0,
    });
    assert.equal(services['fraud-model']?.tracesKept, 0);
    assert.equal(tailSamplingMetrics.tracesTotal.get({ processor: id, decision: 'sampled' }), 2);
    assert.equal(tailSamplingMetrics.tracesTotal.get({ processor: id, decision: 'not_sampled' }), 1);
  });

  it('copies kept spans instead of changing the ones it was given', async () => {
    const { sink, processor, advance } = setup({ decision_wait: '1s', policies: [ERRORS] });
    const spans = traceSpans(1, { status: 2 });
    await processor.consume(spans);
    await advance(1_000);
    assert.ok(spans.every((s) => !(POLICY_ATTRIBUTE in s.attributes)));
    assert.notEqual(sink.spans[0], spans[0]);
    assert.equal(sink.spans[0]?.resource, spans[0]?.resource, 'resources stay shared');
  });

  it('shutdown decides and forwards everything pending, then refuses data', async () => {
    const { sink, processor, id } = setup({ decision_wait: '30s', policies: [ERRORS] });
    await processor.consume([...traceSpans(1, { status: 2 }), ...traceSpans(2)]);
    assert.ok(samplingStatsRegistry.has(id));
    await processor.shutdown();
    assert.deepEqual(traceNumbers(sink.spans), [1]);
    assert.equal(samplingStatsRegistry.has(id), false);
    await assert.rejects(processor.consume(traceSpans(3)), UnavailableError);
  });

  it('drop_pending_traces_on_shutdown drops what is undecided', async () => {
    const { sink, processor, logs } = setup({
      decision_wait: '30s',
      drop_pending_traces_on_shutdown: true,
      policies: [ERRORS],
    });
    await processor.consume(traceSpans(1, { status: 2 }));
    await processor.shutdown();
    assert.equal(sink.spans.length, 0);
    assert.match(logs.join('\n'), /dropped 1 undecided traces/);
  });

  it('counts and logs once when the next consumer refuses kept spans, without throwing', async () => {
    const { sink, processor, advance, logs, id } = setup({ decision_wait: '1s', policies: [ERRORS] });
    sink.refuse = true;
    await processor.consume(traceSpans(1, { status: 2 }));
    await advance(1_000);
    await processor.consume(traceSpans(2, { status: 2 }));
    await advance(1_000);
    assert.equal(tailSamplingMetrics.forwardFailedTotal.get({ processor: id }), 4);
    assert.equal(logs.filter((line) => line.includes('refused')).length, 1);
  });
});

describe('tailSamplingFactory', () => {
  it('creates a traces processor registered for the sampling API, with the seed policies', async () => {
    const scheduler = new ManualScheduler(START_MS);
    const sink = new RecordingConsumer();
    const context = testComponentContext({ id: 'tail_sampling/factory', scheduler });
    const first = tailSamplingFactory.create('traces', { policies: SEED_POLICIES }, sink, context);
    const second = tailSamplingFactory.create('traces', { policies: SEED_POLICIES }, sink, context);
    assert.deepEqual(tailSamplingFactory.signals, ['traces']);
    assert.ok(
      samplingStatsRegistry.has('tail_sampling/factory') &&
        samplingStatsRegistry.has('tail_sampling/factory#2'),
    );
    await first.consume(traceSpans(1, { status: 2 }));
    assert.equal(samplingStatsRegistry.get('tail_sampling/factory')?.().pendingTraces, 1);
    await first.shutdown?.();
    await second.shutdown?.();
    assert.equal(samplingStatsRegistry.has('tail_sampling/factory'), false);
  });
});
