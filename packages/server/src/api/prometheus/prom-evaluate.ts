import type { ServerResponse } from 'node:http';
import type { QueryResult } from '../../query/promql/engine.ts';
import { PromQLError } from '../../query/promql/errors.ts';
import type { QueryLimiter } from '../../query/promql/query-limiter.ts';
import type { PromValue } from '../../query/promql/values.ts';
import { invalidParameter } from './prom-params.ts';

/** setTimeout fires at once for delays past 2^31 - 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface EvaluationLimits {
  limiter: QueryLimiter;
  timeoutMs: number;
  /** Closed before the answer is written → the client went away → canceled. */
  response: ServerResponse;
}

/**
 * Runs one engine call the way Prometheus's query handler does: under the concurrency gate
 * (query-limiter.ts), against a deadline (`timeout`, capped by the server's maximum) that also
 * covers the wait in the queue, and canceled when the client disconnects. Errors come out as
 * Prometheus words them: a bad_data error of the engine is a problem of the `query` parameter
 * (parse and type errors: `invalid parameter "query": 1:5: parse error: ...`); a passed deadline
 * is `query timed out in expression evaluation` (errorType timeout).
 *
 * The engine cannot be interrupted yet, so a timed-out evaluation keeps its limiter slot until it
 * really ends: the concurrency bound holds even for abandoned work.
 */
export async function evaluateQuery(
  run: () => Promise<QueryResult>,
  limits: EvaluationLimits,
): Promise<QueryResult> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new PromQLError('timeout', 'query timed out in expression evaluation')),
    Math.min(Math.max(0, limits.timeoutMs), MAX_TIMER_MS),
  );
  const onClose = (): void => {
    if (!limits.response.writableFinished)
      controller.abort(new PromQLError('canceled', 'query was canceled in expression evaluation'));
  };
  limits.response.once('close', onClose);
  let started = false;
  const evaluation = limits.limiter.run(() => {
    started = true;
    return run();
  }, controller.signal);
  try {
    return await untilAborted(evaluation, controller.signal, () => started);
  } catch (error: unknown) {
    if (error instanceof PromQLError && error.type === 'bad_data')
      throw invalidParameter('query', error.message);
    throw error;
  } finally {
    clearTimeout(timer);
    limits.response.off('close', onClose);
  }
}

/**
 * `task`, or the signal's reason once it aborts after `isStarted()` (before that the limiter
 * rejects the queued task itself, with the queue's wording).
 */
function untilAborted<T>(task: Promise<T>, signal: AbortSignal, isStarted: () => boolean): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      if (!isStarted()) return;
      const reason: unknown = signal.reason;
      reject(
        reason instanceof Error
          ? reason
          : new PromQLError('canceled', 'query was canceled in expression evaluation'),
      );
    };
    signal.addEventListener('abort', onAbort, { once: true });
    void task.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * At most `limit` series of a vector or matrix (truncateResults); scalars and strings are
 * unchanged. `limit` 0 means no limit.
 */
export function truncateResult(value: PromValue, limit: number): { value: PromValue; truncated: boolean } {
  if (limit > 0 && value.type === 'vector' && value.samples.length > limit)
    return { value: { type: 'vector', samples: value.samples.slice(0, limit) }, truncated: true };
  if (limit > 0 && value.type === 'matrix' && value.series.length > limit)
    return { value: { type: 'matrix', series: value.series.slice(0, limit) }, truncated: true };
  return { value, truncated: false };
}
