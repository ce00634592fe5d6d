import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Expr } from '../../query/promql/ast.ts';
import { parseExpr } from '../../query/promql/parser.ts';
import type { RuleSpec } from '../rule-types.ts';
import { parseSloSpec } from './parse-slo-spec.ts';
import { generateSloRuleGroups, SLO_ALERT_NAME } from './slo-rules.ts';

const EVENTS = {
  error_query: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))',
  total_query: 'sum(rate(http_requests_total[{{.window}}]))',
};

/** One `ratio_rate<w>{slo=…} / budget > threshold` comparison found in an alert expression. */
interface Comparison {
  record: string;
  budget: number;
  threshold: number;
}

/** Every comparison of the expression, in order: the workbook rows as the generated PromQL states them. */
function comparisons(expr: Expr): Comparison[] {
  if (expr.kind === 'paren') return comparisons(expr.expr);
  if (expr.kind !== 'binary') return [];
  if (expr.op !== '>') return [...comparisons(expr.lhs), ...comparisons(expr.rhs)];
  const { lhs, rhs } = expr;
  assert.ok(lhs.kind === 'binary' && lhs.op === '/' && rhs.kind === 'number', 'ratio / budget > threshold');
  assert.ok(lhs.lhs.kind === 'vector_selector' && lhs.rhs.kind === 'number');
  return [{ record: lhs.lhs.name ?? '', budget: lhs.rhs.value, threshold: rhs.value }];
}

function alertRows(rule: RuleSpec): string[] {
  return comparisons(parseExpr(rule.expr)).map((c) => `${c.record} / ${c.budget} > ${c.threshold}`);
}

function rulesOf(declaration: Record<string, unknown>): readonly RuleSpec[] {
  const groups = generateSloRuleGroups([parseSloSpec(declaration)]);
  assert.equal(groups.length, 1);
  return groups[0]?.rules ?? [];
}

