import type { EncodedRequest } from '../exporter-helper.ts';

/** One encoded request held by a sending queue. */
export interface QueuedRequest extends EncodedRequest {
  /** Where a disk queue keeps it; absent in memory. */
  segment?: { sequence: number; index: number };
}

/**
 * A bounded queue of encoded requests between `consume` and the sending workers (the Collector's
 * exporterhelper queue: in memory, or persistent when `sending_queue.storage` is set).
 */
export interface RequestQueue {
  /** Requests waiting to be taken (not counting those being sent), for the queue_size gauge. */
  readonly size: number;
  /**
   * Adds all requests or none: false when they do not fit in `queue_size` (counting requests). A
   * disk queue resolves only once they are written and fsynced.
   */
  offer(requests: readonly EncodedRequest[]): Promise<boolean>;
  /** The oldest waiting request; waits while empty; undefined once closed and empty. */
  take(): Promise<QueuedRequest | undefined>;
  /** Sent, or dropped for good: the queue forgets it. */
  done(request: QueuedRequest): Promise<void>;
  /** Wakes every waiting `take` and refuses further offers; waiting requests can still be taken. */
  close(): void;
  /** Removes and returns what was never taken (shutdown ran out of time). */
  takeRemaining(): QueuedRequest[];
  /** True when a request survives a restart unless `done` (on-disk queue). */
  readonly persistent: boolean;
}

/** FIFO of requests with waiting takers; the shared core of both queues. */
export class WaitingList {
  private readonly items: QueuedRequest[] = [];
  private readonly takers: ((request: QueuedRequest | undefined) => void)[] = [];
  private closed = false;

  get length(): number {
    return this.items.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  push(request: QueuedRequest): void {
    const taker = this.takers.shift();
    if (taker !== undefined) taker(request);
    else this.items.push(request);
  }

  take(): Promise<QueuedRequest | undefined> {
    const next = this.items.shift();
    if (next !== undefined || this.closed) return Promise.resolve(next);
    return new Promise((resolve) => this.takers.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const taker of this.takers.splice(0)) taker(undefined);
  }

  takeAll(): QueuedRequest[] {
    return this.items.splice(0);
  }
}

/**
 * The in-memory sending queue: what it holds is lost if the process dies, as with the Collector's
 * default queue.
 *
 * @example
 * const queue = new MemoryQueue(1000);
 * if (!(await queue.offer(requests))) throw new OverloadedError('sending queue is full', 1);
 */
export class MemoryQueue implements RequestQueue {
  readonly persistent = false;
  private readonly list = new WaitingList();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.list.length;
  }

  offer(requests: readonly EncodedRequest[]): Promise<boolean> {
    if (this.list.isClosed || this.list.length + requests.length > this.capacity)
      return Promise.resolve(false);
    for (const request of requests) this.list.push({ body: request.body, items: request.items });
    return Promise.resolve(true);
  }

  take(): Promise<QueuedRequest | undefined> {
    return this.list.take();
  }

  done(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    this.list.close();
  }

  takeRemaining(): QueuedRequest[] {
    return this.list.takeAll();
  }
}
