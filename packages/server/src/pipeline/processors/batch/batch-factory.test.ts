import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { Span } from '../../../model/span.ts';
import type { Signal, SignalBatch } from '../../../model/signal.ts';
import { makeSpan, metricPointsOfEveryType } from '../../../storage/contract-fixtures.ts';
import { UnavailableError } from '../../errors.ts';
import { SettingsError, type Consumer } from '../../graph/component.ts';
import { ManualScheduler } from '../../graph/manual-scheduler.ts';
import { testComponentContext } from '../../graph/test-context.ts';
import { batchFactory, batchMetrics, createBatchProcessor } from './batch-factory.ts';

interface DownstreamCall<S extends Signal> {
  records: SignalBatch[S];
  accept(): void;
  refuse(error: Error): void;
}

/** A downstream whose calls the test settles by hand, or at once when `autoAccept` is set. */
class ControlledConsumer<S extends Signal> implements Consumer<S> {
  readonly calls: DownstreamCall<S>[] = [];
  constructor(private readonly autoAccept = true) {}

  consume(records: SignalBatch[S]): Promise<void> {
    if (this.autoAccept) {
      this.calls.push({ records, accept: () => {}, refuse: () => {} });
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.calls.push({ records, accept: resolve, refuse: reject }));
  }

  get sizes(): number[] {
    return this.calls.map((call) => call.records.length);
  }
}

/** Watches a promise without awaiting it, to assert that it has not settled yet. */
function watch(promise: Promise<void>): { state: 'pending' | 'resolved' | 'rejected'; error?: unknown } {
  const watched: { state: 'pending' | 'resolved' | 'rejected'; error?: unknown } = { state: 'pending' };
  promise.then(
    () => (watched.state = 'resolved'),
    (error: unknown) => {
      watched.state = 'rejected';
      watched.error = error;
    },
  );
  return watched;
}

function spans(count: number, first = 0): Span[] {
  return Array.from({ length: count }, (_, i) => makeSpan({ trace: 1, span: first + i + 1 }));
}

function setUp<S extends Signal>(signal: S, settings: unknown, downstream = new ControlledConsumer<S>()) {
  const scheduler = new ManualScheduler(0);
  const context = testComponentContext({ id: 'batch', scheduler });
  const processor = createBatchProcessor(signal, settings, downstream, context);
  return { scheduler, downstream, processor };
}

