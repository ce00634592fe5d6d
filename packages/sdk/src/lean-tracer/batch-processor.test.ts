/**
 * The lean batching processor: size and timer triggers, forceFlush, shutdown draining, bounded
 * queue with counted drops, export failures that never reach instrumented code; and a trace
 * across a real HTTP hop through setupVigil's default (lean) provider and the propagation helpers.
 */
import { context, SpanKind, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { setupInMemoryVigil } from '../in-memory-sdk.ts';
import { extractHttpHeaders, injectHttpHeaders } from '../propagation.ts';
import { LeanTracerProvider } from './lean-tracer-provider.ts';
import type { LeanBatchOptions } from './batch-processor.ts';

class RecordingExporter implements SpanExporter {
  batches: string[][] = [];
  fail = false;
  shutdownCalls = 0;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.batches.push(spans.map((span) => span.name));
    setImmediate(() => done({ code: this.fail ? ExportResultCode.FAILED : ExportResultCode.SUCCESS }));
  }
  shutdown(): Promise<void> {
    this.shutdownCalls++;
    return Promise.resolve();
  }
}

function setUp(batch: LeanBatchOptions): {
  exporter: RecordingExporter;
  provider: LeanTracerProvider;
  endSpans: (count: number) => void;
} {
  const exporter = new RecordingExporter();
  const provider = new LeanTracerProvider({ exporter, batch });
  const tracer = provider.getTracer('batch-test');
  let next = 0;
  const endSpans = (count: number): void => {
    for (let index = 0; index < count; index++) tracer.startSpan(`s${next++}`).end();
  };
  return { exporter, provider, endSpans };
}

test('size trigger: a full batch is exported on the next turn, not on the caller stack', async () => {
  const { exporter, provider, endSpans } = setUp({ maxExportBatchSize: 4, scheduledDelayMillis: 60_000 });
  endSpans(9);
  assert.equal(exporter.batches.length, 0);
  // Exports run one at a time on later turns; under CPU load that can take more than a few ms, but
  // far less than the 60 s timer, so waiting for them proves the size trigger.
  for (let waitedMillis = 0; exporter.batches.length < 2 && waitedMillis < 5_000; waitedMillis += 10)
    await sleep(10);
  assert.deepEqual(exporter.batches, [
    ['s0', 's1', 's2', 's3'],
    ['s4', 's5', 's6', 's7'],
  ]);
  await provider.shutdown();
  assert.deepEqual(exporter.batches.at(-1), ['s8']);
});

test('timer trigger: a partial batch is exported after scheduledDelayMillis', async () => {
  const { exporter, provider, endSpans } = setUp({ maxExportBatchSize: 100, scheduledDelayMillis: 30 });
  const endedAt = performance.now();
  endSpans(3);
  await sleep(0);
  assert.equal(exporter.batches.length, 0, 'a partial batch waits for the timer');
  for (let waitedMillis = 0; exporter.batches.length === 0 && waitedMillis < 5_000; waitedMillis += 10)
    await sleep(10);
  assert.ok(performance.now() - endedAt >= 25, 'not before scheduledDelayMillis');
  assert.deepEqual(exporter.batches, [['s0', 's1', 's2']]);
  await provider.shutdown();
});

test('forceFlush exports everything; shutdown drains, then ignores new spans', async () => {
  const { exporter, provider, endSpans } = setUp({ maxExportBatchSize: 2, scheduledDelayMillis: 60_000 });
  endSpans(5);
  await provider.forceFlush();
  assert.deepEqual(exporter.batches.flat(), ['s0', 's1', 's2', 's3', 's4']);
  endSpans(1);
  await provider.shutdown();
  assert.deepEqual(exporter.batches.flat().at(-1), 's5');
  assert.equal(exporter.shutdownCalls, 1);
  endSpans(1);
  await provider.forceFlush();
  assert.equal(exporter.batches.flat().length, 6);
});

test('bounded queue: spans beyond maxQueueSize are dropped and counted', async () => {
  const { exporter, provider, endSpans } = setUp({
    maxQueueSize: 10,
    maxExportBatchSize: 10,
    scheduledDelayMillis: 60_000,
  });
  endSpans(25);
  assert.equal(provider.processor.droppedSpans, 15);
  await provider.forceFlush();
  assert.equal(exporter.batches.flat().length, 10);
  await provider.shutdown();
});

test('export failures never reach instrumented code; forceFlush reports them', async () => {
  const { exporter, provider, endSpans } = setUp({ maxExportBatchSize: 2, scheduledDelayMillis: 5 });
  exporter.fail = true;
  endSpans(5);
  await sleep(30);
  endSpans(1);
  await assert.rejects(provider.forceFlush());
  exporter.fail = false;
  endSpans(1);
  await provider.forceFlush();
  await provider.shutdown();
  assert.ok(exporter.batches.length >= 4);
});

test('HTTP hop: client span → traceparent → server span in the same trace (setupVigil default provider)', async () => {
  const vigil = setupInMemoryVigil({ serviceName: 'hop' });
  const tracer = vigil.sdk.tracer;
  const server = createServer((req, res) => {
    const parent = extractHttpHeaders(req.headers);
    tracer.startSpan('GET /predict', { kind: SpanKind.SERVER }, parent).end();
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const client = tracer.startSpan('call predict', { kind: SpanKind.CLIENT });
    const headers = injectHttpHeaders({}, trace.setSpan(context.active(), client));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port, path: '/predict', headers }, (res) =>
        res.resume().on('end', resolve),
      )
        .on('error', reject)
        .end();
    });
    client.end();
    await vigil.sdk.forceFlush();
    const spans = vigil.spanExporter.getFinishedSpans();
    const serverSpan = spans.find((span) => span.name === 'GET /predict');
    assert.ok(serverSpan);
    assert.equal(serverSpan.spanContext().traceId, client.spanContext().traceId);
    assert.equal(serverSpan.parentSpanContext?.spanId, client.spanContext().spanId);
    assert.equal(serverSpan.parentSpanContext?.isRemote, true);
  } finally {
    server.close();
    await vigil.sdk.shutdown();
  }
});

test('forceFlush rejects when an earlier queued drain exported its spans and failed', async () => {
  // Exports complete only when released, so the order of drains is under the test's control.
  const held: (() => void)[] = [];
  class HeldExporter extends RecordingExporter {
    override export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
      this.batches.push(spans.map((span) => span.name));
      held.push(() => done({ code: ExportResultCode.FAILED }));
    }
  }
  const exporter = new HeldExporter();
  const provider = new LeanTracerProvider({
    exporter,
    batch: { maxExportBatchSize: 2, scheduledDelayMillis: 60_000 },
  });
  const tracer = provider.getTracer('batch-test');
  const end = (name: string): void => tracer.startSpan(name).end();
  end('a');
  end('b');
  await sleep(1); // the size trigger starts a drain exporting [a, b], held
  end('c');
  const first = provider.forceFlush(); // queued behind it, not started: it will take [c, d]
  end('d');
  const second = provider.forceFlush(); // for d, which the first drain takes
  const settled = Promise.allSettled([first, second]);
  while ((await Promise.race([settled, sleep(1).then(() => 'waiting')])) === 'waiting') held.shift()?.();
  const [firstResult, secondResult] = await settled;
  assert.equal(firstResult.status, 'rejected');
  assert.equal(secondResult.status, 'rejected', 'the failure of d reaches the flush that waited for it');
  assert.deepEqual(exporter.batches, [
    ['a', 'b'],
    ['c', 'd'],
  ]);
});