describe('generateSloRuleGroups', () => {
  const declarations: Record<string, Record<string, unknown>> = {
    events: { events: EVENTS },
    good: { events: { good_query: EVENTS.total_query, total_query: EVENTS.total_query } },
    latency: {
      latency: {
        metric: 'ml_inference_latency_seconds',
        matchers: '{model_name="fraud-detector"}',
        threshold: 1,
      },
    },
    spans: { spans: { service: 'checkout', operation: 'POST /pay' } },
    quality: { quality: { expr: 'vigil_ml_drift_psi{model="fraud-model"}', threshold: 0.2 } },
  };
  for (const [kind, sli] of Object.entries(declarations)) {
    test(`${kind}: every generated rule parses as PromQL`, () => {
      const rules = rulesOf({ name: 'checkout', service: 'shop', objective: 99.9, ...sli });
      assert.equal(rules.length, 10);
      for (const rule of rules) assert.doesNotThrow(() => parseExpr(rule.expr), rule.expr);
    });
  }

  test('30d: recording rules per window, labelled {slo, service}', () => {
    const rules = rulesOf({ name: 'checkout', service: 'shop', objective: 99.9, events: EVENTS });
    const records = rules.filter((rule) => rule.record !== undefined);
    assert.deepEqual(
      records.map((rule) => rule.record),
      ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'].map((w) => `slo:sli_error:ratio_rate${w}`),
    );
    for (const rule of records) assert.deepEqual(rule.labels, { slo: 'checkout', service: 'shop' });
    assert.equal(
      records[0]?.expr,
      '(sum(rate(http_requests_total{code=~"5.."}[5m]))) / (sum(rate(http_requests_total[5m])))',
    );
    assert.match(records[7]?.expr ?? '', /\[30d\]/);
  });

  test('30d: page and ticket alerts have the workbook burn rates 14.4, 6, 3, 1 over budget 0.001', () => {
    const alerts = rulesOf({ name: 'checkout', objective: 99.9, events: EVENTS }).filter((r) => r.alert);
    assert.deepEqual(
      alerts.map((rule) => [rule.alert, rule.labels.severity, alertRows(rule)]),
      [
        [
          SLO_ALERT_NAME,
          'page',
          [
            'slo:sli_error:ratio_rate1h / 0.001 > 14.4',
            'slo:sli_error:ratio_rate5m / 0.001 > 14.4',
            'slo:sli_error:ratio_rate6h / 0.001 > 6',
            'slo:sli_error:ratio_rate30m / 0.001 > 6',
          ],
        ],
        [
          SLO_ALERT_NAME,
          'ticket',
          [
            'slo:sli_error:ratio_rate1d / 0.001 > 3',
            'slo:sli_error:ratio_rate2h / 0.001 > 3',
            'slo:sli_error:ratio_rate3d / 0.001 > 1',
            'slo:sli_error:ratio_rate6h / 0.001 > 1',
          ],
        ],
      ],
    );
  });

  test('conditions pair with `and`, rows with `or`, selectors pick the SLO', () => {
    const page = rulesOf({ name: 'checkout', objective: 99.9, events: EVENTS }).find((r) => r.alert);
    const expr = parseExpr(page?.expr ?? '');
    assert.ok(expr.kind === 'binary' && expr.op === 'or');
    for (const side of [expr.lhs, expr.rhs]) {
      assert.ok(side.kind === 'paren' && side.expr.kind === 'binary' && side.expr.op === 'and');
    }
    assert.equal(page?.expr.match(/\{slo="checkout"\}/g)?.length, 4);
  });

  test('7d keeps the budget shares: thresholds 3.36, 1.4, 0.7, 0.233333', () => {
    const rules = rulesOf({ name: 'weekly', objective: 99, window: '7d', events: EVENTS });
    const thresholds = rules
      .filter((r) => r.alert)
      .flatMap((rule) => comparisons(parseExpr(rule.expr)).map((c) => [c.threshold, c.budget]));
    assert.deepEqual(thresholds, [
      [3.36, 0.01],
      [3.36, 0.01],
      [1.4, 0.01],
      [1.4, 0.01],
      [0.7, 0.01],
      [0.7, 0.01],
      [0.233333, 0.01],
      [0.233333, 0.01],
    ]);
    assert.equal(rules.at(7)?.record, 'slo:sli_error:ratio_rate7d');
  });

  test('1d window: no 3d recording rule, and the ticket keeps only its 1d row', () => {
    const rules = rulesOf({ name: 'daily', objective: 99, window: '1d', events: EVENTS });
    assert.deepEqual(
      rules.filter((r) => r.record).map((r) => r.record?.replace('slo:sli_error:ratio_rate', '')),
      ['5m', '30m', '1h', '2h', '6h', '1d'],
    );
    const ticket = rules.find((r) => r.labels.severity === 'ticket');
    assert.ok(ticket);
    assert.deepEqual(alertRows(ticket), [
      'slo:sli_error:ratio_rate1d / 0.01 > 0.1',
      'slo:sli_error:ratio_rate2h / 0.01 > 0.1',
    ]);
  });

  test('alert labels, severities and annotations', () => {
    const rules = rulesOf({
      name: 'checkout',
      service: 'shop',
      objective: 99.5,
      labels: { team: 'payments' },
      page_severity: 'critical',
      ticket_severity: 'warning',
      runbook_url: 'https://runbooks.example/checkout',
      events: EVENTS,
    });
    const [page, ticket] = rules.filter((r) => r.alert);
    assert.deepEqual(page?.labels, {
      team: 'payments',
      slo: 'checkout',
      service: 'shop',
      severity: 'critical',
    });
    assert.equal(ticket?.labels.severity, 'warning');
    assert.equal(page?.annotations.runbook_url, 'https://runbooks.example/checkout');
    assert.match(
      page?.annotations.summary ?? '',
      /^SLO checkout of \{\{ \$labels\.service \}\}: error budget/,
    );
    assert.match(page?.annotations.description ?? '', /objective 99\.5%.*\{\{ \$value \| humanize \}\}x/);
    assert.match(
      page?.annotations.description ?? '',
      /1h and 5m burn rates above 14\.4 \(the budget would last 50h\)/,
    );
    assert.equal(page?.forMs, 0);
  });
});
