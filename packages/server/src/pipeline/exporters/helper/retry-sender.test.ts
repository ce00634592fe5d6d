import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExportError } from '../exporter-helper.ts';
import type { QueuedExporterSettings } from './exporter-helper-settings.ts';
import { sendWithRetry } from './retry-sender.ts';

const RETRY: QueuedExporterSettings['retry'] = {
  enabled: true,
  initialIntervalMs: 1,
  randomizationFactor: 0,
  multiplier: 1,
  maxIntervalMs: 1,
  maxElapsedMs: 250,
};

/** A clock that moves 100 ms each time it is read, so elapsed time is driven by the test, not by waiting. */
function steppingClock(): () => number {
  let nowMs = 0;
  return () => (nowMs += 100);
}

describe('sendWithRetry', () => {
  const CASES: {
    name: string;
    error: ExportError;
    retry?: Partial<typeof RETRY>;
    stopped?: boolean;
    kind: string;
    attempts: number;
  }[] = [
    {
      name: 'retries until max_elapsed_time',
      error: new ExportError('503', true),
      kind: 'exhausted',
      attempts: 3,
    },
    {
      name: 'retries longer with a longer max_elapsed_time',
      error: new ExportError('503', true),
      retry: { maxElapsedMs: 450 },
      kind: 'exhausted',
      attempts: 5,
    },
    {
      name: 'does not retry a permanent error',
      error: new ExportError('400', false),
      kind: 'permanent',
      attempts: 1,
    },
    {
      name: 'tries once with retries disabled',
      error: new ExportError('503', true),
      retry: { enabled: false },
      kind: 'exhausted',
      attempts: 1,
    },
    {
      name: 'stops retrying at shutdown',
      error: new ExportError('503', true),
      stopped: true,
      kind: 'stopped',
      attempts: 1,
    },
  ];
  for (const row of CASES) {
    it(row.name, async () => {
      let attempts = 0;
      const stop = new AbortController();
      if (row.stopped === true) stop.abort();
      const outcome = await sendWithRetry(
        () => {
          attempts++;
          return Promise.reject(row.error);
        },
        new Uint8Array(),
        {
          retry: { ...RETRY, ...row.retry },
          timeoutMs: 1000,
          nowMs: steppingClock(),
          stopRetries: stop.signal,
          stopAttempts: new AbortController().signal,
        },
      );
      assert.equal(outcome.kind, row.kind);
      assert.equal(attempts, row.attempts);
    });
  }

  it('succeeds after transient failures, and wraps foreign errors as retryable', async () => {
    let attempts = 0;
    const outcome = await sendWithRetry(
      () => (++attempts < 3 ? Promise.reject(new TypeError('socket hang up')) : Promise.resolve()),
      new Uint8Array(),
      {
        retry: { ...RETRY, maxElapsedMs: 0 },
        timeoutMs: 0,
        nowMs: () => 0,
        stopRetries: new AbortController().signal,
        stopAttempts: new AbortController().signal,
      },
    );
    assert.equal(outcome.kind, 'sent');
    assert.equal(attempts, 3);
  });
});
