import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PromQLEngine } from '../../query/promql/engine.ts';
import { isStaleNaN, STALE_NAN } from '../../query/promql/values.ts';
import { firstSlotAfter, groupOffsetMs } from './group-schedule.ts';
import {
  group,
  memoryManager,
  MINUTE_MS,
  parseRuleFile,
  rule,
  type TestManager,
} from './manager-test-support.ts';
import { DUPLICATE_SERIES_ERROR } from './recording-rule.ts';

const FIXTURES = new URL('../../../../../../shared/conformance/rules/fixtures/', import.meta.url);
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % MINUTE_MS);

/** A counter per series rising `perMinute` every 15 s from T0 - 10m to T0 + 30m. */
function counter(test: TestManager, labels: Record<string, string>, perMinute: number): void {
  for (let t = -10 * MINUTE_MS; t <= 30 * MINUTE_MS; t += 15_000)
    test.store.add(labels, T0 + t, ((t + 10 * MINUTE_MS) / MINUTE_MS) * perMinute);
}

/** An instant query's samples, values rounded to 1e-9 (rate extrapolation is not exact). */
async function instant(
  test: TestManager,
  query: string,
  timeMs: number,
): Promise<[Record<string, string>, number][]> {
  const { value } = await new PromQLEngine(test.store).instantQuery(query, timeMs);
  assert.equal(value.type, 'vector');
  return value.type === 'vector'
    ? value.samples.map(
        (sample) =>
          [Object.fromEntries(sample.labels), Math.round(sample.value * 1e9) / 1e9] as [
            Record<string, string>,
            number,
          ],
      )
    : [];
}

test('rules_chain.yaml: every rule sees what the rules before it wrote in the same evaluation', async () => {
  const text = readFileSync(new URL('rules_chain.yaml', FIXTURES), 'utf8');
  const chained = parseRuleFile(text, 'rules_chain.yaml');
  // The fixture's later rules filter on labels the first ones aggregate away; this group keeps them.
  chained.push(
    group('kept', [
      rule({
        record: 'job_cluster:http_requests:rate1m',
        expr: 'sum by (job, cluster) (rate(http_requests_total[1m]))',
      }),
      rule({
        record: 'cluster1:http_requests:rate1m',
        expr: 'job_cluster:http_requests:rate1m{cluster="cluster1"} * 2',
      }),
      rule({ record: 'cluster1:http_requests:rate1m:doubled', expr: 'cluster1:http_requests:rate1m * 2' }),
    ]),
  );
  const test = memoryManager();
  counter(test, { __name__: 'http_requests_total', job: 'job1', cluster: 'cluster1' }, 60);
  counter(test, { __name__: 'http_requests_total', job: 'job1', cluster: 'cluster2' }, 120);
  test.manager.setGroups(chained);
  await test.manager.evaluateGroupAt('rules_chain.yaml;chain', T0);
  await test.manager.evaluateGroupAt('test.yaml;kept', T0);
  assert.deepEqual(await instant(test, 'job1:http_requests:rate1m', T0), [
    [{ __name__: 'job1:http_requests:rate1m', job: 'job1' }, 3],
  ]);
  assert.deepEqual(await instant(test, 'cluster1:http_requests:rate1m:doubled', T0), [
    [{ __name__: 'cluster1:http_requests:rate1m:doubled', cluster: 'cluster1', job: 'job1' }, 4],
  ]);
  const healths = test.manager.groups().flatMap((view) => view.rules.map((r) => `${r.name}:${r.health}`));
  assert.equal(healths.length, 10);
  assert.ok(
    healths.every((entry) => entry.endsWith(':ok')),
    healths.join(' '),
  );
});

