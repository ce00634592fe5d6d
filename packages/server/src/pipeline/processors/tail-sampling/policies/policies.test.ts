import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Span } from '../../../../model/span.ts';
import { attrs, makeSpan, resource } from '../../../../storage/contract-fixtures.ts';
import { Decision } from '../decision.ts';
import { parseTailSamplingSettings } from '../tail-sampling-settings.ts';

/** Builds the one policy from its YAML form, as the processor would. */
function evaluatorOf(policy: Record<string, unknown>) {
  const [parsed] = parseTailSamplingSettings({ policies: [{ name: 'p', ...policy }] }).policies;
  assert.ok(parsed);
  return parsed.evaluator;
}

const MS = 1_000_000n;
const plain = [makeSpan({ trace: 1, span: 1 }), makeSpan({ trace: 1, span: 2, parent: 1 })];
const withError = [makeSpan({ trace: 1, span: 1 }), makeSpan({ trace: 1, span: 2, parent: 1, status: 2 })];
const okStatus = [makeSpan({ trace: 1, span: 1, status: 1 })];
/** Root 0–100 ms, child 400–700 ms: the trace spans 700 ms though no span is longer than 300 ms. */
const gappy = [
  makeSpan({ trace: 1, span: 1, durationNanos: 100n * MS }),
  makeSpan({ trace: 1, span: 2, parent: 1, startOffsetNanos: 400n * MS, durationNanos: 300n * MS }),
];
const spanAttr = (key: string, value: Parameters<typeof attrs>[0][string]): Span[] => [
  makeSpan({ trace: 1, span: 1, attributes: attrs({ [key]: value }) }),
];
const resourceAttr = (key: string, value: Parameters<typeof attrs>[0][string]): Span[] => [
  makeSpan({ trace: 1, span: 1, resource: resource('fraud-model', { [key]: value }) }),
];
const withTraceState = (traceState: string): Span[] => [{ ...makeSpan({ trace: 1, span: 1 }), traceState }];

interface Row {
  name: string;
  policy: Record<string, unknown>;
  spans: Span[];
  expected: Decision;
}

const { Sampled, NotSampled, InvertSampled, InvertNotSampled, Dropped } = Decision;
const latency = (threshold_ms: number, upper_threshold_ms?: number) => ({
  type: 'latency',
  latency: { threshold_ms, upper_threshold_ms },
});
const score = (bounds: Record<string, unknown>) => ({
  type: 'numeric_attribute',
  numeric_attribute: { key: 'ml.prediction.score', ...bounds },
});
const version = (extra: Record<string, unknown>) => ({
  type: 'string_attribute',
  string_attribute: { key: 'ml.model.version', values: ['3.2.0'], ...extra },
});

