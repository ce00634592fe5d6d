import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsFrom, labelsToRecord } from '../../query/promql/labels.ts';
import type { AlertState } from '../rule-types.ts';
import { applyAlertResults, DUPLICATE_ALERT_ERROR, type FoundAlert } from './alert-state-machine.ts';
import { group, MINUTE_MS, rule } from './manager-test-support.ts';
import { compileGroup, type CompiledRule } from './rule-runtime.ts';

function alertingRule(forMs: number, keepFiringForMs = 0): CompiledRule {
  const compiled = compileGroup(
    group('g', [rule({ alert: 'A', expr: 'x > 0', forMs, keepFiringForMs })]),
    MINUTE_MS,
  ).rules[0];
  assert.ok(compiled);
  return compiled;
}

function found(instance: string, value = 1): FoundAlert {
  return { labels: labelsFrom({ alertname: 'A', instance }), annotations: {}, value };
}

type Seen = AlertState | 'absent';

interface Scenario {
  name: string;
  forMs: number;
  keepFiringForMs?: number;
  /** Per minute from 0: whether the expression returns the alert. */
  returned: boolean[];
  /** The alert's state after each evaluation ('absent': no longer kept). */
  states: Seen[];
  /** `from>to@minute` for every change, in order. */
  changes: string[];
}

// rules/alerting.go Eval, minute by minute.
const SCENARIOS: Scenario[] = [
  {
    name: 'for 0 fires at once',
    forMs: 0,
    returned: [true, true],
    states: ['firing', 'firing'],
    changes: ['inactive>firing@0'],
  },
  {
    name: 'pending until for has passed (>=), then firing, then resolved and re-created',
    forMs: 2 * MINUTE_MS,
    returned: [true, true, true, false, true],
    states: ['pending', 'pending', 'firing', 'inactive', 'pending'],
    changes: ['inactive>pending@0', 'pending>firing@2', 'firing>inactive@3', 'inactive>pending@4'],
  },
  {
    name: 'a pending alert that goes away is dropped',
    forMs: 5 * MINUTE_MS,
    returned: [true, false, false],
    states: ['pending', 'absent', 'absent'],
    changes: ['inactive>pending@0', 'pending>inactive@1'],
  },
  {
    name: 'keep_firing_for keeps a missing alert firing, then it resolves',
    forMs: 0,
    keepFiringForMs: 2 * MINUTE_MS,
    returned: [true, false, false, false],
    states: ['firing', 'firing', 'firing', 'inactive'],
    changes: ['inactive>firing@0', 'firing>inactive@3'],
  },
  {
    name: 'keep_firing_for restarts when the alert comes back',
    forMs: 0,
    keepFiringForMs: 2 * MINUTE_MS,
    returned: [true, false, true, false, false, false],
    states: ['firing', 'firing', 'firing', 'firing', 'firing', 'inactive'],
    changes: ['inactive>firing@0', 'firing>inactive@5'],
  },
  {
    // Flapping: a condition that holds every other minute never outlasts `for`, so it never pages…
    name: 'flapping with for: pending, dropped, pending again, never firing',
    forMs: 2 * MINUTE_MS,
    returned: [true, false, true, false, true, false],
    states: ['pending', 'absent', 'pending', 'absent', 'pending', 'absent'],
    changes: [
      'inactive>pending@0',
      'pending>inactive@1',
      'inactive>pending@2',
      'pending>inactive@3',
      'inactive>pending@4',
      'pending>inactive@5',
    ],
  },
  {
    // …without `for` it fires and resolves each time (what the hygiene report calls flaps)…
    name: 'flapping without for: fires and resolves every other minute',
    forMs: 0,
    returned: [true, false, true, false],
    states: ['firing', 'inactive', 'firing', 'inactive'],
    changes: ['inactive>firing@0', 'firing>inactive@1', 'inactive>firing@2', 'firing>inactive@3'],
  },
  {
    // …and keep_firing_for longer than the gaps turns the flapping into one firing episode.
    name: 'flapping with keep_firing_for: one episode',
    forMs: 0,
    keepFiringForMs: 2 * MINUTE_MS,
    returned: [true, false, true, false, true, false, false, false],
    states: ['firing', 'firing', 'firing', 'firing', 'firing', 'firing', 'firing', 'inactive'],
    changes: ['inactive>firing@0', 'firing>inactive@7'],
  },
  {
    name: 'a resolved alert is kept 15 minutes, then dropped',
    forMs: 0,
    returned: [true, false, ...Array<boolean>(15).fill(false), false],
    states: ['firing', ...Array<Seen>(16).fill('inactive'), 'absent'],
    changes: ['inactive>firing@0', 'firing>inactive@1'],
  },
];

