import { PromQLError } from './errors.ts';

export interface QueryLimiterOptions {
  /** Queries evaluated at once (Prometheus --query.max-concurrency, default 20). */
  maxConcurrent: number;
  /** Queries that may wait for a slot; one more is refused at once (Prometheus's wait is unbounded). */
  maxQueued: number;
}

export const DEFAULT_QUERY_LIMITER_OPTIONS: QueryLimiterOptions = { maxConcurrent: 20, maxQueued: 200 };

interface Waiter {
  start: () => void;
}

/**
 * Bounds how many PromQL queries run at once, as Prometheus's ActiveQueryTracker gate does for
 * --query.max-concurrency: a query takes a slot before it is evaluated and gives it back when its
 * evaluation settles; others wait first-come first-served. Time spent waiting counts against the
 * query's deadline (the caller's AbortSignal): a query that is still queued when it fires fails
 * with the signal's reason, or Prometheus's "query timed out in query queue". Unlike Prometheus
 * the queue is bounded: past `maxQueued` waiters a query fails at once with errorType unavailable.
 *
 * @example
 * const limiter = new QueryLimiter({ maxConcurrent: 20, maxQueued: 200 });
 * const result = await limiter.run(() => engine.instantQuery('up', Date.now()), AbortSignal.timeout(120_000));
 */
export class QueryLimiter {
  private readonly options: QueryLimiterOptions;
  private running = 0;
  private readonly waiters: Waiter[] = [];

  constructor(options: Partial<QueryLimiterOptions> = {}) {
    this.options = { ...DEFAULT_QUERY_LIMITER_OPTIONS, ...options };
    if (!(this.options.maxConcurrent >= 1)) throw new RangeError('maxConcurrent must be at least 1');
    if (!(this.options.maxQueued >= 0)) throw new RangeError('maxQueued must not be negative');
  }

  /** Queries holding a slot now. */
  get active(): number {
    return this.running;
  }

  /** Queries waiting for a slot now. */
  get queued(): number {
    return this.waiters.length;
  }

  /**
   * Runs `query` once a slot is free. The slot is held until the promise `query` returns settles,
   * even when the caller stopped waiting for it, so abandoned work still counts against the limit.
   */
  async run<T>(query: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await query();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(queueAbortError(signal));
    if (this.running < this.options.maxConcurrent && this.waiters.length === 0) {
      this.running += 1;
      return Promise.resolve();
    }
    if (this.waiters.length >= this.options.maxQueued)
      return Promise.reject(
        new PromQLError('unavailable', 'too many queries waiting to be evaluated; retry later'),
      );
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(queueAbortError(signal));
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.running += 1;
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private release(): void {
    this.running -= 1;
    const next = this.waiters.shift();
    next?.start();
  }
}

/**
 * The error of a query whose deadline passed while it waited: the signal's reason when it is a
 * PromQLError, otherwise Prometheus's wording for a context that ended in the queue
 * (promql.ErrQueryTimeout / ErrQueryCanceled with "query queue").
 */
function queueAbortError(signal: AbortSignal | undefined): PromQLError {
  const reason: unknown = signal?.reason;
  if (reason instanceof PromQLError)
    return reason.type === 'timeout' ? new PromQLError('timeout', 'query timed out in query queue') : reason;
  if (reason instanceof DOMException && reason.name === 'TimeoutError')
    return new PromQLError('timeout', 'query timed out in query queue');
  return new PromQLError('canceled', 'query was canceled in query queue');
}