test('recording rules: renamed, rule labels set (empty removes), scalars recorded, stale markers when series go', async () => {
  const test = memoryManager();
  test.store.add({ __name__: 'up', job: 'api', env: 'prod' }, T0 - 1000, 1);
  test.store.add({ __name__: 'up', job: 'db', env: 'prod' }, T0 - 1000, 0);
  test.manager.setGroups([
    group('g', [
      rule({ record: 'job:up', expr: 'up', labels: { env: '', team: 'infra' } }),
      rule({ record: 'answer', expr: '42' }),
    ]),
  ]);
  await test.manager.evaluateGroupAt('test.yaml;g', T0);
  assert.deepEqual(test.store.samplesOf({ __name__: 'job:up', job: 'api', team: 'infra' }), [[T0, 1]]);
  assert.deepEqual(test.store.samplesOf({ __name__: 'answer' }), [[T0, 42]]);
  // job="db" stops reporting: its recorded series gets a stale marker at the next evaluation.
  test.store.add({ __name__: 'up', job: 'api', env: 'prod' }, T0 + 59_000, 1);
  test.store.add({ __name__: 'up', job: 'db', env: 'prod' }, T0 + 30_000, STALE_NAN);
  await test.manager.evaluateGroupAt('test.yaml;g', T0 + MINUTE_MS);
  const db = test.store.samplesOf({ __name__: 'job:up', job: 'db', team: 'infra' });
  assert.equal(db.length, 2);
  assert.equal(db[1]?.[0], T0 + MINUTE_MS);
  assert.ok(isStaleNaN(db[1]?.[1] ?? 0), 'stale marker');
  assert.deepEqual(await instant(test, 'job:up{job="db"}', T0 + MINUTE_MS + 1000), []);
});

interface FailureCase {
  name: string;
  rules: Parameters<typeof rule>[0][];
  limit?: number;
  error: string | RegExp;
}

const FAILURES: FailureCase[] = [
  {
    name: 'duplicate series after rule labels',
    rules: [{ record: 'r', expr: 'up', labels: { job: 'x' } }],
    error: DUPLICATE_SERIES_ERROR,
  },
  {
    name: 'series over the limit',
    rules: [{ record: 'r', expr: 'up' }],
    limit: 1,
    error: 'exceeded limit of 1 with 2 series',
  },
  {
    name: 'alerts over the limit',
    rules: [{ alert: 'A', expr: 'up' }],
    limit: 1,
    error: 'exceeded limit of 1 with 2 alerts',
  },
  {
    name: 'a range vector result',
    rules: [{ record: 'r', expr: 'up[5m]' }],
    error: 'rule result is not a vector or scalar',
  },
  {
    name: 'a string result',
    rules: [{ record: 'r', expr: '"text"' }],
    error: 'rule result is not a vector or scalar',
  },
  { name: 'a parse error', rules: [{ record: 'r', expr: 'sum(' }], error: /^1:5: parse error: / },
  {
    name: 'duplicate alerts',
    rules: [{ alert: 'A', expr: 'up', labels: { job: 'x' } }],
    error: 'vector contains metrics with the same labelset after applying alert labels',
  },
];

for (const failure of FAILURES) {
  test(`rule health: ${failure.name} is an error on the rule, and the next good evaluation clears it`, async () => {
    const test = memoryManager();
    test.store.add({ __name__: 'up', job: 'api' }, T0 - 1000, 1);
    test.store.add({ __name__: 'up', job: 'db' }, T0 - 1000, 1);
    test.manager.setGroups([group('g', failure.rules.map(rule), { limit: failure.limit ?? 0 })]);
    assert.equal(test.manager.groups()[0]?.rules[0]?.health, 'unknown');
    await test.manager.evaluateGroupAt('test.yaml;g', T0);
    const view = test.manager.groups()[0]?.rules[0];
    assert.equal(view?.health, 'err');
    if (typeof failure.error === 'string') assert.equal(view.lastError, failure.error);
    else assert.match(view?.lastError ?? '', failure.error);
    assert.equal(view?.lastEvaluationMs, T0);
    assert.equal(test.logs.length, 1);
    // Fix the rule by dropping all data but one series: the same rule now evaluates cleanly.
    test.manager.setGroups([group('g', [rule({ record: 'r', expr: 'vector(1)' })])]);
    await test.manager.evaluateGroupAt('test.yaml;g', T0 + MINUTE_MS);
    assert.deepEqual(
      [test.manager.groups()[0]?.rules[0]?.health, test.manager.groups()[0]?.rules[0]?.lastError],
      ['ok', ''],
    );
  });
}

