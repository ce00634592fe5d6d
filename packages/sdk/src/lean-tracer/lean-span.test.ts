/**
 * LeanSpan's deferred fields: times recorded as performance.now() readings become HrTimes only when
 * read, and spans without links or events share one empty array until their first.
 */
import { context, trace, type HrTime } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { performanceMillisToHrTime } from './clock.ts';
import { LeanTracerProvider } from './lean-tracer-provider.ts';

const exporter = new InMemorySpanExporter();
const provider = new LeanTracerProvider({ exporter });
const tracer = provider.getTracer('lean-span-test');

function nanos(time: HrTime): bigint {
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}

test('performance.now() readings as start and end: the same instants as HrTimes, duration their difference', async () => {
  const startMillis = performance.now();
  const span = tracer.startSpan('timed', { startTime: startMillis });
  const endMillis = startMillis + 12.345678;
  span.end(endMillis);
  await provider.forceFlush();
  const [exported] = exporter.getFinishedSpans();
  assert.ok(exported);
  assert.deepEqual(exported.startTime, performanceMillisToHrTime(startMillis));
  assert.deepEqual(exported.endTime, performanceMillisToHrTime(endMillis));
  const durationNanos = nanos(exported.duration);
  assert.equal(durationNanos, nanos(exported.endTime) - nanos(exported.startTime));
  assert.ok(durationNanos >= 12_345_677n && durationNanos <= 12_345_679n, `duration ${durationNanos} ns`);
  exporter.reset();
});

test('an end before the start is clamped to the start, with a perf reading or an explicit time', async () => {
  const startMillis = performance.now();
  tracer.startSpan('backwards', { startTime: startMillis }).end(startMillis - 5);
  tracer.startSpan('backwards-epoch', { startTime: [2_000_000_000, 0] }).end([1_999_999_999, 0]);
  await provider.forceFlush();
  for (const span of exporter.getFinishedSpans()) {
    assert.deepEqual(span.endTime, span.startTime, span.name);
    assert.deepEqual(span.duration, [0, 0], span.name);
  }
  exporter.reset();
});

test('links and events: an event or link on one span never shows on another', async () => {
  const plain = tracer.startSpan('plain');
  const withEvent = tracer.startSpan('with-event');
  withEvent.addEvent('cache.miss');
  const linkTarget = trace.getSpan(trace.setSpan(context.active(), plain))?.spanContext();
  assert.ok(linkTarget);
  const withLink = tracer.startSpan('with-link', { links: [{ context: linkTarget }] });
  for (const span of [plain, withEvent, withLink]) span.end();
  await provider.forceFlush();
  const byName = new Map(exporter.getFinishedSpans().map((span) => [span.name, span]));
  assert.equal(byName.get('plain')?.events.length, 0);
  assert.equal(byName.get('plain')?.links.length, 0);
  assert.equal(byName.get('with-event')?.events.length, 1);
  assert.equal(byName.get('with-event')?.links.length, 0);
  assert.equal(byName.get('with-link')?.links.length, 1);
  assert.equal(byName.get('with-link')?.events.length, 0);
  exporter.reset();
});
