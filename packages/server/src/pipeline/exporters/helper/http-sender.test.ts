import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ExportError } from '../exporter-helper.ts';
import { createHttpSender, retryAfterMs } from './http-sender.ts';
import { TestBackend } from './test-backend.ts';

describe('http sender', () => {
  let backend: TestBackend;
  before(async () => {
    backend = await TestBackend.start();
  });
  after(() => backend.close());

  const send = (body = 'PAYLOAD-SECRET') =>
    createHttpSender({
      url: `${backend.url}/v1/traces?token=abc`,
      headers: { 'x-a': '1' },
      timeoutMs: 2_000,
    })(new TextEncoder().encode(body), new AbortController().signal);

  const CASES: {
    answer: Parameters<TestBackend['script']['push']>[0];
    retryable: boolean | undefined;
    retryAfterMs?: number;
    message?: RegExp;
  }[] = [
    { answer: { status: 200 }, retryable: undefined },
    { answer: { status: 204 }, retryable: undefined },
    { answer: { status: 429, headers: { 'retry-after': '3' } }, retryable: true, retryAfterMs: 3000 },
    { answer: { status: 502 }, retryable: true },
    {
      answer: {
        status: 503,
        headers: { 'content-type': 'application/json' },
        body: '{"code":14,"message":"store\\nclosing"}',
      },
      retryable: true,
      message: /^HTTP 503 from http:\/\/127\.0\.0\.1:\d+\/v1\/traces: store closing$/,
    },
    { answer: { status: 504 }, retryable: true },
    { answer: { status: 400, body: 'x'.repeat(5000) }, retryable: false, message: /^HTTP 400 .*: x{200}…$/ },
    { answer: { status: 401 }, retryable: false },
    { answer: { status: 413 }, retryable: false },
    { answer: { status: 500 }, retryable: false },
  ];

  for (const row of CASES) {
    it(`maps HTTP ${row.answer.status}`, async () => {
      backend.script.push(row.answer);
      const result = await send().then(
        () => undefined,
        (error: unknown) => error,
      );
      if (row.retryable === undefined) return assert.equal(result, undefined);
      assert.ok(result instanceof ExportError);
      assert.equal(result.retryable, row.retryable);
      assert.equal(result.retryAfterMs, row.retryAfterMs);
      if (row.message) assert.match(result.message, row.message);
      assert.doesNotMatch(result.message, /PAYLOAD-SECRET|token=abc/);
    });
  }

  it('sends the body and headers it is given', async () => {
    await send('hello');
    const last = backend.received.at(-1);
    assert.equal(last?.body.toString(), 'hello');
    assert.equal(last?.headers['x-a'], '1');
  });

  it('treats a refused connection as retryable', async () => {
    const sender = createHttpSender({ url: 'http://127.0.0.1:1/v1/logs', headers: {}, timeoutMs: 1_000 });
    await assert.rejects(sender(new Uint8Array([1]), new AbortController().signal), (error: unknown) => {
      assert.ok(error instanceof ExportError);
      assert.equal(error.retryable, true);
      assert.match(error.message, /ECONNREFUSED/);
      return true;
    });
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const nowMs = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(retryAfterMs('120', nowMs), 120_000);
    assert.equal(retryAfterMs('Wed, 01 Jan 2025 00:00:30 GMT', nowMs), 30_000);
    assert.equal(retryAfterMs('Tue, 31 Dec 2024 00:00:00 GMT', nowMs), 0);
    assert.equal(retryAfterMs('soon', nowMs), undefined);
    assert.equal(retryAfterMs(undefined, nowMs), undefined);
  });
});
