import type { Signal, SignalBatch } from '../../model/signal.ts';
import type { Consumer } from './component.ts';

/**
 * Hands the same records to several consumers, as the Collector's fanoutconsumer does: resolves when
 * all accepted them, rejects with the first refusal (the client then retries; consumers that had
 * accepted may see the records twice, as in the Collector). Records are shared, not cloned: every
 * component is copy-on-write (component.ts).
 */
export class FanoutConsumer<S extends Signal> implements Consumer<S> {
  constructor(private readonly targets: Consumer<S>[] = []) {}

  /** Connectors are built before the pipelines they feed, so their targets arrive later. */
  add(target: Consumer<S>): void {
    this.targets.push(target);
  }

  get size(): number {
    return this.targets.length;
  }

  consume(records: SignalBatch[S]): Promise<void> {
    if (this.targets.length === 1) return this.targets[0]!.consume(records);
    return Promise.all(this.targets.map((target) => target.consume(records))).then(() => undefined);
  }
}
