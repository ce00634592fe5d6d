import { INVALID_SPAN_CONTEXT, ROOT_CONTEXT, trace, TraceFlags, type Context, type SpanContext } from '@opentelemetry/api';
import { AlwaysOnSampler, BasicTracerProvider, ParentBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParentBasedAlwaysOnSampler } from './parent-based-always-on-sampler.ts';
import { PooledIdGenerator } from './pooled-id-generator.ts';

function parentContexts(): Array<[string, Context]> {
  const remote = (traceFlags: number): SpanContext => ({ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags, isRemote: true });
  const local = (traceFlags: number): SpanContext => ({ traceId: '12'.repeat(16), spanId: '34'.repeat(8), traceFlags });
  const withParent = (spanContext: SpanContext): Context => trace.setSpanContext(ROOT_CONTEXT, spanContext);
  return [
    ['no parent', ROOT_CONTEXT],
    ['invalid parent', withParent(INVALID_SPAN_CONTEXT)],
    ['zero span id', withParent({ ...local(TraceFlags.NONE), spanId: '0'.repeat(16) })],
    ['malformed trace id', withParent({ ...local(TraceFlags.NONE), traceId: 'xyz' })],
    ['remote sampled', withParent(remote(TraceFlags.SAMPLED))],
    ['remote not sampled', withParent(remote(TraceFlags.NONE))],
    ['local sampled', withParent(local(TraceFlags.SAMPLED))],
    ['local not sampled', withParent(local(TraceFlags.NONE))],
  ];
}

function outcome(sampler: Sampler, parent: Context, root: boolean): { recording: boolean; flags: number; childOfParent: boolean } {
  const tracer = new BasicTracerProvider({ sampler, idGenerator: new PooledIdGenerator() }).getTracer('sampler-test');
  const span = tracer.startSpan('child', { root }, parent);
  const parentTraceId = trace.getSpanContext(parent)?.traceId;
  return { recording: span.isRecording(), flags: span.spanContext().traceFlags, childOfParent: span.spanContext().traceId === parentTraceId };
}

test('decides as ParentBased(AlwaysOn) for every kind of parent, through the real tracer', () => {
  const stock = new ParentBasedSampler({ root: new AlwaysOnSampler() });
  const fast = new ParentBasedAlwaysOnSampler();
  const seen = new Set<boolean>();
  for (const [name, parent] of parentContexts()) {
    for (const root of [false, true]) {
      const expected = outcome(stock, parent, root);
      assert.deepEqual(outcome(fast, parent, root), expected, `${name}, root=${root}`);
      seen.add(expected.recording);
    }
  }
  assert.deepEqual([...seen].sort(), [false, true], 'the matrix covers both decisions');
});

test('a child of a sampled span is sampled and keeps its trace', () => {
  const tracer = new BasicTracerProvider({ sampler: new ParentBasedAlwaysOnSampler() }).getTracer('sampler-test');
  const parent = tracer.startSpan('parent');
  const child = tracer.startSpan('child', undefined, trace.setSpan(ROOT_CONTEXT, parent));
  assert.equal(child.spanContext().traceId, parent.spanContext().traceId);
  assert.equal(child.spanContext().traceFlags, TraceFlags.SAMPLED);
});
