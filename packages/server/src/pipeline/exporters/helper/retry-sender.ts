import { setTimeout as sleep } from 'node:timers/promises';
import { ExportError } from '../exporter-helper.ts';
import type { RequestSender } from '../exporter-helper.ts';
import type { QueuedExporterSettings } from './exporter-helper-settings.ts';

/** How one request's delivery ended. */
export type SendOutcome =
  | { kind: 'sent' }
  /** The backend refused it for good (400, INVALID_ARGUMENT): drop and count. */
  | { kind: 'permanent'; error: ExportError }
  /** Retries ran out (max_elapsed_time) or are disabled. */
  | { kind: 'exhausted'; error: ExportError }
  /** Shutdown interrupted the retries: a disk queue keeps the request for the next start. */
  | { kind: 'stopped'; error: ExportError };

export interface RetryOptions {
  retry: QueuedExporterSettings['retry'];
  timeoutMs: number;
  nowMs: () => number;
  /** Aborted at shutdown: no more backoff waits (exporterhelper: "interrupted due to shutdown"). */
  stopRetries: AbortSignal;
  /** Aborted when shutdown's drain time is over: in-flight attempts are cut off. */
  stopAttempts: AbortSignal;
  random?: () => number;
}

/**
 * Exponential backoff with jitter as cenkalti/backoff's ExponentialBackOff, which the Collector's
 * retry sender uses (exporterhelper/internal/retry_sender.go): each wait is the current interval
 * ± randomization_factor, the interval grows by `multiplier` up to max_interval, and retrying stops
 * once the next wait would end past max_elapsed_time. A server's Retry-After / RetryInfo raises
 * the wait to at least that long (exporterhelper's throttleRetry).
 *
 * @example
 * const outcome = await sendWithRetry(send, body, { retry, timeoutMs: 5000, nowMs: Date.now, stopRetries, stopAttempts });
 * if (outcome.kind === 'permanent') dropAndCount(outcome.error);
 */
export async function sendWithRetry(
  send: RequestSender,
  body: Uint8Array,
  options: RetryOptions,
): Promise<SendOutcome> {
  const { retry } = options;
  const random = options.random ?? Math.random;
  const startedMs = options.nowMs();
  let intervalMs = retry.initialIntervalMs;
  for (;;) {
    const error = await attempt(send, body, options);
    if (error === undefined) return { kind: 'sent' };
    if (!error.retryable) return { kind: 'permanent', error };
    if (options.stopRetries.aborted) return { kind: 'stopped', error };
    if (!retry.enabled) return { kind: 'exhausted', error };
    let delayMs = intervalMs * (1 + retry.randomizationFactor * (2 * random() - 1));
    intervalMs = Math.min(intervalMs * retry.multiplier, retry.maxIntervalMs);
    const elapsedMs = options.nowMs() - startedMs;
    if (retry.maxElapsedMs > 0 && elapsedMs + delayMs > retry.maxElapsedMs)
      return { kind: 'exhausted', error };
    if (error.retryAfterMs !== undefined) delayMs = Math.max(delayMs, error.retryAfterMs);
    if (!(await wait(delayMs, options.stopRetries))) return { kind: 'stopped', error };
  }
}

/** One attempt under the per-request timeout; undefined on success. */
async function attempt(
  send: RequestSender,
  body: Uint8Array,
  options: RetryOptions,
): Promise<ExportError | undefined> {
  const signals = [options.stopAttempts];
  if (options.timeoutMs > 0) signals.push(AbortSignal.timeout(options.timeoutMs));
  try {
    await send(body, AbortSignal.any(signals));
    return undefined;
  } catch (error: unknown) {
    return toExportError(error);
  }
}

/** Anything a sender throws that is not an ExportError is treated as transient, named by class only. */
export function toExportError(error: unknown): ExportError {
  if (error instanceof ExportError) return error;
  const name = error instanceof Error ? error.name : typeof error;
  return new ExportError(`send failed with ${name}`, true);
}

/** Waits `delayMs` unless `signal` aborts first; true when the full wait elapsed. */
async function wait(delayMs: number, signal: AbortSignal): Promise<boolean> {
  try {
    // A referenced timer: a pending retry keeps the process alive, so queued data is not lost to
    // an idle exit; shutdown aborts `signal`, which ends the wait at once.
    await sleep(delayMs, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
