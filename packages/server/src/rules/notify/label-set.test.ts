import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fingerprint, labelSetString, labelSetsEqual, pickLabels } from './label-set.ts';

// Expected values from prometheus/common model/signature_test.go (TestLabelsToSignature,
// TestMetricToFingerprint), printed as Fingerprint.String() does (%016x).
const FINGERPRINTS: { labels: Record<string, string>; hex: string }[] = [
  { labels: {}, hex: 14695981039346656037n.toString(16).padStart(16, '0') },
  {
    labels: { name: 'garland, briggs', fear: 'love is not enough' },
    hex: 5799056148416392346n.toString(16).padStart(16, '0'),
  },
];

test('fingerprint matches Alertmanager model.LabelSet.Fingerprint', () => {
  for (const { labels, hex } of FINGERPRINTS) assert.equal(fingerprint(labels), hex, JSON.stringify(labels));
});

test('fingerprint depends on pairs, not insertion order, and is 16 hex digits', () => {
  assert.equal(fingerprint({ a: '1', b: '2' }), fingerprint({ b: '2', a: '1' }));
  assert.notEqual(fingerprint({ a: '1', b: '2' }), fingerprint({ a: '12' }));
  assert.match(fingerprint({ alertname: 'X' }), /^[0-9a-f]{16}$/);
});

test('labelSetString is model.LabelSet.String', () => {
  const cases: [Record<string, string>, string][] = [
    [{}, '{}'],
    [{ service: 'api', alertname: 'High' }, '{alertname="High", service="api"}'],
    [{ q: 'say "hi"' }, '{q="say \\"hi\\""}'],
  ];
  for (const [labels, expected] of cases) assert.equal(labelSetString(labels), expected);
});

test('pickLabels keeps group_by names; __proto__ stays a label', () => {
  const picked = pickLabels(
    JSON.parse('{"__proto__":"x","a":"1","b":"2"}') as Record<string, string>,
    new Set(['__proto__', 'a']),
  );
  assert.equal(JSON.stringify(picked), '{"__proto__":"x","a":"1"}');
  assert.ok(labelSetsEqual({ a: '1' }, { a: '1' }));
  assert.ok(!labelSetsEqual({ a: '1' }, { a: '1', b: '' }));
});
