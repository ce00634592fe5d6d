import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { makeSpan } from '../../../storage/contract-fixtures.ts';
import { OverloadedError, UnavailableError } from '../../errors.ts';
import { ExportError } from '../exporter-helper.ts';
import type { RequestSender } from '../exporter-helper.ts';
import { exporterMetrics } from './exporter-metrics.ts';
import { createHttpSender } from './http-sender.ts';
import { createQueuedExporter } from './queued-exporter.ts';
import { eventually, fastSettings, SPAN_ID_CODEC, TestBackend, testContext } from './test-backend.ts';

let backend: TestBackend;
before(async () => {
  backend = await TestBackend.start();
});
after(() => backend.close());
beforeEach(() => {
  backend.received.length = 0;
  backend.script.length = 0;
  backend.fallback = { status: 200 };
});

const spans = (...ids: number[]) => ids.map((id) => makeSpan({ trace: 1, span: id }));
const httpSend = (): RequestSender =>
  createHttpSender({ url: `${backend.url}/v1/traces`, headers: {}, timeoutMs: 2_000 });
const receivedIds = (): string[] => backend.received.map((r) => r.body.toString()).sort();
let exporterCount = 0;
/** A fresh exporter id per test, so counters start at zero. */
const freshId = (): string => `otlphttp/t${++exporterCount}`;

