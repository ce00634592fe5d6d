/**
 * traceInference through the real OTel JS SDK (setupVigil with in-memory exporters): the seed's
 * span tree, its attributes, monotonic durations, error recording and context across awaits.
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, beforeEach, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { setupInMemoryVigil } from './in-memory-sdk.ts';
import { traceInference } from './trace-inference.ts';

const vigil = setupInMemoryVigil({ serviceName: 'ml-inference-service' });
after(() => vigil.sdk.shutdown());
beforeEach(() => vigil.spanExporter.reset());

const REQUEST = { modelName: 'fraud-detector-v3', modelVersion: '3.1.0', batchSize: 32 };

function busyWaitMillis(durationMillis: number): void {
  const endMillis = performance.now() + durationMillis;
  while (performance.now() < endMillis) {
    // spin: a stand-in for CPU-bound model work
  }
}

function durationMillis(span: ReadableSpan): number {
  return span.duration[0] * 1000 + span.duration[1] / 1e6;
}

async function finishedSpans(): Promise<Map<string, ReadableSpan>> {
  await vigil.sdk.forceFlush();
  return new Map(vigil.spanExporter.getFinishedSpans().map((span) => [span.name, span]));
}

function spanNamed(spans: Map<string, ReadableSpan>, name: string): ReadableSpan {
  const span = spans.get(name);
  assert.ok(span, `span ${name} exported`);
  return span;
}

async function runSeedInference(): Promise<{ flagged: number }> {
  return traceInference(vigil.sdk.tracer, REQUEST, async (inference) => {
    const features = await inference.preprocess(
      () => {
        busyWaitMillis(3);
        return { columns: 128, nulls: 2 };
      },
      (value) => ({ featureCount: value.columns, nullCount: value.nulls }),
    );
    const scores = await inference.forwardPass(async () => {
      await sleep(5);
      return [0.91, 0.12, 0.5].slice(0, features.columns > 0 ? 3 : 0);
    }, { gpuUsed: true });
    const result = await inference.postprocess(
      () => ({ flagged: scores.filter((score) => score > 0.85).length }),
      (value) => ({ flaggedCount: value.flagged }),
    );
    inference.setPrediction(0.91, 'fraud');
    return result;
  });
}

test('builds inference.predict with the three phases as children, carrying the seed attributes', async () => {
  const result = await runSeedInference();
  assert.deepEqual(result, { flagged: 1 });
  const spans = await finishedSpans();
  assert.equal(spans.size, 4);
  const root = spanNamed(spans, 'inference.predict');
  assert.equal(root.parentSpanContext, undefined);
  for (const name of ['inference.preprocess', 'inference.forward_pass', 'inference.postprocess']) {
    const phase = spanNamed(spans, name);
    assert.equal(phase.spanContext().traceId, root.spanContext().traceId, name);
    assert.equal(phase.parentSpanContext?.spanId, root.spanContext().spanId, name);
  }
  assert.equal(root.attributes['ml.model.name'], 'fraud-detector-v3');
  assert.equal(root.attributes['ml.model.version'], '3.1.0');
  assert.equal(root.attributes['ml.request.batch_size'], 32);
  assert.equal(root.attributes['ml.prediction.score'], 0.91);
  assert.equal(root.attributes['ml.prediction.class'], 'fraud');
  const preprocess = spanNamed(spans, 'inference.preprocess');
  assert.equal(preprocess.attributes['ml.preprocess.feature_count'], 128);
  assert.equal(preprocess.attributes['ml.preprocess.null_count'], 2);
  const forward = spanNamed(spans, 'inference.forward_pass');
  assert.equal(forward.attributes['ml.inference.gpu_used'], true);
  assert.equal(forward.attributes['ml.inference.model_version'], '3.1.0');
  assert.equal(spanNamed(spans, 'inference.postprocess').attributes['ml.postprocess.flagged_count'], 1);
  for (const span of spans.values()) assert.equal(span.status.code, SpanStatusCode.UNSET, span.name);
});

test('durations are positive, cover the work, and come from a monotonic clock', async () => {
  // The wall clock steps back a minute (an NTP correction) while the inference runs: durations
  // taken from Date.now() would go negative; monotonic ones must not notice.
  const realDateNow = Date.now;
  try {
    await traceInference(vigil.sdk.tracer, REQUEST, async (inference) => {
      await inference.preprocess(() => {
        Date.now = () => realDateNow() - 60_000;
        busyWaitMillis(3);
      });
      await inference.forwardPass(() => sleep(5));
      await inference.postprocess(() => busyWaitMillis(0.1));
    });
  } finally {
    Date.now = realDateNow;
  }
  const spans = await finishedSpans();
  const phaseDurations: [string, string, number][] = [
    ['inference.preprocess', 'ml.preprocess.duration_ms', 3],
    ['inference.forward_pass', 'ml.inference.duration_ms', 4],
    ['inference.postprocess', 'ml.postprocess.duration_ms', 0.1],
  ];
  for (const [name, attribute, minimumMillis] of phaseDurations) {
    const span = spanNamed(spans, name);
    const measured = span.attributes[attribute];
    assert.equal(typeof measured, 'number', attribute);
    assert.ok((measured as number) > 0 && (measured as number) >= minimumMillis, `${attribute}=${String(measured)}`);
    assert.ok(durationMillis(span) > 0, `${name} span duration`);
    // The attribute is measured inside the span: it cannot exceed the span's own duration (+ rounding).
    assert.ok((measured as number) <= durationMillis(span) + 0.01, `${attribute} within span`);
  }
  const root = spanNamed(spans, 'inference.predict');
  const totalMillis = root.attributes['ml.predict.total_duration_ms'];
  assert.ok(typeof totalMillis === 'number' && totalMillis >= 7, `total ${String(totalMillis)}`);
  assert.ok(durationMillis(root) >= totalMillis - 0.01);
});

test('a throw sets error status and an exception event on the phase and on inference.predict', async () => {
  const failure = new Error('CUDA out of memory');
  await assert.rejects(
    traceInference(vigil.sdk.tracer, REQUEST, async (inference) => {
      await inference.preprocess(() => 1);
      return inference.forwardPass(() => {
        throw failure;
      });
    }),
    (error: unknown) => error === failure,
  );
  const spans = await finishedSpans();
  for (const name of ['inference.forward_pass', 'inference.predict']) {
    const span = spanNamed(spans, name);
    assert.equal(span.status.code, SpanStatusCode.ERROR, name);
    assert.equal(span.status.message, 'CUDA out of memory');
    const exception = span.events.find((event) => event.name === 'exception');
    assert.equal(exception?.attributes?.['exception.message'], 'CUDA out of memory', name);
    assert.equal(exception?.attributes?.['exception.type'], 'Error', name);
  }
  assert.equal(spanNamed(spans, 'inference.preprocess').status.code, SpanStatusCode.UNSET);
  assert.equal(typeof spanNamed(spans, 'inference.forward_pass').attributes['ml.inference.duration_ms'], 'number');
});

test('a thrown non-Error is recorded by type only', async () => {
  await assert.rejects(
    traceInference(vigil.sdk.tracer, REQUEST, () => {
      throw 'card 4111-1111'; // eslint-disable-line @typescript-eslint/only-throw-error -- the case under test
    }),
  );
  const root = spanNamed(await finishedSpans(), 'inference.predict');
  assert.equal(root.status.code, SpanStatusCode.ERROR);
  const message = root.events.find((event) => event.name === 'exception')?.attributes?.['exception.message'];
  assert.equal(message, 'thrown value of type string');
});

test('the active span inside run and phases survives awaits and timers', async () => {
  const seen: Record<string, string | undefined> = {};
  await traceInference(vigil.sdk.tracer, REQUEST, async (inference) => {
    await sleep(1);
    seen['run'] = trace.getActiveSpan()?.spanContext().spanId;
    await inference.preprocess(async () => {
      await sleep(1);
      seen['preprocess'] = trace.getActiveSpan()?.spanContext().spanId;
      vigil.sdk.tracer.startSpan('feature-store.get').end();
    });
  });
  const spans = await finishedSpans();
  assert.equal(seen['run'], spanNamed(spans, 'inference.predict').spanContext().spanId);
  assert.equal(seen['preprocess'], spanNamed(spans, 'inference.preprocess').spanContext().spanId);
  assert.equal(spanNamed(spans, 'feature-store.get').parentSpanContext?.spanId, seen['preprocess']);
});

test('inference.predict is a child of the caller’s active span (e.g. an HTTP server span)', async () => {
  await vigil.sdk.tracer.startActiveSpan('POST /predict', async (serverSpan) => {
    await traceInference(vigil.sdk.tracer, REQUEST, (inference) => inference.postprocess(() => 0));
    serverSpan.end();
  });
  const spans = await finishedSpans();
  const serverSpan = spanNamed(spans, 'POST /predict');
  const predict = spanNamed(spans, 'inference.predict');
  assert.equal(predict.parentSpanContext?.spanId, serverSpan.spanContext().spanId);
  assert.equal(predict.spanContext().traceId, serverSpan.spanContext().traceId);
});

test('a synchronous run and a synchronous throw both come back as promises, with the span ended', async () => {
  const value = traceInference(vigil.sdk.tracer, REQUEST, (inference) => {
    inference.setPrediction(0.5, 'legit');
    return 42;
  });
  assert.ok(value instanceof Promise);
  assert.equal(await value, 42);
  const failure = new Error('sync failure');
  const failed = traceInference(vigil.sdk.tracer, REQUEST, () => {
    throw failure;
  });
  await assert.rejects(failed, (error) => error === failure);
  await vigil.sdk.forceFlush();
  const predicts = vigil.spanExporter.getFinishedSpans();
  assert.deepEqual(predicts.map((span) => span.status.code), [SpanStatusCode.UNSET, SpanStatusCode.ERROR]);
  assert.equal(predicts[0]?.attributes['ml.prediction.class'], 'legit');
  assert.equal(typeof predicts[1]?.attributes['ml.predict.total_duration_ms'], 'number');
});

test('each duration attribute is its span duration: one clock reading starts both and one ends both', async () => {
  await traceInference(vigil.sdk.tracer, REQUEST, async (inference) => {
    await inference.preprocess(() => busyWaitMillis(0.2));
    await inference.forwardPass(() => sleep(2));
    await inference.postprocess(() => busyWaitMillis(0.1));
  });
  const spans = await finishedSpans();
  const pairs: [string, string][] = [
    ['inference.predict', 'ml.predict.total_duration_ms'],
    ['inference.preprocess', 'ml.preprocess.duration_ms'],
    ['inference.forward_pass', 'ml.inference.duration_ms'],
    ['inference.postprocess', 'ml.postprocess.duration_ms'],
  ];
  for (const [name, attribute] of pairs) {
    const span = spanNamed(spans, name);
    const measured = span.attributes[attribute] as number;
    // HrTime keeps whole nanoseconds: the two agree to within a few of them.
    assert.ok(Math.abs(measured - durationMillis(span)) < 1e-5, `${attribute}=${measured} vs span ${durationMillis(span)}`);
  }
});

test('the same with the OTel SDK provider: it reads the performance.now() start and end times alike', async () => {
  const stock = setupInMemoryVigil({ serviceName: 'ml-inference-service', tracerProvider: 'otel-sdk', registerGlobals: false });
  try {
    await traceInference(stock.sdk.tracer, REQUEST, (inference) => inference.forwardPass(() => sleep(2)));
    await stock.sdk.forceFlush();
    const spans = new Map(stock.spanExporter.getFinishedSpans().map((span) => [span.name, span]));
    const forward = spanNamed(spans, 'inference.forward_pass');
    const root = spanNamed(spans, 'inference.predict');
    assert.equal(forward.parentSpanContext?.spanId, root.spanContext().spanId);
    // The SDK converts with its own origin offset; the instants must still be the same to ~1 µs.
    assert.ok(Math.abs((forward.attributes['ml.inference.duration_ms'] as number) - durationMillis(forward)) < 1e-3);
    assert.ok(Math.abs((root.attributes['ml.predict.total_duration_ms'] as number) - durationMillis(root)) < 1e-3);
    assert.ok(Math.abs(Date.now() - (root.startTime[0] * 1000 + root.startTime[1] / 1e6)) < 60_000, 'start is an epoch time');
  } finally {
    await stock.sdk.shutdown();
  }
});
