import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NotifierAlert } from '../rule-types.ts';
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
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: hook
    webhook_configs: [{ url: "{{hook}}" }]
`;

interface Step {
  atMs: number;
  send?: NotifierAlert[];
  /** Alert summaries of the notifications sent at this step (none when empty). */
  expect: string[][];
}

const A = (startsAtMs: number, extra: Partial<NotifierAlert> = {}): NotifierAlert =>
  ruleAlert({ alertname: 'HighLatency', instance: 'a' }, startsAtMs, extra);
const B = (startsAtMs: number, extra: Partial<NotifierAlert> = {}): NotifierAlert =>
  ruleAlert({ alertname: 'HighLatency', instance: 'b' }, startsAtMs, extra);

// group_wait before the first notification, group_interval between updates, repeat_interval to
// resend an unchanged group, and the resolved notification (send_resolved defaults to true).
const STEPS: Step[] = [
  { atMs: T0, send: [A(T0)], expect: [] },
  { atMs: T0 + 29 * SECOND, expect: [] },
  { atMs: T0 + 30 * SECOND, expect: [['HighLatency/a:firing']] },
  { atMs: T0 + 40 * SECOND, send: [B(T0 + 40 * SECOND)], expect: [] },
  { atMs: T0 + 5 * MINUTE, expect: [] },
  { atMs: T0 + 30 * SECOND + 5 * MINUTE, expect: [['HighLatency/a:firing', 'HighLatency/b:firing']] },
  { atMs: T0 + 30 * SECOND + 10 * MINUTE, expect: [] },
  {
    atMs: T0 + 30 * SECOND + 5 * MINUTE + 4 * HOUR,
    expect: [['HighLatency/a:firing', 'HighLatency/b:firing']],
  },
  // The group is overdue (last flush 14,730 s), so this tick flushes: A resolved, B still firing.
  {
    atMs: T0 + 5 * HOUR,
    send: [A(T0, { endsAtMs: T0 + 5 * HOUR })],
    expect: [['HighLatency/a:resolved', 'HighLatency/b:firing']],
  },
  { atMs: T0 + 5 * HOUR + 4 * MINUTE, expect: [] },
  { atMs: T0 + 5 * HOUR + 5 * MINUTE, expect: [] },
];

test('group_wait, group_interval, repeat_interval and resolved notifications', async () => {
  const f = await startNotifierFixture(['hook'], CONFIG);
  try {
    let seen = 0;
    for (const step of STEPS) {
      if (step.send) f.send(step.atMs, step.send);
      await f.tick(step.atMs);
      const bodies = f.servers['hook']?.requests.slice(seen).map((r) => alertSummary(r.body)) ?? [];
      seen += bodies.length;
      assert.deepEqual(bodies, step.expect, `at T0+${(step.atMs - T0) / SECOND}s`);
    }
  } finally {
    await f.close();
  }
});

test('group_by splits groups; `...` groups each label set alone', async () => {
  const f = await startNotifierFixture(
    ['byName', 'all'],
    `
route:
  receiver: byName
  group_by: [alertname]
  group_wait: 10s
  routes:
    - matchers: [team="ml"]
      receiver: all
      group_by: ['...']
      continue: true
    - receiver: byName
receivers:
  - name: byName
    webhook_configs: [{ url: "{{byName}}" }]
  - name: all
    webhook_configs: [{ url: "{{all}}" }]
`,
  );
  try {
    f.send(T0, [
      ruleAlert({ alertname: 'X', instance: 'a', team: 'ml' }, T0),
      ruleAlert({ alertname: 'X', instance: 'b', team: 'ml' }, T0),
      ruleAlert({ alertname: 'Y', instance: 'a' }, T0),
    ]);
    await f.tick(T0 + 10 * SECOND);
    const byName = f.servers['byName']?.requests.map((r) => alertSummary(r.body).join(',')).sort();
    assert.deepEqual(
      byName,
      ['X/a:firing,X/b:firing', 'Y/a:firing'],
      'continue: the ml alerts reach both routes',
    );
    const all = f.servers['all']?.requests.map((r) => alertSummary(r.body).join(',')).sort();
    assert.deepEqual(all, ['X/a:firing', 'X/b:firing']);
    const groupKeys = f.servers['all']?.requests.map((r) => (r.body as { groupKey: string }).groupKey).sort();
    assert.deepEqual(groupKeys, [
      '{}/{team="ml"}:{alertname="X", instance="a", team="ml"}',
      '{}/{team="ml"}:{alertname="X", instance="b", team="ml"}',
    ]);
  } finally {
    await f.close();
  }
});

test('alerts expire at endsAt: an alert not re-sent resolves by itself', async () => {
  const f = await startNotifierFixture(['hook'], CONFIG);
  try {
    f.send(T0, [A(T0, { endsAtMs: T0 + 4 * MINUTE })]);
    await f.tick(T0 + 30 * SECOND);
    await f.tick(T0 + 30 * SECOND + 5 * MINUTE);
    assert.deepEqual(
      f.servers['hook']?.requests.map((r) => alertSummary(r.body)),
      [['HighLatency/a:firing'], ['HighLatency/a:resolved']],
    );
    const resolved = (f.servers['hook']?.requests[1]?.body as { alerts: { endsAt: string }[] }).alerts[0];
    assert.equal(resolved?.endsAt, '2024-05-01T12:04:00Z');
    // Notified and resolved: the group is gone, so a new alert waits a fresh group_wait.
    f.send(T0 + 20 * MINUTE, [A(T0 + 20 * MINUTE)]);
    await f.tick(T0 + 20 * MINUTE + 29 * SECOND);
    assert.equal(f.servers['hook']?.requests.length, 2);
  } finally {
    await f.close();
  }
});

test('send_resolved false: no resolved notification, and fired-and-resolved alerts are never sent', async () => {
  const f = await startNotifierFixture(
    ['hook'],
    CONFIG.replace('url: "{{hook}}"', 'url: "{{hook}}", send_resolved: false'),
  );
  try {
    f.send(T0, [A(T0), ruleAlert({ alertname: 'Flap' }, T0, { endsAtMs: T0 + 10 * SECOND })]);
    await f.tick(T0 + 30 * SECOND);
    assert.deepEqual(
      f.servers['hook']?.requests.map((r) => alertSummary(r.body)),
      [['HighLatency/a:firing']],
    );
    f.send(T0 + MINUTE, [A(T0, { endsAtMs: T0 + MINUTE })]);
    await f.tick(T0 + 30 * SECOND + 5 * MINUTE);
    assert.equal(f.servers['hook']?.requests.length, 1);
  } finally {
    await f.close();
  }
});

test('an alert that started long before arrives flushes at once (no group_wait)', async () => {
  const f = await startNotifierFixture(['hook'], CONFIG);
  try {
    f.send(T0, [A(T0 - 10 * MINUTE)]);
    await f.tick(T0);
    assert.equal(f.servers['hook']?.requests.length, 1);
  } finally {
    await f.close();
  }
});
