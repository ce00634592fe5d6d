import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PromQLEngine } from '../../query/promql/engine.ts';
import { labelsToRecord } from '../../query/promql/labels.ts';
import { isStaleNaN, STALE_NAN } from '../../query/promql/values.ts';
import { expandAlertTemplate } from '../templates/expand.ts';
import { group, memoryManager, MINUTE_MS, rule, type TestManager } from './manager-test-support.ts';

const T0 = 1_700_000_000_000 - (1_700_000_000_000 % MINUTE_MS);
const at = (minute: number): number => T0 + minute * MINUTE_MS;
const ALERT_LABELS = { alertname: 'A', instance: 'a', severity: 'page' };

/** x{instance="a"} = 1 from T0 - 1m until a stale marker at T0 + 5m30s; rule A fires after 2m. */
async function lifecycle(minutes: number): Promise<TestManager> {
  const test = memoryManager({ externalLabels: { region: 'eu', severity: 'ignored' } });
  for (let t = at(-1); t <= at(5); t += 15_000) test.store.add({ __name__: 'x', instance: 'a' }, t, 1);
  test.store.add({ __name__: 'x', instance: 'a' }, at(5.5), STALE_NAN);
  test.manager.setGroups([
    group('g', [
      rule({
        alert: 'A',
        expr: 'x > 0',
        forMs: 2 * MINUTE_MS,
        labels: { severity: 'page' },
        annotations: { summary: 'static' },
      }),
    ]),
  ]);
  for (let minute = 0; minute <= minutes; minute++)
    await test.manager.evaluateGroupAt('test.yaml;g', at(minute));
  return test;
}

/** The samples of one series as `minute:value` ('stale' for a stale marker). */
function series(test: TestManager, labels: Record<string, string>): string[] {
  return test.store
    .samplesOf(labels)
    .map(([timeMs, value]) => `${(timeMs - T0) / MINUTE_MS}:${isStaleNaN(value) ? 'stale' : value}`);
}

test('ALERTS and ALERTS_FOR_STATE follow the alert, with stale markers when it changes state or ends', async () => {
  const test = await lifecycle(7);
  assert.deepEqual(series(test, { __name__: 'ALERTS', alertstate: 'pending', ...ALERT_LABELS }), [
    '0:1',
    '1:1',
    '2:stale',
  ]);
  assert.deepEqual(series(test, { __name__: 'ALERTS', alertstate: 'firing', ...ALERT_LABELS }), [
    '2:1',
    '3:1',
    '4:1',
    '5:1',
    '6:stale',
  ]);
  const activeAtSeconds = T0 / 1000;
  assert.deepEqual(series(test, { __name__: 'ALERTS_FOR_STATE', ...ALERT_LABELS }), [
    ...[0, 1, 2, 3, 4, 5].map((minute) => `${minute}:${activeAtSeconds}`),
    '6:stale',
  ]);
});

test('notifications: on firing, every resend delay (strictly after), resolved until 15 minutes after resolving', async () => {
  const test = await lifecycle(24);
  const sent = test.sink.batches.map((batch) => {
    assert.equal(batch.length, 1);
    const alert = batch[0];
    assert.ok(alert);
    return [(alert.startsAtMs - T0) / MINUTE_MS, (alert.endsAtMs - T0) / MINUTE_MS];
  });
  // Sent at minutes 2 and 4 while firing (lastSent + 1m must be before now), then resolved at
  // 6 and every second minute until it is dropped at 22 (more than 15m after resolving).
  assert.deepEqual(sent, [
    [2, 6],
    [2, 8],
    [2, 6],
    [2, 6],
    [2, 6],
    [2, 6],
    [2, 6],
    [2, 6],
    [2, 6],
    [2, 6],
  ]);
  const first = test.sink.batches[0]?.[0];
  assert.deepEqual(first?.labels, { alertname: 'A', instance: 'a', region: 'eu', severity: 'page' });
  assert.deepEqual(first?.annotations, { summary: 'static' });
  assert.equal(first?.generatorURL, 'http://vigil.test:16700/graph?g0.expr=x+%3E+0&g0.tab=1');
  assert.deepEqual(test.manager.alerts(), []);
});

test('every state transition goes to the history sink', async () => {
  const test = await lifecycle(7);
  assert.deepEqual(
    test.history.transitions.map((transition) => ({
      ...transition,
      atMs: (transition.atMs - T0) / MINUTE_MS,
    })),
    [
      {
        groupKey: 'test.yaml;g',
        alertname: 'A',
        labels: ALERT_LABELS,
        from: 'inactive',
        to: 'pending',
        atMs: 0,
        value: 1,
      },
      {
        groupKey: 'test.yaml;g',
        alertname: 'A',
        labels: ALERT_LABELS,
        from: 'pending',
        to: 'firing',
        atMs: 2,
        value: 1,
      },
      {
        groupKey: 'test.yaml;g',
        alertname: 'A',
        labels: ALERT_LABELS,
        from: 'firing',
        to: 'inactive',
        atMs: 6,
        value: NaN,
      },
    ],
  );
});

test('views: rule state and alerts while pending and firing', async () => {
  const test = await lifecycle(2);
  const [view] = test.manager.groups();
  const alerting = view?.rules[0];
  assert.equal(alerting?.type, 'alerting');
  if (alerting?.type !== 'alerting') return;
  assert.deepEqual(
    [alerting.state, alerting.health, alerting.forMs, alerting.query, alerting.lastEvaluationMs],
    ['firing', 'ok', 2 * MINUTE_MS, 'x > 0', at(2)],
  );
  assert.deepEqual(test.manager.alerts(), [
    {
      groupKey: 'test.yaml;g',
      ruleName: 'A',
      labels: ALERT_LABELS,
      annotations: { summary: 'static' },
      state: 'firing',
      activeAtMs: T0,
      firedAtMs: at(2),
      value: 1,
    },
  ]);
});

test('templates get the sample labels (with __name__), $value, external labels and URL; errors show in the value', async () => {
  const texts = {
    summary: '{{ $labels.instance }} is {{ $value }}',
    broken: '{{ nosuchfunction }}',
    url: '{{ $externalURL }}',
  };
  const test = memoryManager({ externalLabels: { region: 'eu' } });
  test.store.add({ __name__: 'x', instance: 'a' }, T0 - 1000, 3);
  test.manager.setGroups([
    group('g', [
      rule({ alert: 'A', expr: 'x > 0', annotations: texts, labels: { who: '{{ $labels.instance }}' } }),
    ]),
  ]);
  await test.manager.evaluateGroupAt('test.yaml;g', T0);
  const { value } = await new PromQLEngine(test.store).instantQuery('x > 0', T0);
  assert.equal(value.type, 'vector');
  const sample = value.type === 'vector' ? value.samples[0] : undefined;
  assert.ok(sample);
  const data = {
    labels: labelsToRecord(sample.labels),
    externalLabels: { region: 'eu' },
    externalURL: 'http://vigil.test:16700',
    value: 3,
  };
  const expected = async (text: string): Promise<string> => {
    try {
      return await expandAlertTemplate(text, data, { name: '__alert_A', timeMs: T0 });
    } catch (error: unknown) {
      return `<error expanding template: ${error instanceof Error ? error.message : String(error)}>`;
    }
  };
  const [alert] = test.manager.alerts();
  assert.deepEqual(alert?.annotations, {
    summary: await expected(texts.summary),
    broken: await expected(texts.broken),
    url: await expected(texts.url),
  });
  assert.equal(alert?.labels.who, await expected('{{ $labels.instance }}'));
});
