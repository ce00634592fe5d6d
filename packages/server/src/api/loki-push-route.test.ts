import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { LogRecord } from '../model/log-record.ts';
import { OverloadedError } from '../pipeline/errors.ts';
import { encodePushRequest } from '../receivers/loki/loki-push-test-messages.ts';
import { openDuckDbStore } from '../storage/duckdb/duckdb-store.ts';
import type { Store } from '../storage/store.ts';
import { startApiServer, type ApiServer } from './api-server.ts';
import { registerLokiPushRoute } from './loki-push-route.ts';

// 2023-11-14T22:13:20.123456789Z: more digits than a double holds, so exactness is visible.
const T0_NANO = 1_700_000_000_123_456_789n;

let dir: string;
let store: Store;
let server: ApiServer;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-loki-push-'));
  store = await openDuckDbStore({ path: join(dir, 'vigil.duckdb') });
  server = await startApiServer({
    port: 0,
    store,
    promql: false,
    metricsText: () => '',
    logError: () => undefined,
    extraRoutes: (router) => registerLokiPushRoute(router, store),
  });
});

after(async () => {
  await server.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function push(body: string | Buffer, headers: Record<string, string>, port = server.port): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/loki/api/v1/push`, { method: 'POST', body, headers });
}

async function logsOf(service: string): Promise<LogRecord[]> {
  const logs = await store.searchLogs({ service, limit: 100 });
  return logs.sort((a, b) => (a.timeUnixNano < b.timeUnixNano ? -1 : 1));
}

describe('POST /loki/api/v1/push', () => {
  it('stores JSON streams with exact timestamps, labels, metadata and severity', async () => {
    const body = JSON.stringify({
      streams: [
        {
          stream: { service_name: 'checkout', job: 'shop/checkout', level: 'warn' },
          values: [
            [String(T0_NANO), 'cart is slow'],
            [
              String(T0_NANO + 1n),
              'payment failed',
              { level: 'error', trace_id: '0AF7651916CD43DD8448EB211C80319C', span_id: 'b7ad6b7169203331' },
            ],
          ],
        },
      ],
    });
    const response = await push(body, { 'content-type': 'application/json' });
    assert.equal(response.status, 204);
    const [slow, failed] = await logsOf('checkout');
    assert.ok(slow && failed);
    assert.equal(slow.timeUnixNano, T0_NANO);
    assert.equal(slow.body, 'cart is slow');
    assert.deepEqual(
      { ...slow.resource.attributes },
      {
        service_name: 'checkout',
        job: 'shop/checkout',
        level: 'warn',
        'service.name': 'checkout',
      },
    );
    assert.deepEqual([slow.severityNumber, slow.severityText, slow.traceId], [13, 'warn', '']);
    assert.equal(failed.timeUnixNano, T0_NANO + 1n);
    // Per-line metadata wins over the stream's level label.
    assert.deepEqual([failed.severityNumber, failed.severityText], [17, 'error']);
    assert.equal(failed.attributes['trace_id'], '0AF7651916CD43DD8448EB211C80319C');
    assert.deepEqual(
      [failed.traceId, failed.spanId],
      ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'],
    );
  });

  it('stores gzip-coded JSON', async () => {
    const body = gzipSync(
      JSON.stringify({ streams: [{ stream: { app: 'zipped' }, values: [['5', 'tiny']] }] }),
    );
    const response = await push(body, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assert.equal(response.status, 204);
    const logs = await logsOf('zipped');
    assert.deepEqual(
      logs.map((log) => [log.timeUnixNano, log.body, log.severityNumber]),
      [[5n, 'tiny', 0]],
    );
  });

  it('stores snappy-compressed protobuf as Promtail sends it', async () => {
    const body = encodePushRequest([
      {
        labels: '{job="varlogs", level="info", filename="/var/log/a\\"b.log"}',
        entries: [
          { timeUnixNano: T0_NANO, line: 'line one' },
          {
            timeUnixNano: T0_NANO + 999_999_999n,
            line: 'line two',
            metadata: { detected_level: 'debug', pod: 'p-1' },
          },
        ],
      },
      { labels: '{service="billing"}', entries: [{ timeUnixNano: T0_NANO, line: 'billed' }] },
    ]);
    const response = await push(body, { 'content-type': 'application/x-protobuf' });
    assert.equal(response.status, 204);
    const [one, two] = await logsOf('varlogs');
    assert.ok(one && two);
    assert.deepEqual(
      [one.timeUnixNano, one.body, one.severityNumber, one.severityText],
      [T0_NANO, 'line one', 9, 'info'],
    );
    assert.equal(one.resource.attributes['filename'], '/var/log/a"b.log');
    assert.equal(one.resource.serviceName, 'varlogs');
    assert.deepEqual(
      [two.timeUnixNano, two.severityNumber, two.severityText],
      [T0_NANO + 999_999_999n, 5, 'debug'],
    );
    assert.deepEqual({ ...two.attributes }, { detected_level: 'debug', pod: 'p-1' });
    assert.deepEqual(
      (await logsOf('billing')).map((log) => log.body),
      ['billed'],
    );
  });

  const rejected: [
    name: string,
    body: string | Buffer,
    headers: Record<string, string>,
    status: number,
    text: RegExp,
  ][] = [
    ['malformed JSON', '{"streams": [', { 'content-type': 'application/json' }, 400, /not valid JSON/],
    [
      'a JSON timestamp that is a number',
      JSON.stringify({ streams: [{ stream: { job: 'secret-job' }, values: [[1, 'secret line']] }] }),
      { 'content-type': 'application/json' },
      400,
      /streams\[0\]\.values\[0\]: timestamp must be a string/,
    ],
    [
      'a JSON stream without labels',
      JSON.stringify({ streams: [{ stream: {}, values: [['1', 'secret line']] }] }),
      { 'content-type': 'application/json' },
      400,
      /at least one label pair/,
    ],
    [
      'a bad protobuf label string',
      encodePushRequest([
        { labels: '{job=secret-job}', entries: [{ timeUnixNano: 1n, line: 'secret line' }] },
      ]),
      { 'content-type': 'application/x-protobuf' },
      400,
      /stream 0: stream labels: expected a quoted label value at offset 5/,
    ],
    ['a body that is not snappy', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), {}, 400, /snappy/],
    ['another content type', 'job=x', { 'content-type': 'text/plain' }, 415, /unsupported Content-Type/],
    [
      'an unknown content encoding',
      '{}',
      { 'content-type': 'application/json', 'content-encoding': 'br' },
      415,
      /Content-Encoding/,
    ],
  ];
  for (const [name, body, headers, status, text] of rejected) {
    it(`answers ${status} for ${name}`, async () => {
      const response = await push(body, headers);
      assert.equal(response.status, status);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
      const answer = await response.text();
      assert.match(answer, text);
      assert.doesNotMatch(answer, /secret/);
    });
  }

  it('answers 204 to an empty push', async () => {
    assert.equal((await push('{"streams":[]}', { 'content-type': 'application/json' })).status, 204);
  });

  it('answers 429 with Retry-After when the store is overloaded', async () => {
    // The server's own Loki route over a store whose writes are refused as overloaded.
    const refusing = Object.assign(Object.create(store) as typeof store, {
      writeLogs: () => Promise.reject(new OverloadedError('queue full', 2.5)),
    });
    const overloaded = await startApiServer({
      port: 0,
      store: refusing,
      promql: false,
      metricsText: () => '',
      logError: () => undefined,
    });
    try {
      const body = JSON.stringify({ streams: [{ stream: { job: 'x' }, values: [['1', 'l']] }] });
      const response = await push(body, { 'content-type': 'application/json' }, overloaded.port);
      assert.equal(response.status, 429);
      assert.equal(response.headers.get('retry-after'), '3');
      assert.match(await response.text(), /overloaded/);
    } finally {
      await overloaded.close();
    }
  });
});
