import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Inhibitor } from './inhibitor.ts';
import { fingerprint } from './label-set.ts';
import { parseMatchers } from './matchers.ts';

const inhibitor = new Inhibitor([
  {
    sourceMatchers: parseMatchers('severity="critical"'),
    targetMatchers: parseMatchers('severity="warning"'),
    equal: ['service'],
  },
  // Two-sided: alerts matching both sides must not inhibit each other (inhibit.go excludeTwoSidedMatch).
  {
    sourceMatchers: parseMatchers('alertname="Down"'),
    targetMatchers: parseMatchers('alertname="Down"'),
    equal: [],
  },
]);
const source = (labels: Record<string, string>): { fingerprint: string; labels: Record<string, string> } => ({
  fingerprint: fingerprint(labels),
  labels,
});

const CRITICAL_API = source({ alertname: 'ErrorsHigh', severity: 'critical', service: 'api' });
const DOWN_A = source({ alertname: 'Down', instance: 'a' });

const CASES: {
  name: string;
  labels: Record<string, string>;
  firing: ReturnType<typeof source>[];
  inhibited: boolean;
}[] = [
  {
    name: 'same service',
    labels: { alertname: 'LatencyHigh', severity: 'warning', service: 'api' },
    firing: [CRITICAL_API],
    inhibited: true,
  },
  {
    name: 'other service',
    labels: { alertname: 'LatencyHigh', severity: 'warning', service: 'web' },
    firing: [CRITICAL_API],
    inhibited: false,
  },
  {
    name: 'no source firing',
    labels: { alertname: 'LatencyHigh', severity: 'warning', service: 'api' },
    firing: [],
    inhibited: false,
  },
  {
    name: 'not a target',
    labels: { alertname: 'LatencyHigh', severity: 'info', service: 'api' },
    firing: [CRITICAL_API],
    inhibited: false,
  },
  {
    name: 'equal label absent on both',
    labels: { alertname: 'X', severity: 'warning' },
    firing: [source({ severity: 'critical' })],
    inhibited: true,
  },
  { name: 'two-sided', labels: { alertname: 'Down', instance: 'b' }, firing: [DOWN_A], inhibited: false },
];

test('inhibition mutes targets of firing sources with equal labels', () => {
  for (const { name, labels, firing, inhibited } of CASES) {
    const by = inhibitor.inhibitedBy(labels, firing);
    assert.equal(by.length > 0, inhibited, name);
    if (inhibited)
      assert.deepEqual(
        by,
        firing.map((f) => f.fingerprint),
        name,
      );
  }
});
