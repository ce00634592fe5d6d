/**
 * Every span field of the lean tracer, read back as the exporters see it (InMemorySpanExporter)
 * and after a real OTLP round trip: otlp-transformer's protobuf and JSON serializers (what the OTLP
 * exporters send) → Vigil's own decoder.
 */
import { context, SpanKind, SpanStatusCode, trace, TraceFlags, type HrTime } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeOtlp } from '../../../server/src/receivers/otlp/decode.ts';
import type { Span as VigilSpan } from '../../../server/src/model/span.ts';
import { AsyncLocalStorageContextManager } from '../context-manager.ts';
import { LeanTracerProvider } from './lean-tracer-provider.ts';

const START: HrTime = [1_700_000_000, 123_456_789];
const END: HrTime = [1_700_000_001, 987_654_321];
const EVENT_TIME: HrTime = [1_700_000_000, 500_000_001];
/** Epoch millis after the process started (earlier numbers read as performance.now(), as in the OTel SDK). */
const CHILD_END_EPOCH_MILLIS = Date.now() + 0.5;
const CHILD_END_NANOS = BigInt(Math.floor(CHILD_END_EPOCH_MILLIS)) * 1_000_000n + 500_000n;
const LINKED = {
  traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1',
  spanId: 'bbbbbbbbbbbbbbb2',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: new TraceState('vendor=value'),
};

function newProvider(exporter: InMemorySpanExporter): LeanTracerProvider {
  return new LeanTracerProvider({ exporter, resource: resourceFromAttributes({ 'service.name': 'lean-test' }) });
}

async function recordSpans(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = newProvider(exporter);
  const tracer = provider.getTracer('lean-scope', '1.2.3');
  const root = tracer.startSpan('root', { kind: SpanKind.SERVER, startTime: START, attributes: { 'http.method': 'POST' } });
  root.setAttribute('string', 'text');
  root.setAttribute('int', 42);
  root.setAttribute('double', 0.5);
  root.setAttribute('bool', true);
  root.setAttribute('strings', ['a', 'b']);
  root.setAttribute('ints', [1, 2, 3]);
  root.setAttribute('bools', [true, false]);
  root.setAttribute('mixed', ['a', 1] as unknown as string[]);
  root.addEvent('cache.miss', { key: 'k1', attempt: 2 }, EVENT_TIME);
  root.recordException(new TypeError('bad input'), EVENT_TIME);
  root.addLink({ context: LINKED, attributes: { reason: 'batch' } });
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'failed' });
  root.updateName('root.renamed');
  const child = tracer.startSpan('child', { kind: SpanKind.CLIENT, startTime: new Date(1_700_000_000_200) }, trace.setSpan(context.active(), root));
  child.setStatus({ code: SpanStatusCode.OK });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'ignored: OK is final' });
  child.end(CHILD_END_EPOCH_MILLIS);
  root.end(END);
  root.end([1_800_000_000, 0]);
  root.setAttribute('after.end', 1);
  assert.equal(root.isRecording(), false);
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans(); // InMemorySpanExporter.shutdown() clears them
  await provider.shutdown();
  return spans;
}

test('the exporter reads every field as a ReadableSpan', async () => {
  const [child, root] = await recordSpans();
  assert.ok(root && child);
  assert.equal(root.name, 'root.renamed');
  assert.equal(root.kind, SpanKind.SERVER);
  assert.deepEqual(root.startTime, START);
  assert.deepEqual(root.endTime, END);
  assert.deepEqual(root.duration, [1, 864_197_532]);
  assert.equal(root.ended, true);
  assert.deepEqual(root.status, { code: SpanStatusCode.ERROR, message: 'failed' });
  assert.equal(root.attributes['after.end'], undefined);
  assert.equal(root.attributes['mixed'], undefined);
  assert.deepEqual(root.attributes['ints'], [1, 2, 3]);
  assert.equal(root.parentSpanContext, undefined);
  assert.deepEqual(root.instrumentationScope, { name: 'lean-scope', version: '1.2.3', schemaUrl: undefined });
  assert.equal(root.resource.attributes['service.name'], 'lean-test');
  const exception = root.events[1];
  assert.equal(exception?.name, 'exception');
  assert.equal(exception?.attributes?.['exception.type'], 'TypeError');
  assert.equal(exception?.attributes?.['exception.message'], 'bad input');
  assert.match(String(exception?.attributes?.['exception.stacktrace']), /TypeError: bad input\n\s+at /);
  assert.equal(child.parentSpanContext?.spanId, root.spanContext().spanId);
  assert.equal(child.spanContext().traceId, root.spanContext().traceId);
  assert.deepEqual(child.status, { code: SpanStatusCode.OK });
  assert.deepEqual(child.startTime, [1_700_000_000, 200_000_000]);
  assert.equal(BigInt(child.endTime[0]) * 1_000_000_000n + BigInt(child.endTime[1]), CHILD_END_NANOS);
});

