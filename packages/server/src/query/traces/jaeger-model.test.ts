import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newAttributes } from '../../model/attributes.ts';
import { SpanKind, StatusCode } from '../../model/span.ts';
import { toJaegerTrace } from './jaeger-model.ts';
import { TEST_TRACE_ID, sid, testResource, testSpan } from './test-spans.ts';
import { assembleTrace } from './trace-tree.ts';

void test('toJaegerTrace maps OTLP spans as Jaeger’s OTLP translator does', () => {
  const frontend = testResource('frontend', { 'host.name': 'host-a', 'service.version': '1.2' });
  const ranker = testResource('ranker', { 'host.name': 'host-b' });
  const root = testSpan({
    spanId: sid(1),
    startMicros: 1000,
    endMicros: 2000,
    resource: frontend,
    name: 'POST /predict',
  });
  root.kind = SpanKind.SERVER;
  root.statusCode = StatusCode.ERROR;
  root.statusMessage = 'model timeout';
  Object.assign(root.attributes, {
    'http.status_code': 500n,
    'ml.score': 0.25,
    'ml.inference.gpu_used': true,
    'ml.model.name': 'resnet',
    raw: new Uint8Array([1, 2, 3]),
    classes: ['cat', 'dog'],
  });
  root.events.push({
    timeUnixNano: 1_500_000n,
    name: 'exception',
    attributes: newAttributes(),
    droppedAttributesCount: 0,
  });
  const child = testSpan({
    spanId: sid(2),
    parentSpanId: sid(1),
    startMicros: 500,
    endMicros: 900,
    resource: ranker,
  });
  child.links.push({
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    traceState: '',
    attributes: newAttributes(),
    droppedAttributesCount: 0,
    flags: 0,
  });
  const second = testSpan({
    spanId: sid(3),
    parentSpanId: sid(1),
    startMicros: 1100,
    endMicros: 1200,
    resource: testResource('frontend', { 'host.name': 'host-a', 'service.version': '1.2' }),
  });

  const trace = toJaegerTrace(assembleTrace([child, root, second]));

  assert.equal(trace.traceID, TEST_TRACE_ID);
  assert.deepEqual(Object.keys(trace.processes), ['p1', 'p2']);
  assert.deepEqual(trace.processes.p1, {
    serviceName: 'frontend',
    tags: [
      { key: 'host.name', type: 'string', value: 'host-a' },
      { key: 'service.version', type: 'string', value: '1.2' },
    ],
  });
  // Siblings are ordered by adjusted start: the second span (1100 µs) before the shifted child (1300 µs).
  const [jRoot, jSecond, jChild] = trace.spans;
  assert.ok(jRoot && jChild && jSecond);
  assert.equal(jSecond.processID, 'p1', 'equal resources share one process');
  assert.equal(jRoot.operationName, 'POST /predict');
  assert.equal(jRoot.startTime, 1000);
  assert.equal(jRoot.duration, 1000);
  assert.deepEqual(jRoot.references, []);
  assert.deepEqual(jRoot.tags, [
    { key: 'http.status_code', type: 'int64', value: 500 },
    { key: 'ml.score', type: 'float64', value: 0.25 },
    { key: 'ml.inference.gpu_used', type: 'bool', value: true },
    { key: 'ml.model.name', type: 'string', value: 'resnet' },
    { key: 'raw', type: 'binary', value: 'AQID' },
    { key: 'classes', type: 'string', value: '["cat","dog"]' },
    { key: 'otel.scope.name', type: 'string', value: 'test' },
    { key: 'otel.scope.version', type: 'string', value: '1.0' },
    { key: 'span.kind', type: 'string', value: 'server' },
    { key: 'otel.status_code', type: 'string', value: 'ERROR' },
    { key: 'error', type: 'bool', value: true },
    { key: 'otel.status_description', type: 'string', value: 'model timeout' },
  ]);
  assert.deepEqual(jRoot.logs, [
    { timestamp: 1500, fields: [{ key: 'event', type: 'string', value: 'exception' }] },
  ]);
  assert.equal(jRoot.warnings, null);
  assert.deepEqual(jChild.references, [
    { refType: 'CHILD_OF', traceID: TEST_TRACE_ID, spanID: sid(1) },
    { refType: 'FOLLOWS_FROM', traceID: 'a'.repeat(32), spanID: 'b'.repeat(16) },
  ]);
  assert.equal(jChild.processID, 'p2');
  // The child on host-b started before its parent: shifted to the center, with a warning.
  assert.equal(jChild.startTime, 1300);
  assert.deepEqual(jChild.warnings, ['clock skew adjustment applied: shifted by 800 µs']);
  assert.deepEqual(trace.warnings, ['clock skew adjustment applied to 1 span(s)']);
});

void test('toJaegerTrace keeps int64 beyond 2^53 exact as a string', () => {
  const span = testSpan({ spanId: sid(1), startMicros: 0, endMicros: 1, resource: testResource('a') });
  span.attributes.big = 2n ** 62n;
  const tag = toJaegerTrace(assembleTrace([span])).spans[0]?.tags[0];
  assert.deepEqual(tag, { key: 'big', type: 'int64', value: '4611686018427387904' });
});
