/**
 * A running Vigil accepts the upstream OTLP/JSON examples and reads them back, and answers bad input
 * with the spec'd status and a readable message while staying up with earlier data intact.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { makeTraceRequests } from '../../../../bench/ml-spans.ts';
import { getJson, startTestVigil } from './e2e-support.ts';
import type { RunningVigil } from './start-vigil.ts';

const EXAMPLES = new URL('../../../../../shared/conformance/otlp-examples/', import.meta.url);
const MAX_BODY_BYTES = 256 * 1024;

let vigil: RunningVigil;
before(async () => {
  vigil = await startTestVigil((config) => (config.maxRequestBodyBytes = MAX_BODY_BYTES));
});
after(() => vigil.close());

async function post(
  path: string,
  contentType: string,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`http://127.0.0.1:${vigil.ports.otlpHttp}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

const example = (name: string): string => readFileSync(new URL(name, EXAMPLES), 'utf8');

test('the upstream OTLP/JSON examples are accepted and read back', async () => {
  for (const [path, file] of [
    ['/v1/traces', 'trace.json'],
    ['/v1/metrics', 'metrics.json'],
    ['/v1/logs', 'logs.json'],
    ['/v1/logs', 'events.json'],
  ] as const) {
    const response = await post(path, 'application/json', example(file));
    assert.equal(response.status, 200, file);
    assert.match(response.contentType, /^application\/json/);
  }
  const trace = await getJson(vigil, '/api/vigil/v1/traces/5b8efff798038103d269b633813fc60c');
  const spans = (trace.body as { data: { spans: { name: string; resource: { serviceName: string } }[] } })
    .data.spans;
  assert.deepEqual(
    spans.map((s) => [s.name, s.resource.serviceName]),
    [["I'm a server span", 'my.service']],
  );
  const logs = await getJson(vigil, '/api/vigil/v1/traces/5b8efff798038103d269b633813fc60c/logs');
  const records = (logs.body as { data: { body: { value: unknown }; severityText: string }[] }).data;
  assert.ok(records.some((l) => l.body.value === 'Example log record' && l.severityText === 'Information'));
  const events = await getJson(vigil, '/api/vigil/v1/logs?service=my.service&start=0');
  const eventNames = (events.body as { data: { eventName: string }[] }).data.map((l) => l.eventName);
  assert.ok(eventNames.includes('browser.page_view'));
  const metricNames = new Set((await vigil.store.readMetricPoints({ limit: 100 })).map((p) => p.metric.name));
  for (const name of ['my.counter', 'my.gauge', 'my.histogram']) assert.ok(metricNames.has(name), name);
});

test("bad input gets its spec'd status and message; the server stays up and earlier data is intact", async () => {
  const [good] = makeTraceRequests(2, 10);
  assert.ok(good);
  assert.equal((await post('/v1/traces', 'application/x-protobuf', good)).status, 200);
  const before = await vigil.store.stats();

  const badTraceJson = JSON.stringify({
    resourceSpans: [
      { scopeSpans: [{ spans: [{ traceId: 'zz', spanId: '0102030405060708', name: 'bad ids' }] }] },
    ],
  });
  const cases: { name: string; send: () => ReturnType<typeof post>; status: number; message?: RegExp }[] = [
    {
      name: 'truncated protobuf',
      send: () => post('/v1/traces', 'application/x-protobuf', good.subarray(0, 101)),
      status: 400,
    },
    {
      name: 'wrong JSON types',
      send: () => post('/v1/traces', 'application/json', '{"resourceSpans": 7}'),
      status: 400,
    },
    {
      name: 'invalid JSON',
      send: () => post('/v1/logs', 'application/json', '{"resourceLogs": ['),
      status: 400,
    },
    {
      name: 'bad hex ids → partial success',
      send: () => post('/v1/traces', 'application/json', badTraceJson),
      status: 200,
      message: /rejectedSpans/,
    },
    {
      name: 'oversized body',
      send: () => post('/v1/traces', 'application/x-protobuf', new Uint8Array(MAX_BODY_BYTES + 1)),
      status: 413,
    },
    {
      name: 'gzip bomb',
      send: () =>
        post('/v1/traces', 'application/x-protobuf', gzipSync(new Uint8Array(64 * MAX_BODY_BYTES)), {
          'content-encoding': 'gzip',
        }),
      status: 413,
    },
    { name: 'unknown content type', send: () => post('/v1/traces', 'text/plain', 'hello'), status: 415 },
    {
      name: 'unknown content encoding',
      send: () => post('/v1/traces', 'application/x-protobuf', good, { 'content-encoding': 'br' }),
      status: 415,
    },
    {
      name: 'empty protobuf request',
      send: () => post('/v1/metrics', 'application/x-protobuf', new Uint8Array(0)),
      status: 200,
    },
  ];
  for (const c of cases) {
    const response = await c.send();
    assert.equal(response.status, c.status, c.name);
    if (c.status !== 200) assert.ok(response.text.length > 0, `${c.name}: has a message`);
    if (c.message) assert.match(response.text, c.message, c.name);
    assert.doesNotMatch(response.text, /\bat .*\.ts:\d+/, `${c.name}: no stack trace`);
  }
  const after = await vigil.store.stats();
  assert.equal(after.rows.traces, before.rows.traces, 'nothing from the bad requests was stored');
  assert.equal((await post('/v1/traces', 'application/x-protobuf', good)).status, 200, 'still accepting');

  const selfMetrics = await fetch(`http://127.0.0.1:${vigil.ports.api}/metrics`).then((r) => r.text());
  assert.match(selfMetrics, /vigil_receiver_rejected_total\{[^}]*signal="traces"[^}]*\} \d+/);
  assert.match(selfMetrics, /vigil_store_write_duration_seconds_bucket/);
  assert.match(selfMetrics, /vigil_store_size_bytes \d+/);
});
