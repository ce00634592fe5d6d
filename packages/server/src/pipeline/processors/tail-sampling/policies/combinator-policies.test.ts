import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeSpan, resource } from '../../../../storage/contract-fixtures.ts';
import { combineDecisions, Decision } from '../decision.ts';
import { parseTailSamplingSettings } from '../tail-sampling-settings.ts';

const canaryResource = resource('fraud-model', { 'ml.model.version': '3.2.0' });
const stableResource = resource('fraud-model', { 'ml.model.version': '3.1.0' });
/** A two-span trace of the canary or the stable model. */
const trace = (n: number, canary: boolean) => ({
  traceId: n.toString(16).padStart(32, '0'),
  spans: [1, 2].map((span) => makeSpan({ trace: n, span, resource: canary ? canaryResource : stableResource })),
});

function composite(extra: Record<string, unknown> = {}) {
  const { policies } = parseTailSamplingSettings({
    policies: [
      {
        name: 'budget',
        type: 'composite',
        composite: {
          max_total_spans_per_second: 10,
          composite_sub_policy: [
            { name: 'canary', type: 'string_attribute', string_attribute: { key: 'ml.model.version', values: ['3.2.0'] } },
            { name: 'rest', type: 'always_sample' },
          ],
          rate_allocation: [
            { policy: 'canary', percent: 50 },
            { policy: 'rest', percent: 30 },
          ],
          ...extra,
        },
      },
    ],
  });
  return policies;
}

describe('composite', () => {
  it('gives each sub-policy its share of max_total_spans_per_second, per second', () => {
    const policies = composite();
    const verdict = (n: number, canary: boolean, nowMs: number) => combineDecisions(policies, trace(n, canary), nowMs, false);
    // canary: 5 spans/s = two 2-span traces; rest: 3 spans/s = one.
    const second0 = [verdict(1, true, 0), verdict(2, true, 100), verdict(3, true, 200), verdict(4, false, 300), verdict(5, false, 400)];
    assert.deepEqual(
      second0.map((v) => (v.kind === 'sampled' ? v.reason.subPolicyName : v.kind)),
      ['canary', 'canary', 'not_sampled', 'rest', 'not_sampled'],
    );
    // The next second starts a fresh budget.
    const next = verdict(6, true, 1000);
    assert.equal(next.kind === 'sampled' && next.reason.subPolicyName, 'canary');
    assert.equal(next.kind === 'sampled' && next.reason.policyName, 'budget');
  });

  it('evaluates sub-policies in policy_order', () => {
    const policies = composite({ policy_order: ['rest', 'canary'] });
    const first = combineDecisions(policies, trace(1, true), 0, false);
    assert.equal(first.kind === 'sampled' && first.reason.subPolicyName, 'rest');
  });

  it('an unallocated sub-policy never samples, as upstream', () => {
    const policies = composite({ rate_allocation: [{ policy: 'canary', percent: 50 }] });
    assert.equal(combineDecisions(policies, trace(1, false), 0, false).kind, 'not_sampled');
  });

  it('warns about a policy_order name that is no sub-policy', () => {
    const warnings: string[] = [];
    parseTailSamplingSettings(
      {
        policies: [
          {
            name: 'c',
            type: 'composite',
            composite: { policy_order: ['nope'], composite_sub_policy: [{ name: 'a', type: 'always_sample' }] },
          },
        ],
      },
      (line) => warnings.push(line),
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /policy_order names "nope"/);
  });
});

describe('combining policy decisions (upstream makeDecision)', () => {
  const { Sampled, NotSampled, InvertSampled, InvertNotSampled, Dropped } = Decision;
  const fixed = (name: string, decision: Decision) => ({
    name,
    evaluator: { adjustedCount: 1, evaluate: () => decision },
    keepReason: { policyName: name, adjustedCount: 1 },
  });
  const rows: { decisions: Decision[]; expected: string; firstMatch?: boolean }[] = [
    { decisions: [NotSampled, Sampled, Sampled], expected: 'sampled by p1' },
    { decisions: [NotSampled, NotSampled], expected: 'not_sampled' },
    { decisions: [Sampled, Dropped], expected: 'dropped' },
    { decisions: [Sampled, InvertNotSampled], expected: 'not_sampled' },
    { decisions: [InvertSampled, InvertSampled], expected: 'sampled by p0' },
    { decisions: [InvertSampled, NotSampled], expected: 'not_sampled' },
    { decisions: [InvertSampled, Sampled], expected: 'sampled by p1' },
    // sample_on_first_match stops before a later drop policy would run.
    { decisions: [Sampled, Dropped], expected: 'sampled by p0', firstMatch: true },
    { decisions: [], expected: 'not_sampled' },
  ];
  for (const row of rows) {
    it(`${row.decisions.join(',') || 'no policies'}${row.firstMatch ? ' (first match)' : ''} → ${row.expected}`, () => {
      const policies = row.decisions.map((decision, i) => fixed(`p${i}`, decision));
      const verdict = combineDecisions(policies, trace(1, false), 0, row.firstMatch ?? false);
      assert.equal(verdict.kind === 'sampled' ? `sampled by ${verdict.reason.policyName}` : verdict.kind, row.expected);
    });
  }
});
