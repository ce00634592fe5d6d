import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Signal, SignalBatch } from '../../../model/signal.ts';
import { makeLog, makeSpan } from '../../../storage/contract-fixtures.ts';
import { OverloadedError } from '../../errors.ts';
import { SettingsError, type Consumer } from '../../graph/component.ts';
import { ManualScheduler } from '../../graph/manual-scheduler.ts';
import { testComponentContext } from '../../graph/test-context.ts';
import {
  createMemoryLimiterFactory,
  memoryLimiterRefused,
  REFUSAL_MESSAGE,
} from './memory-limiter-factory.ts';
import { MIB_BYTES } from './memory-limiter-settings.ts';

/** A fake process whose memory use the test sets, and which counts forced GCs. */
class FakeMemory {
  usedBytes = 0;
  gcRuns = 0;
  gcFreesBytes = 0;
  gcAvailable = false;
  readonly readers = {
    readMemoryBytes: (): number => this.usedBytes,
    totalMemoryBytes: (): number => 1000 * MIB_BYTES,
    runGc: (): boolean => {
      if (!this.gcAvailable) return false;
      this.gcRuns += 1;
      this.usedBytes -= this.gcFreesBytes;
      return true;
    },
  };
}

class KeepingConsumer<S extends Signal> implements Consumer<S> {
  readonly batches: SignalBatch[S][] = [];
  consume(records: SignalBatch[S]): Promise<void> {
    this.batches.push(records);
    return Promise.resolve();
  }
}

/** limit 100 MiB, spike 20 MiB: refusing starts at 80 MiB. */
const SETTINGS = { check_interval: '1s', limit_mib: 100, spike_limit_mib: 20 };

function setUp(id = 'memory_limiter') {
  const memory = new FakeMemory();
  const scheduler = new ManualScheduler(0);
  const context = testComponentContext({ id, scheduler });
  const logLines = context.lines;
  const factory = createMemoryLimiterFactory(memory.readers);
  return { memory, scheduler, logLines, context, factory };
}

async function assertRefused(promise: Promise<void>, retryAfterSeconds: number): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof OverloadedError);
    assert.equal(error.message, REFUSAL_MESSAGE);
    assert.equal(error.retryAfterSeconds, retryAfterSeconds);
    return true;
  });
}

