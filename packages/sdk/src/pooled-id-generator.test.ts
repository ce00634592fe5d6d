import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PooledIdGenerator } from './pooled-id-generator.ts';

const SPAN_ID = /^[0-9a-f]{16}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;

test('100k span ids and 100k trace ids: lowercase hex of the W3C lengths, unique, never all-zero', () => {
  // A small pool, so the run crosses many refills.
  const generator = new PooledIdGenerator(4096);
  const spanIds = new Set<string>();
  const traceIds = new Set<string>();
  for (let index = 0; index < 100_000; index++) {
    const spanId = generator.generateSpanId();
    const traceId = generator.generateTraceId();
    assert.match(spanId, SPAN_ID);
    assert.match(traceId, TRACE_ID);
    assert.notEqual(spanId, '0'.repeat(16));
    assert.notEqual(traceId, '0'.repeat(32));
    spanIds.add(spanId);
    traceIds.add(traceId);
  }
  assert.equal(spanIds.size, 100_000);
  assert.equal(traceIds.size, 100_000);
});

test('ids are spread over all hex digits (not a constant or a counter)', () => {
  const generator = new PooledIdGenerator();
  const counts = new Map<string, number>();
  for (let index = 0; index < 10_000; index++) {
    for (const digit of generator.generateTraceId()) counts.set(digit, (counts.get(digit) ?? 0) + 1);
  }
  assert.equal(counts.size, 16);
  // 320k digits, 20k expected per digit: a uniform source stays well inside ±10 %.
  for (const count of counts.values()) assert.ok(count > 18_000 && count < 22_000, `digit count ${count}`);
});

test('an all-zero draw is skipped, the next non-zero bytes are used', () => {
  let refills = 0;
  // First pool: zeros except the second span id's slot; later pools: 0x01 bytes.
  const generator = new PooledIdGenerator(16, (pool) => {
    pool.fill(refills === 0 ? 0 : 1);
    if (refills === 0) pool[15] = 0xab;
    refills++;
  });
  assert.equal(generator.generateSpanId(), '00000000000000ab');
  assert.equal(generator.generateTraceId(), '01'.repeat(16));
  // An all-zero trace id slot is skipped too.
  refills = 0;
  const zeroFirst = new PooledIdGenerator(32, (pool) => {
    pool.fill(0);
    if (refills > 0) pool[0] = 0x10;
    refills++;
  });
  assert.equal(zeroFirst.generateTraceId(), '10' + '00'.repeat(15));
  assert.equal(refills, 2);
});

test('the ids work unbound, as the tracer may call them', () => {
  const { generateSpanId, generateTraceId } = new PooledIdGenerator();
  assert.match(generateSpanId(), SPAN_ID);
  assert.match(generateTraceId(), TRACE_ID);
});
