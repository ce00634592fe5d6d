/**
 * Posting a notification: one JSON POST with a timeout, retried with exponential backoff on
 * network errors, 5xx and integration-specific codes (notify.Retrier: 429 for PagerDuty), bounded
 * in attempts and total time. Results carry an error class, never the URL or the response body:
 * Slack and PagerDuty URLs and bodies hold secrets.
 */
import type { DeliveryErrorClass } from './notification-log.ts';

export interface RetryPolicy {
  /** Per-attempt timeout. */
  timeoutMs: number;
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** No new attempt starts after this much time since the first. */
  budgetMs: number;
}

/** Defaults: 5 attempts, 10 s each, backoff 0.5 s doubling to 8 s, within 60 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  timeoutMs: 10_000,
  maxAttempts: 5,
  initialBackoffMs: 500,
  maxBackoffMs: 8_000,
  budgetMs: 60_000,
};

export interface DeliveryResult {
  ok: boolean;
  attempts: number;
  errorClass?: DeliveryErrorClass;
}

export interface JsonPost {
  url: string;
  body: unknown;
  /** Extra status codes worth retrying besides 5xx (PagerDuty: 429). */
  retryStatuses?: readonly number[];
}

/**
 * POSTs JSON until it succeeds (2xx) or the policy gives up. `signal` aborts waits and attempts
 * (the notifier closing).
 *
 * @example
 * const result = await postJsonWithRetry({ url, body }, DEFAULT_RETRY_POLICY);
 */
export async function postJsonWithRetry(
  post: JsonPost,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<DeliveryResult> {
  const startedMs = Date.now();
  const body = JSON.stringify(post.body);
  let errorClass: DeliveryErrorClass = 'network';
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    const outcome = await attemptPost(post.url, body, policy.timeoutMs, signal);
    if (outcome.ok) return { ok: true, attempts: attempt };
    errorClass = outcome.errorClass;
    const retryable =
      outcome.status === undefined
        ? errorClass !== 'payload'
        : outcome.status >= 500 || (post.retryStatuses ?? []).includes(outcome.status);
    const backoffMs = Math.min(policy.initialBackoffMs * 2 ** (attempt - 1), policy.maxBackoffMs);
    const outOfBudget = Date.now() - startedMs + backoffMs >= policy.budgetMs;
    if (!retryable || attempt === policy.maxAttempts || outOfBudget || signal?.aborted)
      return { ok: false, attempts: attempt, errorClass };
    await sleep(backoffMs, signal);
  }
  return { ok: false, attempts: policy.maxAttempts, errorClass };
}

type AttemptOutcome = { ok: true } | { ok: false; status?: number; errorClass: DeliveryErrorClass };

async function attemptPost(
  url: string,
  body: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<AttemptOutcome> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Vigil' },
      body,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    // Drain the body so the connection can be reused; its content is never logged.
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { ok: true };
    return { ok: false, status: response.status, errorClass: statusClass(response.status) };
  } catch {
    return { ok: false, errorClass: timeout.aborted ? 'timeout' : 'network' };
  }
}

function statusClass(status: number): DeliveryErrorClass {
  if (status >= 500) return 'http_5xx';
  if (status >= 400) return 'http_4xx';
  return 'http_other';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