test('scheduling: first slot after the group appears, hash offset within the interval, slot order, missed slots skipped', async () => {
  const queried: [string, number][] = [];
  const test = memoryManager({
    engine: {
      instantQuery: (query: string, timeMs: number) => {
        queried.push([query, timeMs]);
        return Promise.resolve({ value: { type: 'vector', samples: [] }, warnings: [] });
      },
    },
  });
  test.manager.setGroups([
    group('fast', [rule({ record: 'fast', expr: 'vector(1)' })], { intervalMs: 15_000 }),
    group('slow', [rule({ record: 'slow', expr: 'vector(2)' })], { queryOffsetMs: 30_000 }),
  ]);
  const fastOffset = groupOffsetMs('test.yaml', 'fast', 15_000);
  const slowOffset = groupOffsetMs('test.yaml', 'slow', MINUTE_MS);
  assert.ok(fastOffset >= 0 && fastOffset < 15_000 && slowOffset >= 0 && slowOffset < MINUTE_MS);
  await test.manager.evaluateDue(T0);
  assert.deepEqual(queried, []);
  const fastFirst = firstSlotAfter(T0, 15_000, fastOffset);
  const slowFirst = firstSlotAfter(T0, MINUTE_MS, slowOffset);
  assert.equal(test.manager.groups()[0]?.nextEvaluationMs, fastFirst);
  await test.manager.evaluateDue(T0 + MINUTE_MS);
  // Fast missed three of its slots: only the latest runs. The slow group queries 30 s back.
  const fastLatest = fastFirst + Math.floor((T0 + MINUTE_MS - fastFirst) / 15_000) * 15_000;
  const fast: [string, number] = ['vector(1)', fastLatest];
  const slow: [string, number] = ['vector(2)', slowFirst - 30_000];
  assert.deepEqual(queried, fastLatest <= slowFirst ? [fast, slow] : [slow, fast]);
  assert.equal(test.manager.groups()[1]?.lastEvaluationMs, slowFirst);
  await test.manager.evaluateDue(T0 + MINUTE_MS);
  assert.equal(queried.length, 2, 'nothing is due twice');
  await assert.rejects(
    test.manager.evaluateGroupAt('test.yaml;missing', T0),
    /no rule group "test.yaml;missing"/,
  );
});

test('query_offset: rules query and write that far back', async () => {
  const test = memoryManager();
  test.store.add({ __name__: 'x' }, T0 - 40_000, 5);
  test.manager.setGroups([group('g', [rule({ record: 'x:copy', expr: 'x' })], { queryOffsetMs: 30_000 })]);
  await test.manager.evaluateGroupAt('test.yaml;g', T0);
  assert.deepEqual(test.store.samplesOf({ __name__: 'x:copy' }), [[T0 - 30_000, 5]]);
});

test('group labels: added to every rule result, rule labels win, shown as rule labels', async () => {
  const test = memoryManager();
  test.manager.setGroups([
    group('g', [rule({ record: 'r', expr: 'vector(1)', labels: { team: 'rule' } })], {
      labels: { team: 'group', region: 'eu' },
    }),
  ]);
  await test.manager.evaluateGroupAt('test.yaml;g', T0);
  assert.deepEqual(test.store.samplesOf({ __name__: 'r', team: 'rule', region: 'eu' }), [[T0, 1]]);
  assert.deepEqual(test.manager.groups()[0]?.rules[0]?.labels, { team: 'rule', region: 'eu' });
});

