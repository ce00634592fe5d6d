/**
 * Vigil's rule manager against a real Prometheus: each scenario runs here minute by minute, and
 * what Vigil saw (firing alerts with their labels and annotations, ALERTS, ALERTS_FOR_STATE and
 * recorded series at every minute) is written as a `promtool test rules` file. promtool evaluates
 * the same rules over the same input with Prometheus's own rule manager and passes only if
 * Prometheus sees exactly the same. (Debian's promtool 2.42: no query_offset or group labels.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { PromQLEngine } from '../../query/promql/engine.ts';
import { formatLabels } from '../../query/promql/labels.ts';
import { parseExpr } from '../../query/promql/parser.ts';
import { STALE_NAN } from '../../query/promql/values.ts';
import { skipUnless } from '../../test-support/test-requirements.ts';
import { memoryManager, MINUTE_MS, parseRuleFile, type TestManager } from './manager-test-support.ts';

type InputValue = number | '_' | 'stale';

interface Scenario {
  name: string;
  rules: string;
  /** promtool input series: selector → one value per minute from 0. */
  series: Record<string, InputValue[]>;
  minutes: number;
  queries: string[];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'pending, firing, resolved and re-created alerts; rule labels over sample labels',
    rules: `
groups:
  - name: basic
    interval: 1m
    rules:
      - alert: HighValue
        expr: x > 10
        for: 2m
        labels: {severity: page}
        annotations: {summary: value is high}
`,
    series: {
      'x{instance="a",severity="low"}': [20, 20, 20, 20, 0, 0, 20, 20, 20, 20, 20, 0, 0],
      'x{instance="b"}': [0, 0, 20, 20, 20, 20, 20, 'stale', '_', '_', 30, 30, 30],
    },
    minutes: 12,
    queries: ['ALERTS', 'ALERTS_FOR_STATE'],
  },
  {
    name: 'for 0 and keep_firing_for',
    rules: `
groups:
  - name: flapping
    interval: 1m
    rules:
      - alert: Flapping
        expr: y > 0
        keep_firing_for: 3m
        labels: {team: infra}
`,
    series: { 'y{host="h"}': [1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0] },
    minutes: 14,
    queries: ['ALERTS', 'ALERTS_FOR_STATE'],
  },
  {
    name: 'recording chain feeding alerts, and an alert on ALERTS of the same group',
    rules: `
groups:
  - name: chain
    interval: 1m
    rules:
      - record: job:x:sum
        expr: sum by (job) (x)
      - record: job:x:sum:doubled
        expr: job:x:sum * 2
        labels: {kind: doubled}
      - alert: Doubled
        expr: job:x:sum:doubled > 50
        for: 1m
      - alert: DoubledFiring
        expr: count by (kind) (ALERTS{alertname="Doubled", alertstate="firing"}) > 0
`,
    series: {
      'x{job="api",instance="a"}': [10, 10, 20, 20, 20, 20, 5, 5, 5, 5],
      'x{job="api",instance="b"}': [5, 5, 10, 10, 10, 'stale', '_', '_', '_', '_'],
      'x{job="db",instance="c"}': [30, 30, 30, 30, 1, 1, 1, 30, 30, 30],
    },
    minutes: 9,
    queries: ['ALERTS', 'ALERTS_FOR_STATE', 'job:x:sum', 'job:x:sum:doubled'],
  },
];

interface Observed {
  alerts: Record<string, unknown>[];
  queries: Record<string, unknown>[];
}

/** Runs the scenario in Vigil and writes what it saw as promtool test cases. */
async function observe(scenario: Scenario): Promise<Observed> {
  const test = memoryManager();
  loadSeries(test, scenario.series);
  const groups = parseRuleFile(scenario.rules, 'rules.yaml');
  test.manager.setGroups(groups);
  const alertNames = groups.flatMap((group) =>
    group.rules.flatMap((rule) => (rule.alert ? [rule.alert] : [])),
  );
  const alerts: Record<string, unknown>[] = [];
  for (let minute = 0; minute <= scenario.minutes; minute++) {
    for (const group of groups)
      await test.manager.evaluateGroupAt(`rules.yaml;${group.name}`, minute * MINUTE_MS);
    alerts.push(...firingAlerts(test, alertNames, minute));
  }
  assert.ok(
    test.manager.groups().every((group) => group.rules.every((rule) => rule.health === 'ok')),
    test.logs.join('\n'),
  );
  return { alerts, queries: await queryResults(test, scenario) };
}

/** alert_rule_test entries: the firing alerts of each rule (promtool adds `alertname` itself). */
function firingAlerts(test: TestManager, alertNames: string[], minute: number): Record<string, unknown>[] {
  const firing = test.manager.alerts().filter((alert) => alert.state === 'firing');
  return alertNames.map((alertname) => ({
    eval_time: `${minute}m`,
    alertname,
    exp_alerts: firing
      .filter((alert) => alert.ruleName === alertname)
      .map(({ labels, annotations }) => ({
        exp_labels: Object.fromEntries(Object.entries(labels).filter(([name]) => name !== 'alertname')),
        exp_annotations: annotations,
      })),
  }));
}

/** promql_expr_test entries: every query at every minute, over what the rules wrote. */
async function queryResults(test: TestManager, scenario: Scenario): Promise<Record<string, unknown>[]> {
  const engine = new PromQLEngine(test.store);
  const queries: Record<string, unknown>[] = [];
  for (const expr of scenario.queries) {
    for (let minute = 0; minute <= scenario.minutes; minute++) {
      const { value } = await engine.instantQuery(expr, minute * MINUTE_MS);
      assert.equal(value.type, 'vector');
      const samples = value.type === 'vector' ? value.samples : [];
      queries.push({
        expr,
        eval_time: `${minute}m`,
        exp_samples: samples.map((sample) => ({ labels: formatLabels(sample.labels), value: sample.value })),
      });
    }
  }
  return queries;
}

function loadSeries(test: TestManager, series: Record<string, InputValue[]>): void {
  for (const [selector, values] of Object.entries(series)) {
    const expr = parseExpr(selector);
    assert.equal(expr.kind, 'vector_selector');
    if (expr.kind !== 'vector_selector') continue;
    const labels = Object.fromEntries(expr.matchers.map((matcher) => [matcher.name, matcher.value]));
    values.forEach((value, minute) => {
      if (value !== '_') test.store.add(labels, minute * MINUTE_MS, value === 'stale' ? STALE_NAN : value);
    });
  }
}

for (const scenario of SCENARIOS) {
  test(`promtool agrees: ${scenario.name}`, { skip: skipUnless('prometheus') }, async () => {
    const observed = await observe(scenario);
    const dir = await mkdtemp(join(tmpdir(), 'vigil-promtool-'));
    try {
      await writeFile(join(dir, 'rules.yaml'), scenario.rules);
      const input = Object.entries(scenario.series).map(([series, values]) => ({
        series,
        values: values.join(' '),
      }));
      const suite = {
        rule_files: ['rules.yaml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: input,
            alert_rule_test: observed.alerts,
            promql_expr_test: observed.queries,
          },
        ],
      };
      await writeFile(join(dir, 'test.yaml'), stringify(suite));
      const result = spawnSync('promtool', ['test', 'rules', 'test.yaml'], { cwd: dir, encoding: 'utf8' });
      assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
      // The scenario must say something: alerts fired and queries returned samples.
      assert.ok(observed.alerts.some((entry) => (entry.exp_alerts as unknown[]).length > 0));
      assert.ok(observed.queries.some((entry) => (entry.exp_samples as unknown[]).length > 0));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
