import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selfMetrics } from '../../telemetry/self-metrics.ts';
import { MINUTE, ruleAlert, SECOND, startNotifierFixture, T0 } from './notifier-fixture.ts';
import { notifyMetrics } from './notify-metrics.ts';

const CONFIG = (receiver: string): string => `
route:
  receiver: ${receiver}
  group_wait: 10s
  group_interval: 1m
receivers:
  - name: ${receiver}
    webhook_configs: [{ url: "{{hook}}/secret-token-in-path" }]
`;

test('retries: a receiver failing twice then succeeding gets one notification', async () => {
  const f = await startNotifierFixture(['hook'], CONFIG('flaky'));
  try {
    f.servers['hook']?.statuses.push(503, 500);
    f.send(T0, [ruleAlert({ alertname: 'X' }, T0)]);
    await f.tick(T0 + 10 * SECOND);
    assert.equal(f.servers['hook']?.requests.length, 3);
    const [record] = f.notifier.notifications();
    assert.deepEqual(record, {
      atMs: T0 + 10 * SECOND,
      receiver: 'flaky',
      integration: 'webhook',
      groupKey: '{}:{}',
      status: 'firing',
      alerts: 1,
      outcome: 'ok',
      attempts: 3,
    });
    assert.equal(notifyMetrics.notifications.get({ receiver: 'flaky', integration: 'webhook' }), 1);
    assert.equal(notifyMetrics.requests.get({ receiver: 'flaky', integration: 'webhook' }), 3);
    assert.match(
      selfMetrics.render(),
      /vigil_notifications_total\{integration="webhook",receiver="flaky"\} 1/,
    );
    // Delivered: the next flush has nothing new to say.
    await f.tick(T0 + 10 * SECOND + MINUTE);
    assert.equal(f.servers['hook']?.requests.length, 3);
  } finally {
    await f.close();
  }
});

test('failures: 4xx is not retried, is counted and logged without the URL, and retried next flush', async () => {
  const f = await startNotifierFixture(['hook'], CONFIG('broken'));
  try {
    f.servers['hook']?.statuses.push(400, 500, 500, 500);
    f.send(T0, [ruleAlert({ alertname: 'X' }, T0)]);
    await f.tick(T0 + 10 * SECOND);
    assert.equal(f.servers['hook']?.requests.length, 1, '400: no retry');
    await f.tick(T0 + 10 * SECOND + MINUTE);
    assert.equal(f.servers['hook']?.requests.length, 4, '5xx: retried up to maxAttempts (3)');
    const records = f.notifier.notifications({ outcome: 'failed' });
    assert.deepEqual(
      records.map((r) => [r.attempts, r.errorClass]),
      [
        [3, 'http_5xx'],
        [1, 'http_4xx'],
      ],
    );
    assert.equal(
      notifyMetrics.failed.get({ receiver: 'broken', integration: 'webhook', reason: 'http_4xx' }),
      1,
    );
    assert.equal(
      notifyMetrics.failed.get({ receiver: 'broken', integration: 'webhook', reason: 'http_5xx' }),
      1,
    );
    assert.equal(f.logLines.length, 2);
    for (const line of f.logLines) {
      assert.match(line, /receiver "broken" webhook\[0\] failed/);
      assert.doesNotMatch(line, /secret-token|127\.0\.0\.1/);
    }
    // Not recorded as notified: the third flush tries again and succeeds.
    await f.tick(T0 + 10 * SECOND + 2 * MINUTE);
    assert.equal(f.notifier.notifications({ limit: 1 })[0]?.outcome, 'ok');
  } finally {
    await f.close();
  }
});

test('an unreachable receiver is a network error, bounded by the retry policy', async () => {
  const f = await startNotifierFixture(['hook'], CONFIG('gone').replace('{{hook}}', 'http://127.0.0.1:9'));
  try {
    f.send(T0, [ruleAlert({ alertname: 'X' }, T0)]);
    await f.tick(T0 + 10 * SECOND);
    assert.deepEqual(
      f.notifier.notifications().map((r) => [r.outcome, r.attempts, r.errorClass]),
      [['failed', 3, 'network']],
    );
  } finally {
    await f.close();
  }
});

test(
  'close() cuts a retry backoff short and waits for the delivery to end',
  { timeout: 30_000 },
  async () => {
    const f = await startNotifierFixture(['hook'], CONFIG('slow'), {
      retryPolicy: { initialBackoffMs: 60_000, maxBackoffMs: 60_000, maxAttempts: 5, budgetMs: 600_000 },
    });
    f.servers['hook']?.statuses.push(503, 503, 503);
    f.send(T0, [ruleAlert({ alertname: 'X' }, T0)]);
    const ticking = f.tick(T0 + 10 * SECOND);
    while ((f.servers['hook']?.requests.length ?? 0) === 0)
      await new Promise((resolve) => setImmediate(resolve));
    const startedMs = performance.now();
    await f.close();
    await ticking;
    assert.ok(performance.now() - startedMs < 30_000, 'did not sit out the 60 s backoff');
    assert.deepEqual(
      f.notifier.notifications().map((r) => [r.outcome, r.attempts]),
      [['failed', 1]],
    );
  },
);