function checkDecoded(spans: VigilSpan[], recorded: ReadableSpan[]): void {
  const [child, root] = spans;
  const [recordedChild, recordedRoot] = recorded;
  assert.ok(root && child && recordedRoot && recordedChild);
  assert.equal(root.traceId, recordedRoot.spanContext().traceId);
  assert.equal(root.spanId, recordedRoot.spanContext().spanId);
  assert.equal(root.parentSpanId, '');
  assert.equal(root.name, 'root.renamed');
  assert.equal(root.kind, 2); // OTLP SPAN_KIND_SERVER
  assert.equal(child.kind, 3); // OTLP SPAN_KIND_CLIENT
  assert.equal(root.startTimeUnixNano, 1_700_000_000_123_456_789n);
  assert.equal(root.endTimeUnixNano, 1_700_000_001_987_654_321n);
  assert.equal(child.startTimeUnixNano, 1_700_000_000_200_000_000n);
  assert.equal(child.endTimeUnixNano, CHILD_END_NANOS);
  assert.equal(root.flags & 0x1ff, 0x101); // sampled, has-is-remote, local parent
  assert.deepEqual({ ...root.attributes }, {
    'http.method': 'POST', string: 'text', int: 42n, double: 0.5, bool: true,
    strings: ['a', 'b'], ints: [1n, 2n, 3n], bools: [true, false],
  });
  assert.equal(root.events.length, 2);
  assert.equal(root.events[0]?.name, 'cache.miss');
  assert.equal(root.events[0]?.timeUnixNano, 1_700_000_000_500_000_001n);
  assert.deepEqual({ ...root.events[0]?.attributes }, { key: 'k1', attempt: 2n });
  assert.equal(root.events[1]?.attributes['exception.type'], 'TypeError');
  assert.equal(root.links.length, 1);
  assert.equal(root.links[0]?.traceId, LINKED.traceId);
  assert.equal(root.links[0]?.spanId, LINKED.spanId);
  assert.equal(root.links[0]?.traceState, 'vendor=value');
  assert.equal(root.links[0]?.attributes['reason'], 'batch');
  assert.equal(root.statusCode, 2);
  assert.equal(root.statusMessage, 'failed');
  assert.equal(child.statusCode, 1);
  assert.equal(child.parentSpanId, root.spanId);
  assert.equal(child.traceId, root.traceId);
  assert.equal(root.scope.name, 'lean-scope');
  assert.equal(root.scope.version, '1.2.3');
  assert.equal(root.resource.attributes['service.name'], 'lean-test');
}

test('OTLP protobuf round trip: serialized as the proto exporter does, decoded by Vigil', async () => {
  const recorded = await recordSpans();
  const body = ProtobufTraceSerializer.serializeRequest(recorded);
  assert.ok(body);
  const decoded = decodeOtlp('traces', 'protobuf', body);
  assert.equal(decoded.rejected, 0);
  checkDecoded(decoded.records, recorded);
});

test('OTLP/JSON round trip: serialized as the http/json exporter does, decoded by Vigil', async () => {
  const recorded = await recordSpans();
  const body = JsonTraceSerializer.serializeRequest(recorded);
  assert.ok(body);
  const decoded = decodeOtlp('traces', 'json', body);
  assert.equal(decoded.rejected, 0);
  checkDecoded(decoded.records, recorded);
});

test('parent/child across context.with and startActiveSpan; unsampled parents give non-recording spans', async () => {
  const manager = new AsyncLocalStorageContextManager();
  context.setGlobalContextManager(manager);
  try {
    const exporter = new InMemorySpanExporter();
    const provider = newProvider(exporter);
    const tracer = provider.getTracer('nesting');
    const outer = tracer.startSpan('outer');
    await context.with(trace.setSpan(context.active(), outer), async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await tracer.startActiveSpan('inner', async (inner) => {
        await Promise.resolve();
        tracer.startSpan('leaf').end();
        inner.end();
      });
    });
    outer.end();
    const unsampledParent = trace.wrapSpanContext({ ...LINKED, traceFlags: TraceFlags.NONE });
    const dropped = tracer.startSpan('dropped', {}, trace.setSpan(context.active(), unsampledParent));
    assert.equal(dropped.isRecording(), false);
    assert.equal(dropped.spanContext().traceId, LINKED.traceId);
    assert.notEqual(dropped.spanContext().spanId, LINKED.spanId);
    dropped.end();
    await provider.forceFlush();
    const byName = new Map(exporter.getFinishedSpans().map((span) => [span.name, span]));
    assert.deepEqual([...byName.keys()].sort(), ['inner', 'leaf', 'outer']);
    assert.equal(byName.get('inner')?.parentSpanContext?.spanId, outer.spanContext().spanId);
    assert.equal(byName.get('leaf')?.parentSpanContext?.spanId, byName.get('inner')?.spanContext().spanId);
    assert.equal(byName.get('leaf')?.spanContext().traceId, outer.spanContext().traceId);
  } finally {
    context.disable();
  }
});