describe('memory_limiter processor', () => {
  it('refuses above the soft limit and accepts again once below it', async () => {
    const { memory, scheduler, logLines, context, factory } = setUp();
    const next = new KeepingConsumer<'traces'>();
    const processor = factory.create('traces', SETTINGS, next, context);
    const span = makeSpan({ trace: 1, span: 1 });

    memory.usedBytes = 79 * MIB_BYTES;
    await scheduler.advanceTo(1000);
    await processor.consume([span]);
    assert.equal(next.batches.length, 1);

    memory.usedBytes = 80 * MIB_BYTES; // exactly the soft limit refuses, as upstream's `>=`
    await scheduler.advanceTo(2000);
    await assertRefused(processor.consume([span]), 1);
    assert.equal(next.batches.length, 1, 'a refused batch is not handed on');

    memory.usedBytes = 60 * MIB_BYTES;
    await scheduler.advanceTo(2999);
    await assertRefused(processor.consume([span]), 1); // no check yet: still refusing
    await scheduler.advanceTo(3000);
    await processor.consume([span]);
    assert.equal(next.batches.length, 2);

    assert.deepEqual(logLines, [
      'memory usage is above the soft limit, refusing data (used 80.0 MiB, soft limit 80.0 MiB, limit 100.0 MiB)',
      'memory usage back within limits, accepting data again (used 60.0 MiB, soft limit 80.0 MiB, limit 100.0 MiB)',
    ]);
  });

  it('shares one limiter between the pipelines that name the same id, and stops it with the last', async () => {
    const { memory, scheduler, context, factory } = setUp();
    const traces = factory.create('traces', SETTINGS, new KeepingConsumer<'traces'>(), context);
    const logs = factory.create('logs', SETTINGS, new KeepingConsumer<'logs'>(), context);
    let checks = 0;
    const readMemory = memory.readers.readMemoryBytes;
    memory.readers.readMemoryBytes = () => {
      checks += 1;
      return readMemory();
    };

    memory.usedBytes = 90 * MIB_BYTES;
    await scheduler.advanceTo(1000);
    assert.equal(checks, 1, 'one timer for both pipelines');
    await assertRefused(traces.consume([makeSpan({ trace: 1, span: 1 })]), 1);
    await assertRefused(logs.consume([makeLog(1)]), 1);

    await traces.shutdown?.();
    await scheduler.advanceTo(2000);
    assert.equal(checks, 2, 'still checking for the logs pipeline');
    await logs.shutdown?.();
    await scheduler.advanceTo(5000);
    assert.equal(checks, 2, 'stopped with the last pipeline');
  });

  it('keeps limiters of different ids apart', async () => {
    const { memory, scheduler, context, factory } = setUp('memory_limiter/strict');
    const strict = factory.create(
      'traces',
      { ...SETTINGS, limit_mib: 50, spike_limit_mib: 10 },
      new KeepingConsumer<'traces'>(),
      context,
    );
    const loose = factory.create('traces', SETTINGS, new KeepingConsumer<'traces'>(), {
      ...context,
      id: 'memory_limiter/loose',
    });
    memory.usedBytes = 60 * MIB_BYTES;
    await scheduler.advanceTo(1000);
    await assertRefused(strict.consume([makeSpan({ trace: 1, span: 1 })]), 1);
    await loose.consume([makeSpan({ trace: 1, span: 2 })]);
  });

  it('counts refused records by signal', async () => {
    const { memory, scheduler, context, factory } = setUp('memory_limiter/counted');
    const processor = factory.create('logs', SETTINGS, new KeepingConsumer<'logs'>(), context);
    const before = memoryLimiterRefused.get({ signal: 'logs' });
    memory.usedBytes = 95 * MIB_BYTES;
    await scheduler.advanceTo(1000);
    await assertRefused(processor.consume([makeLog(1), makeLog(2), makeLog(3)]), 1);
    assert.equal(memoryLimiterRefused.get({ signal: 'logs' }) - before, 3);
  });

  it('asks clients to retry after the check interval, in whole seconds', async () => {
    const { memory, scheduler, context, factory } = setUp();
    const processor = factory.create(
      'traces',
      { ...SETTINGS, check_interval: '2500ms' },
      new KeepingConsumer<'traces'>(),
      context,
    );
    memory.usedBytes = 95 * MIB_BYTES;
    await scheduler.advanceTo(2500);
    await assertRefused(processor.consume([makeSpan({ trace: 1, span: 1 })]), 3);
  });

  it('forces a GC, when one is exposed, no sooner than the min interval, and accepts if it helped', async () => {
    const { memory, scheduler, context, factory } = setUp();
    memory.gcAvailable = true;
    memory.gcFreesBytes = 30 * MIB_BYTES;
    const processor = factory.create(
      'traces',
      { ...SETTINGS, min_gc_interval_when_soft_limited: '5s' },
      new KeepingConsumer<'traces'>(),
      context,
    );
    memory.usedBytes = 85 * MIB_BYTES;
    await scheduler.advanceTo(5000); // 5 s since start is not "more than" 5 s: no GC yet
    assert.equal(memory.gcRuns, 0);
    await assertRefused(processor.consume([makeSpan({ trace: 1, span: 1 })]), 1);
    await scheduler.advanceTo(6000);
    assert.equal(memory.gcRuns, 1);
    await processor.consume([makeSpan({ trace: 1, span: 2 })]);
  });

  it('refuses invalid settings with a SettingsError', () => {
    const { context, factory } = setUp();
    assert.throws(
      () => factory.create('traces', { limit_mib: 100 }, new KeepingConsumer<'traces'>(), context),
      SettingsError,
    );
  });
});
