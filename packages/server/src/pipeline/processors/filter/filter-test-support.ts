/** Test support for the filter processor: a recording consumer, a context, and a one-call runner. */
import type { Signal, SignalBatch } from '../../../model/signal.ts';
import type { ComponentContext, Consumer } from '../../graph/component.ts';
import { testComponentContext } from '../../graph/test-context.ts';
import { filterFactory } from './filter-factory.ts';

/** A downstream consumer that keeps every batch it was given. */
export class RecordingConsumer<S extends Signal> implements Consumer<S> {
  readonly batches: SignalBatch[S][] = [];

  consume(records: SignalBatch[S]): Promise<void> {
    this.batches.push(records);
    return Promise.resolve();
  }

  /** Everything consumed so far, in order. */
  all(): SignalBatch[S] {
    return this.batches.flat() as SignalBatch[S];
  }
}

/** A context whose log lines are kept; the filter uses no clock or timers. */
export function testContext(): ComponentContext & { lines: string[] } {
  return testComponentContext({ id: 'filter/test' });
}

/** Creates a filter for `signal` with `settings`, runs one batch through it, returns what passed. */
export async function runFilter<S extends Signal>(
  signal: S,
  settings: unknown,
  records: SignalBatch[S],
): Promise<{ kept: SignalBatch[S]; lines: string[]; downstreamCalls: number }> {
  const next = new RecordingConsumer<S>();
  const context = testContext();
  await filterFactory.create(signal, settings, next, context).consume(records);
  return { kept: next.all(), lines: context.lines, downstreamCalls: next.batches.length };
}