for (const scenario of SCENARIOS) {
  test(`alert state: ${scenario.name}`, () => {
    const compiled = alertingRule(scenario.forMs, scenario.keepFiringForMs);
    const changes: string[] = [];
    scenario.returned.forEach((returned, minute) => {
      const outcome = applyAlertResults(compiled, returned ? [found('a')] : [], minute * MINUTE_MS, 0);
      for (const change of outcome.changes) changes.push(`${change.from}>${change.to}@${minute}`);
      const alert = [...compiled.runtime.active.values()][0];
      assert.equal(alert?.state ?? 'absent', scenario.states[minute], `state after minute ${minute}`);
    });
    assert.deepEqual(changes, scenario.changes);
  });
}

test('ALERTS and ALERTS_FOR_STATE series of an evaluation, with the rule labels under the alert labels', () => {
  const compiled = compileGroup(
    group('g', [
      rule({
        alert: 'A',
        expr: 'x',
        forMs: MINUTE_MS,
        labels: { severity: 'page', team: '{{ $labels.x }}' },
      }),
    ]),
    MINUTE_MS,
  ).rules[0];
  assert.ok(compiled);
  // The templated label expanded to '' (label removed); ALERTS then shows the raw rule label, as upstream.
  const result = {
    labels: labelsFrom({ alertname: 'A', instance: 'a', severity: 'page' }),
    annotations: {},
    value: 7,
  };
  const outcome = applyAlertResults(compiled, [result], 90_500, 0);
  assert.deepEqual(
    outcome.series.map((sample) => [labelsToRecord(sample.labels), sample.value]),
    [
      [
        {
          __name__: 'ALERTS',
          alertname: 'A',
          alertstate: 'pending',
          instance: 'a',
          severity: 'page',
          team: '{{ $labels.x }}',
        },
        1,
      ],
      [
        {
          __name__: 'ALERTS_FOR_STATE',
          alertname: 'A',
          instance: 'a',
          severity: 'page',
          team: '{{ $labels.x }}',
        },
        90,
      ],
    ],
  );
});

test('two results with the same alert labels fail the evaluation and leave the state alone', () => {
  const compiled = alertingRule(0);
  applyAlertResults(compiled, [found('a')], 0, 0);
  assert.throws(() => applyAlertResults(compiled, [found('b'), found('b', 2)], MINUTE_MS, 0), {
    message: DUPLICATE_ALERT_ERROR,
  });
  assert.deepEqual(
    [...compiled.runtime.active.values()].map((alert) => alert.labels.get('instance')),
    ['a'],
  );
});

test('more active alerts than the group limit: error, and all alerts dropped (as upstream)', () => {
  const compiled = alertingRule(0);
  assert.deepEqual(applyAlertResults(compiled, [found('a')], 0, 1).changes.length, 1);
  assert.throws(() => applyAlertResults(compiled, [found('a'), found('b')], MINUTE_MS, 1), {
    message: 'exceeded limit of 1 with 2 alerts',
  });
  assert.equal(compiled.runtime.active.size, 0);
});

test('values and annotations of an active alert follow the latest evaluation; ActiveAt does not', () => {
  const compiled = alertingRule(10 * MINUTE_MS);
  applyAlertResults(compiled, [{ ...found('a', 1), annotations: { v: 'one' } }], 0, 0);
  applyAlertResults(compiled, [{ ...found('a', 2), annotations: { v: 'two' } }], MINUTE_MS, 0);
  const alert = [...compiled.runtime.active.values()][0];
  assert.deepEqual([alert?.value, alert?.annotations, alert?.activeAtMs], [2, { v: 'two' }, 0]);
});
