import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostKey } from './host-key.ts';
import { sid, testResource, testSpan } from './test-spans.ts';
import { assembleTrace } from './trace-tree.ts';

const svc = testResource('ranker');

void test('assembleTrace links children depth-first with siblings by start time', () => {
  const trace = assembleTrace([
    testSpan({ spanId: sid(3), parentSpanId: sid(1), startMicros: 300, endMicros: 400, resource: svc }),
    testSpan({ spanId: sid(2), parentSpanId: sid(1), startMicros: 100, endMicros: 200, resource: svc }),
    testSpan({ spanId: sid(4), parentSpanId: sid(2), startMicros: 110, endMicros: 120, resource: svc }),
    testSpan({ spanId: sid(1), startMicros: 0, endMicros: 1000, resource: svc }),
  ]);
  assert.deepEqual(
    trace.spans.map((n) => [n.span.spanId, n.depth]),
    [
      [sid(1), 0],
      [sid(2), 1],
      [sid(4), 2],
      [sid(3), 1],
    ],
  );
  assert.deepEqual(
    trace.roots.map((n) => n.span.spanId),
    [sid(1)],
  );
  assert.equal(trace.startTimeUnixNano, 0n);
  assert.equal(trace.endTimeUnixNano, 1_000_000n);
  assert.deepEqual(trace.warnings, []);
  assert.ok(trace.spans.every((n) => !n.orphan));
});

void test('a span whose parent is missing is flagged as an orphan root with warnings', () => {
  const missingParent = 'deadbeefdeadbeef';
  const trace = assembleTrace([
    testSpan({ spanId: sid(1), startMicros: 0, endMicros: 1000, resource: svc }),
    testSpan({
      spanId: sid(2),
      parentSpanId: missingParent,
      startMicros: 100,
      endMicros: 200,
      resource: svc,
    }),
    testSpan({ spanId: sid(3), parentSpanId: sid(2), startMicros: 110, endMicros: 150, resource: svc }),
  ]);
  const orphan = trace.spans.find((n) => n.span.spanId === sid(2));
  assert.equal(orphan?.orphan, true);
  assert.equal(orphan?.depth, 0);
  assert.deepEqual(orphan?.warnings, [`parent span ID ${missingParent} is not in the trace`]);
  assert.equal(
    trace.spans.find((n) => n.span.spanId === sid(3))?.orphan,
    false,
    "the orphan's child is not an orphan",
  );
  assert.equal(trace.roots.length, 2);
  assert.match(trace.warnings.join('\n'), /1 span\(s\) reference a parent span that is not in the trace/);
});

void test('a root span (empty parentSpanId) is never an orphan', () => {
  const trace = assembleTrace([testSpan({ spanId: sid(1), startMicros: 0, endMicros: 10, resource: svc })]);
  assert.equal(trace.spans[0]?.orphan, false);
});

void test('parent cycles are broken so every span is shown once', () => {
  const trace = assembleTrace([
    testSpan({ spanId: sid(1), parentSpanId: sid(2), startMicros: 0, endMicros: 10, resource: svc }),
    testSpan({ spanId: sid(2), parentSpanId: sid(1), startMicros: 1, endMicros: 5, resource: svc }),
  ]);
  assert.equal(trace.spans.length, 2);
  assert.equal(new Set(trace.spans.map((n) => n.span.spanId)).size, 2);
  assert.match(trace.warnings.join('\n'), /parent cycle/);
});

void test('exact duplicate spans (a retried export) collapse silently; conflicting ones warn', () => {
  const span = testSpan({ spanId: sid(1), startMicros: 0, endMicros: 10, resource: svc });
  assert.deepEqual(assembleTrace([span, { ...span }]).warnings, []);
  assert.equal(assembleTrace([span, { ...span }]).spans.length, 1);
  const conflicting = assembleTrace([span, { ...span, name: 'other' }]);
  assert.equal(conflicting.spans.length, 1);
  assert.match(conflicting.warnings.join('\n'), /share a span ID/);
});

void test('hostKey prefers host.name, then service.instance.id, then service.name', () => {
  assert.equal(
    hostKey(testResource('a', { 'host.name': 'h1', 'service.instance.id': 'i1' })),
    'host.name=h1',
  );
  assert.equal(hostKey(testResource('a', { 'service.instance.id': 'i1' })), 'service.instance.id=i1');
  assert.equal(hostKey(testResource('a')), 'service.name=a');
});

void test('a deep chain does not overflow the stack', () => {
  const spans = Array.from({ length: 20_000 }, (_, i) =>
    testSpan({
      spanId: sid(i + 1),
      parentSpanId: i === 0 ? '' : sid(i),
      startMicros: i,
      endMicros: 40_000 - i,
      resource: svc,
    }),
  );
  const trace = assembleTrace(spans);
  assert.equal(trace.spans.at(-1)?.depth, 19_999);
});
