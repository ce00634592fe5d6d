import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSloSpec, parseSloSpecs } from './parse-slo-spec.ts';
import { sloDeclaration } from './slo-declaration.ts';
import type { SloSpec } from './slo-spec.ts';
import { SloSpecError } from './spec-fields.ts';

const DAY_MS = 86_400_000;
const EVENTS = {
  error_query: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))',
  total_query: 'sum(rate(http_requests_total[{{ .window }}]))',
};
const LATENCY = {
  metric: 'ml_inference_latency_seconds',
  matchers: '{model_name="fraud-detector"}',
  threshold: '500ms',
};

function slo(fields: Record<string, unknown>): Record<string, unknown> {
  return { name: 'checkout', objective: 99.9, events: EVENTS, ...fields };
}

describe('parseSloSpec', () => {
  const accepted: { name: string; input: Record<string, unknown>; check: (spec: SloSpec) => void }[] = [
    { name: 'percent objective', input: slo({}), check: (s) => assert.equal(s.objectiveRatio, 0.999) },
    {
      name: 'ratio objective',
      input: slo({ objective: 0.995 }),
      check: (s) => assert.equal(s.objectiveRatio, 0.995),
    },
    {
      name: 'percent string',
      input: slo({ objective: '99.95%' }),
      check: (s) => assert.equal(s.objectiveRatio, 0.9995),
    },
    { name: 'default window 30d', input: slo({}), check: (s) => assert.equal(s.windowMs, 30 * DAY_MS) },
    { name: 'window 7d', input: slo({ window: '7d' }), check: (s) => assert.equal(s.windowMs, 7 * DAY_MS) },
    {
      name: 'default severities',
      input: slo({}),
      check: (s) => assert.deepEqual([s.pageSeverity, s.ticketSeverity], ['page', 'ticket']),
    },
    {
      name: 'custom severities and labels',
      input: slo({ page_severity: 'critical', ticket_severity: 'warning', labels: { team: 'payments' } }),
      check: (s) => {
        assert.deepEqual([s.pageSeverity, s.ticketSeverity], ['critical', 'warning']);
        assert.deepEqual(s.labels, { team: 'payments' });
      },
    },
    {
      name: 'good events',
      input: slo({ events: { good_query: EVENTS.total_query, total_query: EVENTS.total_query } }),
      check: (s) => assert.equal(s.sli.kind === 'events' && s.sli.countsErrors, false),
    },
    {
      name: 'latency threshold as duration on a _seconds metric',
      input: slo({ events: undefined, latency: LATENCY }),
      check: (s) => {
        assert.equal(s.sli.kind, 'latency');
        if (s.sli.kind !== 'latency') return;
        assert.equal(s.sli.threshold, 0.5);
        assert.deepEqual(s.sli.matchers, [{ name: 'model_name', type: '=', value: 'fraud-detector' }]);
      },
    },
    {
      name: 'latency threshold as duration on a _milliseconds metric',
      input: slo({ events: undefined, latency: { metric: 'rpc_latency_milliseconds', threshold: '1s' } }),
      check: (s) => assert.equal(s.sli.kind === 'latency' && s.sli.threshold, 1000),
    },
    {
      name: 'spans without operation',
      input: slo({ events: undefined, spans: { service: 'checkout' } }),
      check: (s) => assert.deepEqual(s.sli, { kind: 'spans', service: 'checkout', operation: undefined }),
    },
    {
      name: 'quality',
      input: slo({
        events: undefined,
        quality: { expr: 'vigil_ml_drift_psi{model="fraud-model"}', threshold: 0.2 },
      }),
      check: (s) => assert.equal(s.sli.kind === 'quality' && s.sli.threshold, 0.2),
    },
  ];
  for (const { name, input, check } of accepted) {
    test(`accepts ${name}, and its declaration parses back to the same spec`, () => {
      const spec = parseSloSpec(input);
      check(spec);
      assert.deepEqual(parseSloSpec(JSON.parse(JSON.stringify(sloDeclaration(spec)))), spec);
    });
  }

  const rejected: { input: unknown; message: RegExp }[] = [
    { input: 'checkout', message: /^expected a mapping$/ },
    { input: slo({ name: undefined }), message: /^name: required$/ },
    { input: slo({ name: 'has space' }), message: /^name: expected 1-100 characters/ },
    { input: slo({ objectve: 99 }), message: /^objectve: unknown field/ },
    { input: slo({ objective: 100 }), message: /^objective: expected a ratio in \(0, 1\)/ },
    { input: slo({ objective: 1 }), message: /^objective: expected a ratio/ },
    { input: slo({ objective: '0.999%' }), message: /^objective: expected a ratio/ },
    { input: slo({ objective: 'high' }), message: /^objective: expected a number/ },
    { input: slo({ window: '2h' }), message: /^window: expected a window from 1d to 365d$/ },
    { input: slo({ window: 'monthly' }), message: /^window: not a duration/ },
    { input: slo({ labels: { severity: 'x' } }), message: /^labels\.severity: set by the SLO itself/ },
    { input: slo({ labels: { 'bad-name': 'x' } }), message: /^labels\.bad-name: not a valid label name/ },
    { input: slo({ events: undefined }), message: /^expected exactly one SLI/ },
    { input: slo({ spans: { service: 'a' } }), message: /^expected exactly one SLI/ },
    {
      input: slo({ events: { error_query: 'sum(rate(x[5m]))', total_query: EVENTS.total_query } }),
      message: /^events\.error_query: must contain \{\{\.window\}\}/,
    },
    {
      input: slo({ events: { error_query: 'sum(rate(x[{{.window}}]', total_query: EVENTS.total_query } }),
      message: /^events\.error_query: invalid PromQL: 1:\d+: parse error/,
    },
    {
      input: slo({ events: { error_query: 'x[{{.window}}]', total_query: EVENTS.total_query } }),
      message: /^events\.error_query: expected an instant-vector expression, got a matrix$/,
    },
    {
      input: slo({ events: { ...EVENTS, good_query: EVENTS.total_query } }),
      message: /^events: expected exactly one of error_query, good_query$/,
    },
    {
      input: slo({
        events: undefined,
        latency: { ...LATENCY, metric: 'ml_inference_latency_seconds_bucket' },
      }),
      message: /^latency\.metric: give the histogram base name/,
    },
    {
      input: slo({ events: undefined, latency: { ...LATENCY, matchers: 'model_name="x"' } }),
      message: /^latency\.matchers: expected label matchers in braces/,
    },
    {
      input: slo({ events: undefined, latency: { ...LATENCY, matchers: '{le="0.5"}' } }),
      message: /^latency\.matchers: must not match __name__ or le/,
    },
    {
      input: slo({ events: undefined, latency: { ...LATENCY, metric: 'queue_depth', threshold: '5s' } }),
      message: /^latency\.threshold: a duration needs a metric named \*_seconds/,
    },
    {
      input: slo({ events: undefined, latency: { ...LATENCY, threshold: -1 } }),
      message: /^latency\.threshold: expected a positive finite bucket bound$/,
    },
    { input: slo({ events: undefined, spans: {} }), message: /^spans\.service: required$/ },
    {
      input: slo({ events: undefined, quality: { expr: 'up', threshold: 'high' } }),
      message: /^quality\.threshold: expected a number$/,
    },
  ];
  for (const { input, message } of rejected) {
    test(`rejects with ${String(message)}`, () => {
      assert.throws(
        () => parseSloSpec(input),
        (error: unknown) => {
          assert.ok(error instanceof SloSpecError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  test('prefixes the key path of the declaration, for config file line numbers', () => {
    assert.throws(
      () => parseSloSpec(slo({ objective: 0 }), ['vigil', 'slos', '2']),
      (error: unknown) =>
        error instanceof SloSpecError &&
        error.message.startsWith('vigil.slos.2.objective: ') &&
        error.keyPath.join('.') === 'vigil.slos.2.objective',
    );
  });
});

describe('parseSloSpecs', () => {
  test('reads a list, absent means none, duplicate names are an error', () => {
    assert.deepEqual(parseSloSpecs(undefined), []);
    assert.equal(parseSloSpecs([slo({}), slo({ name: 'other' })]).length, 2);
    assert.throws(
      () => parseSloSpecs([slo({}), slo({})], ['vigil', 'slos']),
      /vigil\.slos\.1\.name: duplicate SLO name$/,
    );
    assert.throws(() => parseSloSpecs({}, ['vigil', 'slos']), /vigil\.slos: expected a list of SLOs/);
  });
});