describe('queued exporter', () => {
  it('refuses a batch with OverloadedError when the queue is full, and counts it', async () => {
    const context = testContext({ id: freshId() });
    const blocked: RequestSender = () => new Promise(() => {});
    const settings = fastSettings({ queue: { enabled: true, numConsumers: 1, queueSize: 2 } });
    const exporter = createQueuedExporter('traces', SPAN_ID_CODEC, blocked, settings, context);
    await exporter.consume(spans(1)); // taken by the only worker, which never finishes
    await exporter.consume(spans(2, 3)); // fills the queue
    await assert.rejects(exporter.consume(spans(4)), OverloadedError);
    assert.equal(exporterMetrics.enqueueFailed.get({ exporter: context.id, signal: 'traces' }), 1);
  });

  it('retries 503 (with Retry-After) until the backend answers 200', async () => {
    const context = testContext({ id: freshId() });
    backend.script.push({ status: 503, headers: { 'retry-after': '1' } }, { status: 503 });
    const exporter = createQueuedExporter('traces', SPAN_ID_CODEC, httpSend(), fastSettings(), context);
    await exporter.consume(spans(7));
    await eventually(
      () => exporterMetrics.sent.get({ exporter: context.id, signal: 'traces' }) === 1,
      'the send',
    );
    assert.equal(backend.received.length, 3);
    await exporter.shutdown();
  });

  it('drops a request the backend refuses with 400, counts it and logs one line without the payload', async () => {
    const context = testContext({ id: freshId() });
    backend.script.push({ status: 400, body: 'bad span\nsecret-ish detail' });
    const exporter = createQueuedExporter('traces', SPAN_ID_CODEC, httpSend(), fastSettings(), context);
    await exporter.consume(spans(9));
    const labels = { exporter: context.id, signal: 'traces' };
    await eventually(() => exporterMetrics.sendFailed.get(labels) === 1, 'the drop');
    assert.equal(backend.received.length, 1, 'a permanent error is not retried');
    assert.equal(context.lines.length, 1);
    assert.match(
      context.lines[0] ?? '',
      /dropped 1 spans, permanent error: HTTP 400 .*bad span secret-ish detail/,
    );
    assert.doesNotMatch(context.lines[0] ?? '', /0000000000000009/);
    await exporter.shutdown();
  });

  it('gives up after max_elapsed_time and counts the drop', async () => {
    const context = testContext({ id: freshId() });
    backend.fallback = { status: 503 };
    const settings = fastSettings();
    settings.retry = { ...settings.retry, maxElapsedMs: 30, maxIntervalMs: 10 };
    const exporter = createQueuedExporter('traces', SPAN_ID_CODEC, httpSend(), settings, context);
    await exporter.consume(spans(1));
    await eventually(
      () => exporterMetrics.sendFailed.get({ exporter: context.id, signal: 'traces' }) === 1,
      'the drop',
    );
    assert.match(context.lines.join('\n'), /no more retries left: HTTP 503/);
    await exporter.shutdown();
  });

  describe('with the queue disabled', () => {
    const unqueued = () => fastSettings({ queue: { enabled: false, numConsumers: 1, queueSize: 1 } });

    it('sends before consume resolves', async () => {
      const exporter = createQueuedExporter(
        'traces',
        SPAN_ID_CODEC,
        httpSend(),
        unqueued(),
        testContext({ id: freshId() }),
      );
      await exporter.consume(spans(1, 2));
      assert.deepEqual(receivedIds(), ['0000000000000001', '0000000000000002']);
    });

    it('rejects with UnavailableError when retries run out, and resolves after dropping a permanent error', async () => {
      const settings = { ...unqueued(), retry: { ...unqueued().retry, enabled: false } };
      const context = testContext({ id: freshId() });
      const exporter = createQueuedExporter('traces', SPAN_ID_CODEC, httpSend(), settings, context);
      backend.script.push({ status: 503 });
      await assert.rejects(exporter.consume(spans(1)), UnavailableError);
      backend.script.push({ status: 400 });
      await exporter.consume(spans(2));
      assert.equal(exporterMetrics.sendFailed.get({ exporter: context.id, signal: 'traces' }), 2);
    });
  });

  it('refuses data after shutdown and drains what was queued', async () => {
    const exporter = createQueuedExporter(
      'traces',
      SPAN_ID_CODEC,
      httpSend(),
      fastSettings(),
      testContext({ id: freshId() }),
    );
    await exporter.consume(spans(1, 2, 3));
    await exporter.shutdown();
    assert.deepEqual(receivedIds(), ['0000000000000001', '0000000000000002', '0000000000000003']);
    await assert.rejects(exporter.consume(spans(4)), UnavailableError);
  });

  describe('on-disk queue', () => {
    it('keeps accepted requests across a crash and sends each once after restart', async () => {
      const context = testContext({ id: freshId() });
      const settings = fastSettings({
        queue: { enabled: true, numConsumers: 2, queueSize: 100, storageDirectory: context.dataDir },
      });
      // The backend is down for the first process; after the "crash" its senders hang forever.
      let crashed = false;
      const firstSend: RequestSender = () =>
        crashed ? new Promise(() => {}) : Promise.reject(new ExportError('connection refused', true));
      const first = createQueuedExporter('traces', SPAN_ID_CODEC, firstSend, settings, context);
      await first.consume(spans(1, 2));
      await first.consume(spans(3));
      const directory = readdirSync(context.dataDir)[0] ?? '';
      assert.ok(
        readdirSync(`${context.dataDir}/${directory}`).some((name) => name.endsWith('.seg')),
        'written before consume resolved',
      );
      crashed = true; // no shutdown: the process "dies" here

      const second = createQueuedExporter('traces', SPAN_ID_CODEC, httpSend(), settings, context);
      await eventually(() => backend.received.length === 3, 'the resend');
      assert.deepEqual(receivedIds(), ['0000000000000001', '0000000000000002', '0000000000000003']);
      await second.shutdown();
      assert.deepEqual(readdirSync(`${context.dataDir}/${directory}`), [], 'sent segments are removed');
    });

    it('keeps what shutdown could not send for the next start', async () => {
      const context = testContext({ id: freshId() });
      const settings = fastSettings({
        timeoutMs: 50,
        queue: { enabled: true, numConsumers: 1, queueSize: 100, storageDirectory: context.dataDir },
      });
      backend.fallback = { status: 503 };
      const first = createQueuedExporter('traces', SPAN_ID_CODEC, httpSend(), settings, context);
      await first.consume(spans(1, 2, 3));
      await first.shutdown();
      assert.equal(
        exporterMetrics.sendFailed.get({ exporter: context.id, signal: 'traces' }),
        0,
        'nothing dropped',
      );
      backend.received.length = 0;
      backend.fallback = { status: 200 };
      const second = createQueuedExporter('traces', SPAN_ID_CODEC, httpSend(), settings, context);
      await eventually(() => backend.received.length === 3, 'the resend');
      assert.deepEqual(receivedIds(), ['0000000000000001', '0000000000000002', '0000000000000003']);
      await second.shutdown();
    });

    it('counts queue_size against what is stored', async () => {
      const context = testContext({ id: freshId() });
      const blocked: RequestSender = () => new Promise(() => {});
      const settings = fastSettings({
        queue: { enabled: true, numConsumers: 1, queueSize: 1, storageDirectory: context.dataDir },
      });
      const exporter = createQueuedExporter('traces', SPAN_ID_CODEC, blocked, settings, context);
      await exporter.consume(spans(1));
      await eventually(
        () => exporterMetrics.queueSize.render().some((l) => l.includes(context.id) && l.endsWith(' 0')),
        'the take',
      );
      await exporter.consume(spans(2));
      await assert.rejects(exporter.consume(spans(3)), OverloadedError);
    });
  });
});
