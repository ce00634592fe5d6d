import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newAttributes } from '../../model/attributes.ts';
import { calculateSkewNanos, formatMicros } from './clock-skew.ts';
import { sid, testResource, testSpan } from './test-spans.ts';
import { assembleTrace } from './trace-tree.ts';

const hostA = testResource('frontend', { 'host.name': 'host-a' });
const hostB = testResource('ranker', { 'host.name': 'host-b' });
const hostA2 = testResource('cache', { 'host.name': 'host-a' });

interface SkewCase {
  name: string;
  child: { startMicros: number; endMicros: number; resource: typeof hostA };
  /** Expected adjusted child start/end in µs. */
  expected: [number, number];
}

// Parent on host A spans [1000, 2000] µs in every row.
const cases: SkewCase[] = [
  {
    name: 'other host, starts before parent → centered',
    child: { startMicros: 500, endMicros: 900, resource: hostB },
    expected: [1300, 1700],
  },
  {
    name: 'other host, ends after parent → centered',
    child: { startMicros: 1800, endMicros: 2400, resource: hostB },
    expected: [1200, 1800],
  },
  {
    name: 'other host, already inside → untouched',
    child: { startMicros: 1100, endMicros: 1300, resource: hostB },
    expected: [1100, 1300],
  },
  {
    name: 'other host, longer than parent, starts early → aligned to parent start',
    child: { startMicros: 0, endMicros: 1500, resource: hostB },
    expected: [1000, 2500],
  },
  {
    name: 'other host, longer than parent, starts late → untouched',
    child: { startMicros: 1500, endMicros: 3000, resource: hostB },
    expected: [1500, 3000],
  },
  {
    name: 'same host, starts before parent → untouched',
    child: { startMicros: 500, endMicros: 900, resource: hostA2 },
    expected: [500, 900],
  },
];

for (const { name, child, expected } of cases) {
  void test(`clock skew: ${name}`, () => {
    const trace = assembleTrace([
      testSpan({ spanId: sid(1), startMicros: 1000, endMicros: 2000, resource: hostA }),
      testSpan({ spanId: sid(2), parentSpanId: sid(1), ...child }),
    ]);
    const node = trace.spans.find((n) => n.span.spanId === sid(2));
    assert.ok(node);
    assert.deepEqual(
      [node.span.startTimeUnixNano, node.span.endTimeUnixNano],
      [BigInt(expected[0]) * 1000n, BigInt(expected[1]) * 1000n],
    );
    assert.equal(node.originalStartTimeUnixNano, BigInt(child.startMicros) * 1000n, 'original start kept');
    const shifted = expected[0] !== child.startMicros;
    assert.equal(node.clockSkewDeltaNanos, BigInt(expected[0] - child.startMicros) * 1000n);
    assert.equal(
      node.warnings.some((w) => w.startsWith('clock skew adjustment applied: shifted by')),
      shifted,
    );
    assert.equal(
      trace.warnings.some((w) => w.includes('clock skew')),
      shifted,
    );
  });
}

void test('clock skew: a nested same-host subtree moves with its shifted root, events included', () => {
  const grandchild = testSpan({
    spanId: sid(3),
    parentSpanId: sid(2),
    startMicros: 600,
    endMicros: 800,
    resource: hostB,
  });
  grandchild.events.push({
    timeUnixNano: 700_000n,
    name: 'retry',
    attributes: newAttributes(),
    droppedAttributesCount: 0,
  });
  const trace = assembleTrace([
    testSpan({ spanId: sid(1), startMicros: 1000, endMicros: 2000, resource: hostA }),
    testSpan({ spanId: sid(2), parentSpanId: sid(1), startMicros: 500, endMicros: 900, resource: hostB }),
    grandchild,
  ]);
  const [root, child, nested] = trace.spans;
  assert.equal(root?.clockSkewDeltaNanos, 0n);
  assert.equal(child?.clockSkewDeltaNanos, 800_000n);
  assert.equal(nested?.clockSkewDeltaNanos, 800_000n);
  assert.equal(nested?.span.startTimeUnixNano, 1_400_000n);
  assert.equal(nested?.span.events[0]?.timeUnixNano, 1_500_000n);
  assert.equal(grandchild.events[0]?.timeUnixNano, 700_000n, 'stored span untouched');
  assert.deepEqual(nested?.warnings, ['clock skew adjustment applied: shifted by 800 µs']);
});

void test('clock skew: a third host below a shifted span is compared with the shifted times', () => {
  const hostC = testResource('feature-store', { 'host.name': 'host-c' });
  const trace = assembleTrace([
    testSpan({ spanId: sid(1), startMicros: 1000, endMicros: 2000, resource: hostA }),
    testSpan({ spanId: sid(2), parentSpanId: sid(1), startMicros: 500, endMicros: 900, resource: hostB }),
    // Fits inside the child's original [500, 900] but not its adjusted [1300, 1700].
    testSpan({ spanId: sid(3), parentSpanId: sid(2), startMicros: 600, endMicros: 700, resource: hostC }),
  ]);
  const nested = trace.spans[2];
  assert.equal(nested?.span.startTimeUnixNano, 1_450_000n);
  assert.equal(nested?.span.endTimeUnixNano, 1_550_000n);
});

void test('clock skew: maxDeltaNanos refuses larger shifts with a warning', () => {
  const trace = assembleTrace(
    [
      testSpan({ spanId: sid(1), startMicros: 1000, endMicros: 2000, resource: hostA }),
      testSpan({ spanId: sid(2), parentSpanId: sid(1), startMicros: 500, endMicros: 900, resource: hostB }),
    ],
    { clockSkew: { maxDeltaNanos: 100_000n } },
  );
  const child = trace.spans[1];
  assert.equal(child?.clockSkewDeltaNanos, 0n);
  assert.equal(child?.span.startTimeUnixNano, 500_000n);
  assert.match(child?.warnings[0] ?? '', /not applied: shift of 800 µs exceeds the maximum of 100 µs/);
});

void test('clock skew: disabled leaves every span as stored', () => {
  const trace = assembleTrace(
    [
      testSpan({ spanId: sid(1), startMicros: 1000, endMicros: 2000, resource: hostA }),
      testSpan({ spanId: sid(2), parentSpanId: sid(1), startMicros: 500, endMicros: 900, resource: hostB }),
    ],
    { clockSkew: false },
  );
  assert.equal(trace.spans[1]?.span.startTimeUnixNano, 500_000n);
  assert.deepEqual(trace.warnings, []);
});

void test('calculateSkewNanos keeps nanosecond precision and formatMicros prints it exactly', () => {
  const parent = testSpan({ spanId: sid(1), startMicros: 0, endMicros: 1, resource: hostA });
  const child = { ...parent, startTimeUnixNano: 1_001n, endTimeUnixNano: 1_002n };
  assert.equal(calculateSkewNanos(child, parent), -502n);
  assert.equal(formatMicros(-502n), '-0.502');
  assert.equal(formatMicros(1_500n), '1.5');
  assert.equal(formatMicros(2_000n), '2');
});
