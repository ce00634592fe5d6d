import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  alertSummary,
  HOUR,
  MINUTE,
  ruleAlert,
  SECOND,
  startNotifierFixture,
  T0,
} from './notifier-fixture.ts';

const CONFIG = `
route:
  receiver: hook
  group_by: [service]
  group_wait: 10s
  group_interval: 1m
  routes:
    - matchers: [team="batch"]
      receiver: hook
      mute_time_intervals: [nights]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [service]
receivers:
  - name: hook
    webhook_configs: [{ url: "{{hook}}" }]
time_intervals:
  - name: nights
    time_intervals: [{ times: [{ start_time: "00:00", end_time: "06:00" }] }]
`;

test('a firing critical alert inhibits warnings of the same service only', async () => {
  const f = await startNotifierFixture(['hook'], CONFIG);
  try {
    f.send(T0, [
      ruleAlert({ alertname: 'ErrorsHigh', severity: 'critical', service: 'api' }, T0),
      ruleAlert({ alertname: 'LatencyHigh', severity: 'warning', service: 'api' }, T0),
      ruleAlert({ alertname: 'LatencyHigh', severity: 'warning', service: 'web' }, T0),
    ]);
    await f.tick(T0 + 10 * SECOND);
    const sent = f.servers['hook']?.requests.map((r) => alertSummary(r.body).join(',')).sort();
    assert.deepEqual(sent, ['ErrorsHigh:firing', 'LatencyHigh:firing']);
    const views = f.notifier.alerts(T0 + 10 * SECOND);
    const inhibited = views.filter((v) => v.inhibitedBy.length > 0).map((v) => v.alert.labels['service']);
    assert.deepEqual(inhibited, ['api']);
    // The critical alert resolves: the warning is no longer inhibited and is notified.
    f.send(T0 + 30 * SECOND, [
      ruleAlert({ alertname: 'ErrorsHigh', severity: 'critical', service: 'api' }, T0, {
        endsAtMs: T0 + 30 * SECOND,
      }),
    ]);
    await f.tick(T0 + 70 * SECOND);
    const apiGroup = f.servers['hook']?.requests.slice(2).map((r) => alertSummary(r.body));
    assert.deepEqual(apiGroup, [['ErrorsHigh:resolved', 'LatencyHigh:firing']]);
  } finally {
    await f.close();
  }
});

test('silences mute matching alerts while active; expiry lets them through', async () => {
  const f = await startNotifierFixture(['hook'], CONFIG);
  try {
    const id = f.notifier.silences.set(
      {
        matchers: [{ name: 'service', type: '=', value: 'api' }],
        startsAtMs: T0,
        endsAtMs: T0 + HOUR,
        createdBy: 't',
        comment: 'c',
      },
      T0,
    );
    f.send(T0, [
      ruleAlert({ alertname: 'A', service: 'api' }, T0),
      ruleAlert({ alertname: 'B', service: 'web' }, T0),
    ]);
    await f.tick(T0 + 10 * SECOND);
    assert.deepEqual(
      f.servers['hook']?.requests.map((r) => alertSummary(r.body)),
      [['B:firing']],
    );
    assert.deepEqual(
      f.notifier.alerts(T0 + 10 * SECOND).find((v) => v.alert.labels['alertname'] === 'A')?.silencedBy,
      [id],
    );
    f.notifier.silences.expire(id, T0 + 20 * SECOND);
    await f.tick(T0 + 70 * SECOND);
    assert.deepEqual(
      f.servers['hook']?.requests.slice(1).map((r) => alertSummary(r.body)),
      [['A:firing']],
    );
  } finally {
    await f.close();
  }
});

test('mute_time_intervals: a muted route sends nothing inside the interval', async () => {
  const f = await startNotifierFixture(['hook'], CONFIG);
  try {
    const night = Date.parse('2024-05-02T03:00:00Z');
    f.send(night, [ruleAlert({ alertname: 'Backlog', team: 'batch' }, night)]);
    await f.tick(night + 10 * SECOND);
    assert.equal(f.servers['hook']?.requests.length, 0);
    const morning = Date.parse('2024-05-02T06:00:00Z');
    await f.tick(morning);
    assert.deepEqual(
      f.servers['hook']?.requests.map((r) => alertSummary(r.body)),
      [['Backlog:firing']],
    );
    await f.tick(morning + MINUTE);
    assert.equal(f.servers['hook']?.requests.length, 1, 'no repeat before repeat_interval');
  } finally {
    await f.close();
  }
});
