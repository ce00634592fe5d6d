/**
 * The rule manager over a real DuckDB store and the PromQL engine: recording rules feeding an
 * alerting rule, ALERTS series as PromQL sees them (stale markers included), and a restart that
 * keeps a firing alert firing.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { labelsFrom } from '../../query/promql/labels.ts';
import { STALE_NAN } from '../../query/promql/values.ts';
import {
  group,
  memoryManager,
  MINUTE_MS,
  openTestStore,
  rule,
  sampled,
  type TestManager,
} from './manager-test-support.ts';

const T0 = 1_700_000_000_000 - (1_700_000_000_000 % MINUTE_MS);
const at = (minute: number): number => T0 + minute * MINUTE_MS;

let db: Awaited<ReturnType<typeof openTestStore>>;
let stateDir: string;

before(async () => {
  db = await openTestStore();
  stateDir = await mkdtemp(join(tmpdir(), 'vigil-rules-state-'));
  // errors_total rises 2 per second until 5m30s, then goes stale.
  await db.store.writeSamples([
    sampled(
      { __name__: 'errors_total', job: 'api' },
      at(-10),
      at(5.5) - 15_000,
      15_000,
      (t) => (t - at(-10)) / 500,
    ),
  ]);
  await db.store.writeSamples([
    {
      labels: labelsFrom({ __name__: 'errors_total', job: 'api' }),
      timestampsMs: Float64Array.of(at(5.5)),
      values: Float64Array.of(STALE_NAN),
    },
  ]);
});

after(async () => {
  await db.close();
  await rm(stateDir, { recursive: true, force: true });
});

const GROUPS = [
  group('errors', [
    rule({ record: 'job:errors:rate1m', expr: 'sum by (job) (rate(errors_total[1m]))' }),
    rule({
      alert: 'HighErrors',
      expr: 'job:errors:rate1m > 1',
      forMs: MINUTE_MS,
      labels: { severity: 'page' },
    }),
  ]),
];

function manager(): TestManager {
  const test = memoryManager({
    engine: db.engine,
    store: db.store,
    statePath: join(stateDir, 'alerts.json'),
  });
  test.manager.setGroups(GROUPS);
  return test;
}

async function query(expr: string, timeMs: number): Promise<string[]> {
  const { value } = await db.engine.instantQuery(expr, timeMs);
  assert.equal(value.type, 'vector');
  if (value.type !== 'vector') return [];
  return value.samples
    .map(
      (sample) =>
        `${sample.labels.get('__name__') ?? ''}${sample.labels.get('alertstate') ?? ''}=${Math.round(sample.value * 1000) / 1000}`,
    )
    .sort();
}

test('recorded rates feed the alert; ALERTS reads pending, then firing only; a restart keeps it firing; it resolves', async () => {
  const first = manager();
  for (const minute of [0, 1, 2]) await first.manager.evaluateGroupAt('test.yaml;errors', at(minute));
  assert.deepEqual(await query('job:errors:rate1m', at(2) + 1000), ['job:errors:rate1m=2']);
  assert.deepEqual(await query('ALERTS', at(0) + 1000), ['ALERTSpending=1']);
  assert.deepEqual(await query('ALERTS', at(2) + 1000), ['ALERTSfiring=1']);
  assert.deepEqual(await query('ALERTS_FOR_STATE', at(2) + 1000), [`ALERTS_FOR_STATE=${T0 / 1000}`]);
  await first.manager.close();

  const second = manager();
  await second.manager.evaluateGroupAt('test.yaml;errors', at(4));
  assert.deepEqual(await query('ALERTS', at(4) + 1000), ['ALERTSfiring=1']);
  assert.deepEqual(
    second.manager.alerts().map((alert) => [alert.state, alert.activeAtMs, alert.firedAtMs]),
    [['firing', T0, at(1)]],
  );
  assert.equal(second.history.transitions.length, 0);

  await second.manager.evaluateGroupAt('test.yaml;errors', at(6));
  assert.deepEqual(second.manager.alerts(), []);
  assert.deepEqual(await query('ALERTS', at(6) + 1000), []);
  assert.deepEqual(await query('ALERTS_FOR_STATE', at(6) + 1000), []);
  assert.deepEqual(await query('job:errors:rate1m', at(6) + 1000), []);
  assert.deepEqual(
    second.history.transitions.map((transition) => [transition.from, transition.to, transition.atMs]),
    [['firing', 'inactive', at(6)]],
  );
  assert.deepEqual(
    second.sink.batches.map((batch) => batch.map((alert) => [alert.startsAtMs, alert.endsAtMs])),
    [[[at(1), at(4) + 4 * MINUTE_MS]], [[at(1), at(6)]]],
  );
  await second.manager.close();
});
