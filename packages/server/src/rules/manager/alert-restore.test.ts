import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { group, memoryManager, MINUTE_MS, rule, type TestManager } from './manager-test-support.ts';

const T0 = 1_700_000_000_000 - (1_700_000_000_000 % MINUTE_MS);
const at = (minute: number): number => T0 + minute * MINUTE_MS;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-alert-state-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** A manager with one always-true alerting rule, evaluated at the given minutes, then closed. */
async function run(statePath: string, forMs: number, minutes: number[], close = true): Promise<TestManager> {
  const test = memoryManager({ statePath });
  test.manager.setGroups([group('g', [rule({ alert: 'Always', expr: 'vector(1)', forMs })])]);
  for (const minute of minutes) await test.manager.evaluateGroupAt('test.yaml;g', at(minute));
  if (close) await test.manager.close();
  return test;
}

function alertSummary(test: TestManager): [string, number, number | undefined] | undefined {
  const [alert] = test.manager.alerts();
  if (!alert) return undefined;
  return [
    alert.state,
    (alert.activeAtMs - T0) / MINUTE_MS,
    alert.firedAtMs === undefined ? undefined : (alert.firedAtMs - T0) / MINUTE_MS,
  ];
}

interface RestoreCase {
  name: string;
  forMs: number;
  /** Minutes the first run evaluates at (its last one is when it went down). */
  before: number[];
  /** The first evaluation after the restart. */
  restartMinute: number;
  /** [state, activeAt minute, firedAt minute] after that evaluation. */
  expected: [string, number, number | undefined];
  /** Whether the saved alert continues (else a new one starts pending). */
  continues: boolean;
}

// Group.RestoreForState with the default grace period (10m) and outage tolerance (1h).
const CASES: RestoreCase[] = [
  {
    name: 'a firing alert keeps firing, with its times',
    forMs: 5 * MINUTE_MS,
    before: [0, 5, 6],
    restartMinute: 8,
    expected: ['firing', 0, 5],
    continues: true,
  },
  {
    name: 'pending, much of `for` left: the outage does not count as pending time',
    forMs: 30 * MINUTE_MS,
    before: [0, 5],
    restartMinute: 7,
    expected: ['pending', 2, undefined],
    continues: true,
  },
  {
    name: 'pending, less than the grace period left: fires a grace period after the restart',
    forMs: 30 * MINUTE_MS,
    before: [0, 25],
    restartMinute: 27,
    expected: ['pending', 7, undefined],
    continues: true,
  },
  {
    name: 'pending with `for` shorter than the grace period: starts over',
    forMs: 5 * MINUTE_MS,
    before: [0, 3],
    restartMinute: 4,
    expected: ['pending', 4, undefined],
    continues: false,
  },
  {
    name: 'down longer than the outage tolerance: starts over',
    forMs: 5 * MINUTE_MS,
    before: [0, 5, 6],
    restartMinute: 6 + 61,
    expected: ['pending', 67, undefined],
    continues: false,
  },
];

for (const [index, restore] of CASES.entries()) {
  test(`restart: ${restore.name}`, async () => {
    const statePath = join(dir, `case-${index}`, 'alerts.json');
    await run(statePath, restore.forMs, restore.before);
    const restarted = await run(statePath, restore.forMs, [restore.restartMinute], false);
    assert.deepEqual(alertSummary(restarted), restore.expected);
    const restoredFiring = restore.expected[0] === 'firing';
    // A restored alert continues: no new pending period, no transition, and a firing one is sent
    // again at once with its original start.
    assert.deepEqual(restarted.history.transitions.length, restore.continues ? 0 : 1);
    assert.deepEqual(
      restarted.sink.batches.map((batch) => batch.map((alert) => alert.startsAtMs)),
      restoredFiring ? [[at(restore.expected[2] ?? 0)]] : [],
    );
    await restarted.manager.close();
  });
}

test('manager A fires, closes; manager B restores and keeps firing through its evaluations', async () => {
  const statePath = join(dir, 'ab', 'alerts.json');
  const a = await run(statePath, 2 * MINUTE_MS, [0, 1, 2, 3]);
  assert.deepEqual(alertSummary(a), ['firing', 0, 2]);
  const saved: unknown = JSON.parse(await readFile(statePath, 'utf8'));
  assert.deepEqual(saved, {
    version: 1,
    groups: [
      {
        key: 'test.yaml;g',
        lastEvaluationMs: at(3),
        rules: [
          {
            identity: 'Always\xff',
            alerts: [
              {
                labels: { alertname: 'Always' },
                annotations: {},
                state: 'firing',
                activeAtMs: T0,
                value: '1',
                firedAtMs: at(2),
              },
            ],
          },
        ],
      },
    ],
  });
  const b = await run(statePath, 2 * MINUTE_MS, [4, 5, 6], false);
  assert.deepEqual(alertSummary(b), ['firing', 0, 2]);
  assert.deepEqual(b.history.transitions, []);
  await b.manager.close();
});

test('a restart that never evaluates keeps the saved state for the next one', async () => {
  const statePath = join(dir, 'quick', 'alerts.json');
  await run(statePath, 2 * MINUTE_MS, [0, 2]);
  await run(statePath, 2 * MINUTE_MS, []);
  const third = await run(statePath, 2 * MINUTE_MS, [3], false);
  assert.deepEqual(alertSummary(third), ['firing', 0, 2]);
  await third.manager.close();
});

test('a state file that is not valid is logged and ignored', async () => {
  const statePath = join(dir, 'corrupt.json');
  for (const text of ['{"version":1,"groups":[{"key":3}]}', 'not json']) {
    await writeFile(statePath, text);
    const test = memoryManager({ statePath });
    assert.deepEqual(test.logs, [`rules: alert state ${statePath} is not valid; starting without it`]);
    test.manager.setGroups([group('g', [rule({ alert: 'Always', expr: 'vector(1)' })])]);
    await test.manager.evaluateGroupAt('test.yaml;g', T0);
    assert.deepEqual(alertSummary(test), ['firing', 0, 0]);
    await test.manager.close();
  }
});
