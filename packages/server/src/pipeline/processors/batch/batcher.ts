import type { BatchSettings } from './batch-settings.ts';

/** Why a batch was sent: full, its oldest record timed out, an explicit flush, or shutdown. */
export type SendTrigger = 'size' | 'timeout' | 'flush' | 'shutdown';

/** One `add` call: its promise settles once every batch holding its records has settled. */
interface Waiter {
  /** Records of this call not yet cut into a batch. */
  unbatched: number;
  /** Batches holding some of its records that `send` has not settled yet. */
  inFlight: number;
  failed: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

/** The not-yet-batched tail of one `add` call. */
interface PendingRun<R> {
  records: readonly R[];
  /** Records before this index are already in a batch. */
  offset: number;
  arrivedMs: number;
  waiter: Waiter;
}

/**
 * Coalesces records from many calls into batches, with the batch processor's triggers
 * (collector processor/batchprocessor/batch_processor.go `processItem`/`sendItems`): a batch is sent
 * once `sendBatchSize` records are pending, in pieces of at most `sendBatchMaxSize`; the rest waits
 * until its oldest record is `timeoutMs` old. A zero size or timeout sends every call at once.
 *
 * Unlike the Collector, which acknowledges a request as soon as it is queued in the batcher, `add`
 * resolves only when `send` accepted every batch holding that call's records, and rejects with the
 * first rejection among them: Vigil acknowledges only what is durable. A failed batch rejects exactly
 * the calls whose records it held.
 *
 * @example
 * const batcher = new Batcher(settings, (spans) => store.consume(spans), () => Date.now());
 * scheduler.every(settings.timeoutMs / 4, (nowMs) => batcher.sendDue(nowMs));
 * await batcher.add(spans); // resolves once the batch holding these spans is stored
 */
export class Batcher<R> {
  private readonly pending: PendingRun<R>[] = [];
  private pendingCount = 0;
  private readonly sending = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly settings: BatchSettings,
    private readonly send: (records: R[]) => Promise<void>,
    private readonly nowMs: () => number,
    private readonly onSend: (trigger: SendTrigger, records: number) => void = () => {},
  ) {}

  /** Records waiting for their batch to be cut. */
  get pendingRecords(): number {
    return this.pendingCount;
  }

  /** Queues `records`; resolves once all of them were accepted by `send`. */
  add(records: readonly R[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { unbatched: records.length, inFlight: 0, failed: false, resolve, reject };
      this.pending.push({ records, offset: 0, arrivedMs: this.nowMs(), waiter });
      this.pendingCount += records.length;
      this.sendFullBatches();
    });
  }

  /** The timer's work: sends everything pending once the oldest pending record waited `timeoutMs`. */
  sendDue(nowMs: number): void {
    const oldest = this.pending[0];
    if (oldest !== undefined && nowMs - oldest.arrivedMs >= this.settings.timeoutMs) {
      void this.sendAll('timeout');
    }
  }

  /** Sends everything pending now; resolves when those batches settled (their callers see the outcome). */
  flush(): Promise<void> {
    return this.sendAll('flush');
  }

  /** Sends everything pending and waits for every batch in flight; later `add` calls send at once. */
  async close(): Promise<void> {
    this.closed = true;
    await this.sendAll('shutdown');
    await Promise.all([...this.sending]);
  }

  private sendFullBatches(): void {
    const immediate = this.closed || this.settings.timeoutMs === 0 || this.settings.sendBatchSize === 0;
    while (this.pendingCount > 0 && (immediate || this.pendingCount >= this.settings.sendBatchSize)) {
      void this.sendOne('size');
    }
  }

  private sendAll(trigger: SendTrigger): Promise<void> {
    const batches: Promise<void>[] = [];
    while (this.pendingCount > 0) batches.push(this.sendOne(trigger));
    return Promise.all(batches).then(() => undefined);
  }

  /** Cuts one batch of up to `sendBatchMaxSize` records off the front and sends it; never rejects. */
  private sendOne(trigger: SendTrigger): Promise<void> {
    const max = this.settings.sendBatchMaxSize;
    const size = max > 0 ? Math.min(max, this.pendingCount) : this.pendingCount;
    const batch: R[] = [];
    const waiters = new Set<Waiter>();
    while (batch.length < size) {
      const run = this.pending[0]!;
      const take = Math.min(size - batch.length, run.records.length - run.offset);
      // A loop, not push(...slice): spreading a large request would overflow the call stack.
      for (let i = run.offset; i < run.offset + take; i++) batch.push(run.records[i]!);
      run.offset += take;
      run.waiter.unbatched -= take;
      waiters.add(run.waiter);
      if (run.offset === run.records.length) this.pending.shift();
    }
    this.pendingCount -= size;
    for (const waiter of waiters) waiter.inFlight += 1;
    this.onSend(trigger, size);
    return this.track(this.deliver(batch, waiters));
  }

  private deliver(batch: R[], waiters: Set<Waiter>): Promise<void> {
    return callSend(this.send, batch).then(
      () => {
        for (const waiter of waiters) {
          waiter.inFlight -= 1;
          if (!waiter.failed && waiter.unbatched === 0 && waiter.inFlight === 0) waiter.resolve();
        }
      },
      (error: unknown) => {
        for (const waiter of waiters) {
          waiter.inFlight -= 1;
          if (waiter.failed) continue;
          waiter.failed = true;
          waiter.reject(error);
        }
      },
    );
  }

  private track(delivery: Promise<void>): Promise<void> {
    this.sending.add(delivery);
    void delivery.finally(() => this.sending.delete(delivery));
    return delivery;
  }
}

/**
 * Calls `send` now; a `send` that throws synchronously becomes a rejection (the Promise executor
 * catches it), so one bad consumer cannot break the batching loop.
 */
function callSend<R>(send: (records: R[]) => Promise<void>, batch: R[]): Promise<void> {
  return new Promise<void>((resolve) => resolve(send(batch)));
}