test('reload: unchanged and renamed-expression rules keep their alerts; removed rules and groups go stale', async () => {
  const test = memoryManager();
  test.store.add({ __name__: 'x', instance: 'a' }, T0 - 1000, 1);
  const alertRule = rule({ alert: 'A', expr: 'x > 0', forMs: MINUTE_MS });
  const recordRule = rule({ record: 'x:copy', expr: 'x' });
  test.manager.setGroups([
    group('g', [alertRule, recordRule]),
    group('gone', [rule({ record: 'gone', expr: 'vector(1)' })]),
  ]);
  for (let minute = 0; minute <= 1; minute++) {
    await test.manager.evaluateGroupAt('test.yaml;g', T0 + minute * MINUTE_MS);
    await test.manager.evaluateGroupAt('test.yaml;gone', T0 + minute * MINUTE_MS);
  }
  assert.equal(test.manager.alerts()[0]?.state, 'firing');
  // Same name and labels, new expression: Prometheus keeps the alert (Group.CopyState).
  test.manager.setGroups([group('g', [{ ...alertRule, expr: 'x >= 1' }])]);
  await test.manager.evaluateGroupAt('test.yaml;g', T0 + 2 * MINUTE_MS);
  assert.deepEqual(
    test.manager.alerts().map((alert) => [alert.state, alert.activeAtMs]),
    [['firing', T0]],
  );
  assert.ok(test.history.transitions.every((transition) => transition.atMs < T0 + 2 * MINUTE_MS));
  const copy = test.store.samplesOf({ __name__: 'x:copy', instance: 'a' });
  assert.deepEqual(
    copy.map(([timeMs]) => timeMs),
    [T0, T0 + MINUTE_MS, T0 + 2 * MINUTE_MS],
  );
  assert.ok(isStaleNaN(copy[2]?.[1] ?? 0));
  // The removed group: first seen removed at T0 + 3m, marked stale with that time two intervals on.
  await test.manager.evaluateDue(T0 + 3 * MINUTE_MS);
  await test.manager.evaluateDue(T0 + 4 * MINUTE_MS);
  assert.equal(test.store.samplesOf({ __name__: 'gone' }).length, 2);
  await test.manager.evaluateDue(T0 + 5 * MINUTE_MS);
  const gone = test.store.samplesOf({ __name__: 'gone' });
  assert.equal(gone[2]?.[0], T0 + 3 * MINUTE_MS);
  assert.ok(isStaleNaN(gone[2]?.[1] ?? 0));
});

test('close waits for the evaluation in flight; nothing runs after it', async () => {
  let release: () => void = () => undefined;
  const started: number[] = [];
  const test = memoryManager({
    engine: {
      instantQuery: (_query: string, timeMs: number) => {
        started.push(timeMs);
        return new Promise((resolve) => {
          release = () => resolve({ value: { type: 'vector', samples: [] }, warnings: [] });
        });
      },
    },
  });
  test.manager.setGroups([group('g', [rule({ record: 'r', expr: 'vector(1)' })])]);
  const evaluation = test.manager.evaluateGroupAt('test.yaml;g', T0);
  await new Promise((resolve) => setImmediate(resolve));
  let closed = false;
  const closing = test.manager.close().then(() => {
    closed = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(closed, false);
  release();
  await evaluation;
  await closing;
  await test.manager.evaluateGroupAt('test.yaml;g', T0 + MINUTE_MS);
  assert.deepEqual(started, [T0]);
});

test('the real-time driver starts once and stops on close; a bad default interval is refused', async () => {
  const test = memoryManager();
  test.manager.start();
  test.manager.start();
  await test.manager.close();
  test.manager.start();
  await test.manager.close();
  assert.deepEqual(test.logs, []);
  assert.throws(() => memoryManager({ evaluationIntervalMs: 0 }), {
    message: 'evaluationIntervalMs must be positive',
  });
});