const ROWS: Row[] = [
  { name: 'always_sample', policy: { type: 'always_sample' }, spans: plain, expected: Sampled },
  { name: 'latency: whole trace incl. gaps ≥ threshold', policy: latency(500), spans: gappy, expected: Sampled },
  { name: 'latency: below threshold', policy: latency(800), spans: gappy, expected: NotSampled },
  { name: 'latency: exactly the threshold samples', policy: latency(700), spans: gappy, expected: Sampled },
  { name: 'latency: inside (threshold, upper]', policy: latency(500, 700), spans: gappy, expected: Sampled },
  { name: 'latency: above upper', policy: latency(100, 600), spans: gappy, expected: NotSampled },
  { name: 'latency: lower bound exclusive with upper', policy: latency(700, 900), spans: gappy, expected: NotSampled },
  { name: 'status_code ERROR on a child', policy: { type: 'status_code', status_code: { status_codes: ['ERROR'] } }, spans: withError, expected: Sampled },
  { name: 'status_code ERROR, none', policy: { type: 'status_code', status_code: { status_codes: ['ERROR'] } }, spans: plain, expected: NotSampled },
  { name: 'status_code OK', policy: { type: 'status_code', status_code: { status_codes: ['OK', 'ERROR'] } }, spans: okStatus, expected: Sampled },
  { name: 'status_code UNSET', policy: { type: 'status_code', status_code: { status_codes: ['UNSET'] } }, spans: okStatus, expected: NotSampled },
  { name: 'numeric: double below max', policy: score({ max_value: 0.6 }), spans: spanAttr('ml.prediction.score', 0.41), expected: Sampled },
  { name: 'numeric: double above max', policy: score({ max_value: 0.6 }), spans: spanAttr('ml.prediction.score', 0.87), expected: NotSampled },
  { name: 'numeric: max inclusive', policy: score({ max_value: 0.6 }), spans: spanAttr('ml.prediction.score', 0.6), expected: Sampled },
  { name: 'numeric: int in range', policy: score({ min_value: 50, max_value: 100 }), spans: spanAttr('ml.prediction.score', 75n), expected: Sampled },
  { name: 'numeric: int below min', policy: score({ min_value: 50 }), spans: spanAttr('ml.prediction.score', 49n), expected: NotSampled },
  { name: 'numeric: on the resource', policy: score({ min_value: 50 }), spans: resourceAttr('ml.prediction.score', 60n), expected: Sampled },
  { name: 'numeric: a string never matches', policy: score({ min_value: 50 }), spans: spanAttr('ml.prediction.score', '60'), expected: NotSampled },
  { name: 'numeric: absent', policy: score({ min_value: 50 }), spans: plain, expected: NotSampled },
  { name: 'numeric: invert, in range', policy: score({ min_value: 50, invert_match: true }), spans: spanAttr('ml.prediction.score', 60n), expected: InvertNotSampled },
  { name: 'numeric: invert, key absent', policy: score({ min_value: 50, invert_match: true }), spans: plain, expected: InvertSampled },
  { name: 'string: exact on the resource', policy: version({}), spans: resourceAttr('ml.model.version', '3.2.0'), expected: Sampled },
  { name: 'string: exact on a span', policy: version({}), spans: spanAttr('ml.model.version', '3.2.0'), expected: Sampled },
  { name: 'string: exact is whole-value', policy: version({}), spans: spanAttr('ml.model.version', '3.2.01'), expected: NotSampled },
  { name: 'string: regex (unanchored, as Go)', policy: version({ values: ['3\\.2'], enabled_regex_matching: true }), spans: spanAttr('ml.model.version', 'v3.2.0'), expected: Sampled },
  { name: 'string: anchored regex', policy: version({ values: ['^3\\.2\\.'], enabled_regex_matching: true }), spans: spanAttr('ml.model.version', '13.2.0'), expected: NotSampled },
  { name: 'string: invert, other value', policy: version({ invert_match: true }), spans: spanAttr('ml.model.version', '3.1.0'), expected: InvertSampled },
  { name: 'string: invert, matching value', policy: version({ invert_match: true }), spans: spanAttr('ml.model.version', '3.2.0'), expected: InvertNotSampled },
  { name: 'boolean: match', policy: { type: 'boolean_attribute', boolean_attribute: { key: 'ml.inference.gpu_used', value: true } }, spans: spanAttr('ml.inference.gpu_used', true), expected: Sampled },
  { name: 'boolean: other value', policy: { type: 'boolean_attribute', boolean_attribute: { key: 'ml.inference.gpu_used', value: true } }, spans: spanAttr('ml.inference.gpu_used', false), expected: NotSampled },
  { name: 'boolean: invert', policy: { type: 'boolean_attribute', boolean_attribute: { key: 'debug', value: true, invert_match: true } }, spans: plain, expected: InvertSampled },
  { name: 'span_count in range', policy: { type: 'span_count', span_count: { min_spans: 2, max_spans: 3 } }, spans: plain, expected: Sampled },
  { name: 'span_count too few', policy: { type: 'span_count', span_count: { min_spans: 3 } }, spans: plain, expected: NotSampled },
  { name: 'span_count too many', policy: { type: 'span_count', span_count: { min_spans: 1, max_spans: 1 } }, spans: plain, expected: NotSampled },
  { name: 'trace_state match', policy: { type: 'trace_state', trace_state: { key: 'vigil', values: ['keep'] } }, spans: withTraceState('other=1, vigil=keep'), expected: Sampled },
  { name: 'trace_state other value', policy: { type: 'trace_state', trace_state: { key: 'vigil', values: ['keep'] } }, spans: withTraceState('vigil=drop'), expected: NotSampled },
  { name: 'probabilistic 100 %', policy: { type: 'probabilistic', probabilistic: { sampling_percentage: 100 } }, spans: plain, expected: Sampled },
  { name: 'probabilistic 0 %', policy: { type: 'probabilistic', probabilistic: { sampling_percentage: 0 } }, spans: plain, expected: NotSampled },
  {
    name: 'and: all sub-policies sample',
    policy: { type: 'and', and: { and_sub_policy: [{ name: 'a', ...version({}) }, { name: 'b', type: 'status_code', status_code: { status_codes: ['ERROR'] } }] } },
    spans: [makeSpan({ trace: 1, span: 1, status: 2, resource: resource('fraud-model', { 'ml.model.version': '3.2.0' }) })],
    expected: Sampled,
  },
  {
    name: 'and: one sub-policy does not',
    policy: { type: 'and', and: { and_sub_policy: [{ name: 'a', ...version({}) }, { name: 'b', type: 'status_code', status_code: { status_codes: ['ERROR'] } }] } },
    spans: resourceAttr('ml.model.version', '3.2.0'),
    expected: NotSampled,
  },
  { name: 'not: inverts Sampled', policy: { type: 'not', not: { not_sub_policy: { name: 's', ...latency(500) } } }, spans: gappy, expected: NotSampled },
  { name: 'not: inverts NotSampled', policy: { type: 'not', not: { not_sub_policy: { name: 's', ...latency(800) } } }, spans: gappy, expected: Sampled },
  { name: 'drop: all match', policy: { type: 'drop', drop: { drop_sub_policy: [{ name: 'd', ...version({}) }] } }, spans: spanAttr('ml.model.version', '3.2.0'), expected: Dropped },
  { name: 'drop: no match', policy: { type: 'drop', drop: { drop_sub_policy: [{ name: 'd', ...version({}) }] } }, spans: plain, expected: NotSampled },
];

describe('tail_sampling policies', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      assert.equal(evaluatorOf(row.policy).evaluate({ traceId: plain[0]?.traceId ?? '', spans: row.spans }, 0), row.expected);
    });
  }
});

describe('rate_limiting', () => {
  it('keeps spans within a bucket of 2 × spans_per_second that refills over time', () => {
    const policy = evaluatorOf({ type: 'rate_limiting', rate_limiting: { spans_per_second: 2 } });
    const trace = { traceId: 'a'.repeat(32), spans: plain };
    const verdicts = [0, 0, 0, 500, 1000].map((nowMs) => policy.evaluate(trace, nowMs));
    // Burst 4 spans = two 2-span traces; +1 span by 500 ms is not enough; +2 by 1000 ms is.
    assert.deepEqual(verdicts, [Sampled, Sampled, NotSampled, NotSampled, Sampled]);
  });

  it('never keeps a trace bigger than the burst', () => {
    const policy = evaluatorOf({ type: 'rate_limiting', rate_limiting: { spans_per_second: 1 } });
    const spans = [1, 2, 3].map((span) => makeSpan({ trace: 1, span }));
    assert.equal(policy.evaluate({ traceId: 'a'.repeat(32), spans }, 0), NotSampled);
  });
});