describe('batch processor', () => {
  it('coalesces two requests into one downstream call and acknowledges neither before it', async () => {
    const { downstream, processor } = setUp('traces', { send_batch_size: 10, timeout: '1s' });
    const first = spans(3);
    const second = spans(4, 3);
    const a = watch(processor.consume(first));
    const b = watch(processor.consume(second));
    await nextTurn();
    assert.deepEqual(downstream.sizes, []);
    assert.equal(a.state, 'pending');
    assert.equal(b.state, 'pending');

    await processor.flush();
    assert.equal(downstream.calls.length, 1);
    assert.deepEqual(downstream.calls[0]!.records, [...first, ...second]);
    assert.equal(downstream.calls[0]!.records[0], first[0], 'records are handed on, not copied');
    assert.deepEqual([a.state, b.state], ['resolved', 'resolved']);
  });

  it('sends once send_batch_size records are pending', async () => {
    const { downstream, processor } = setUp('traces', { send_batch_size: 5, timeout: '10s' });
    const a = watch(processor.consume(spans(3)));
    await nextTurn();
    assert.deepEqual(downstream.sizes, []);
    await processor.consume(spans(3, 3));
    assert.deepEqual(downstream.sizes, [6], 'no maximum: the whole pending set goes');
    assert.equal(a.state, 'resolved');
  });

  it('sends when the oldest pending record waited the timeout', async () => {
    const { scheduler, downstream, processor } = setUp('traces', { send_batch_size: 100, timeout: '200ms' });
    const a = watch(processor.consume(spans(2)));
    await scheduler.advanceTo(150);
    assert.deepEqual(downstream.sizes, []);
    await scheduler.advanceTo(200);
    assert.deepEqual(downstream.sizes, [2]);
    await nextTurn();
    assert.equal(a.state, 'resolved');

    await scheduler.advanceTo(230);
    void processor.consume(spans(1, 2));
    await scheduler.advanceTo(400); // waited 170 ms
    assert.deepEqual(downstream.sizes, [2]);
    await scheduler.advanceTo(450); // the tick after it waited 200 ms
    assert.deepEqual(downstream.sizes, [2, 1]);
  });

  it('splits at send_batch_max_size and acknowledges a request only when all its pieces are accepted', async () => {
    const { downstream, processor } = setUp('traces', {
      send_batch_size: 4,
      send_batch_max_size: 5,
      timeout: '1s',
    });
    const request = spans(12);
    const a = watch(processor.consume(request));
    await nextTurn();
    assert.deepEqual(downstream.sizes, [5, 5], 'the 2 left are fewer than send_batch_size and wait');
    assert.equal(a.state, 'pending');

    await processor.flush();
    assert.deepEqual(downstream.sizes, [5, 5, 2]);
    assert.deepEqual(
      downstream.calls.flatMap((call) => call.records),
      request,
    );
    assert.equal(a.state, 'resolved');
  });

  it('rejects every request in a refused batch, and nothing else', async () => {
    const downstream = new ControlledConsumer<'traces'>(false);
    const { processor } = setUp('traces', { send_batch_size: 100, timeout: '1s' }, downstream);
    const a = watch(processor.consume(spans(1)));
    void processor.flush(); // batch 1: a
    const b = watch(processor.consume(spans(2, 1)));
    const c = watch(processor.consume(spans(2, 3)));
    void processor.flush(); // batch 2: b and c
    const d = watch(processor.consume(spans(1, 5))); // still pending

    const refusal = new UnavailableError('store is closing', 5);
    downstream.calls[1]!.refuse(refusal);
    downstream.calls[0]!.accept();
    await nextTurn();
    assert.deepEqual([a.state, b.state, c.state, d.state], ['resolved', 'rejected', 'rejected', 'pending']);
    assert.equal(b.error, refusal, 'the downstream error itself, so a 503 stays a 503');
    assert.equal(c.error, refusal);

    void processor.flush();
    downstream.calls[2]!.accept();
    await nextTurn();
    assert.equal(d.state, 'resolved');
  });

  it('rejects a request split over batches when any of its batches is refused', async () => {
    const downstream = new ControlledConsumer<'traces'>(false);
    const { processor } = setUp(
      'traces',
      { send_batch_size: 2, send_batch_max_size: 2, timeout: '1s' },
      downstream,
    );
    const a = watch(processor.consume(spans(4)));
    await nextTurn();
    assert.deepEqual(downstream.sizes, [2, 2]);
    downstream.calls[0]!.accept();
    await nextTurn();
    assert.equal(a.state, 'pending');
    downstream.calls[1]!.refuse(new Error('disk full'));
    await nextTurn();
    assert.equal(a.state, 'rejected');
  });

  it('shutdown sends what is pending, waits for it, and stops the timer', async () => {
    const { scheduler, downstream, processor } = setUp('traces', { send_batch_size: 100, timeout: '200ms' });
    const a = watch(processor.consume(spans(3)));
    await processor.shutdown();
    assert.deepEqual(downstream.sizes, [3]);
    assert.equal(a.state, 'resolved');
    assert.equal(batchMetrics.sends.get({ signal: 'traces', trigger: 'shutdown' }) >= 1, true);

    await processor.consume(spans(1, 3)); // after shutdown: sent at once, never stranded
    assert.deepEqual(downstream.sizes, [3, 1]);
    await scheduler.advanceTo(10_000);
    assert.deepEqual(downstream.sizes, [3, 1]);
  });

  const immediate = [
    { name: 'timeout 0', settings: { timeout: '0s', send_batch_size: 100 } },
    { name: 'send_batch_size 0', settings: { timeout: '1s', send_batch_size: 0 } },
  ];
  for (const row of immediate) {
    it(`sends every request at once with ${row.name}`, async () => {
      const { downstream, processor } = setUp('traces', row.settings);
      await processor.consume(spans(2));
      await processor.consume(spans(3, 2));
      assert.deepEqual(downstream.sizes, [2, 3]);
    });
  }

  it('counts metric data points as records', async () => {
    const points = metricPointsOfEveryType();
    const { downstream, processor } = setUp('metrics', { send_batch_size: points.length, timeout: '1s' });
    await processor.consume(points);
    assert.deepEqual(downstream.sizes, [points.length]);
  });

  it('is a processor type for every signal that validates its settings', () => {
    assert.equal(batchFactory.type, 'batch');
    assert.deepEqual([...batchFactory.signals], ['traces', 'metrics', 'logs']);
    const { processor } = setUp('logs', null);
    assert.equal(typeof processor.consume, 'function');
    assert.throws(() => setUp('logs', { send_batch_max_size: 1 }), SettingsError);
  });
});
