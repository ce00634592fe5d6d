import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { newAttributes } from '../model/attributes.ts';
import type { LogRecord } from '../model/log-record.ts';
import { SpanKind, StatusCode } from '../model/span.ts';
import { TEST_TRACE_ID, sid, testResource, testSpan } from '../query/traces/test-spans.ts';
import { openDuckDbStore } from '../storage/duckdb/duckdb-store.ts';
import type { Store } from '../storage/store.ts';
import { startApiServer, type ApiServer } from './api-server.ts';

const OTHER_TRACE_ID = 'ab'.repeat(16);
// Ten minutes ago, in µs, so Vigil's default one-hour window covers the data.
const BASE_MICROS = Math.floor(Date.now() / 1000) * 1000 * 1000 - 600_000_000;
const RANGE_US = `start=${BASE_MICROS - 60_000_000}&end=${BASE_MICROS + 60_000_000}`;
const RANGE_NS = `start=${BASE_MICROS - 60_000_000}000&end=${BASE_MICROS + 60_000_000}000`;

let dir: string;
let store: Store;
let api: ApiServer;
let baseUrl: string;

function fixtureSpans(): ReturnType<typeof testSpan>[] {
  const frontend = testResource('frontend', { 'host.name': 'host-a' });
  const ranker = testResource('ranker', { 'host.name': 'host-b', 'ml.model.name': 'resnet' });
  const root = testSpan({
    spanId: sid(1),
    startMicros: BASE_MICROS,
    endMicros: BASE_MICROS + 1000,
    resource: frontend,
    name: 'POST /predict',
  });
  root.kind = SpanKind.SERVER;
  root.statusCode = StatusCode.ERROR;
  Object.assign(root.attributes, { 'http.status_code': 500n, 'http.route': '/predict', 'ml.score': 0.5 });
  // Stamped by a clock 800 µs behind the frontend's: starts before its parent.
  const child = testSpan({
    spanId: sid(2),
    parentSpanId: sid(1),
    startMicros: BASE_MICROS - 500,
    endMicros: BASE_MICROS - 100,
    resource: ranker,
    name: 'inference.predict',
  });
  child.kind = SpanKind.SERVER;
  child.events.push({
    timeUnixNano: BigInt(BASE_MICROS - 300) * 1000n + 7n,
    name: 'batch.start',
    attributes: newAttributes(),
    droppedAttributesCount: 0,
  });
  const orphan = testSpan({
    spanId: sid(3),
    parentSpanId: 'feedfacefeedface',
    startMicros: BASE_MICROS + 100,
    endMicros: BASE_MICROS + 200,
    resource: ranker,
    name: 'inference.postprocess',
  });
  const other = testSpan({
    traceId: OTHER_TRACE_ID,
    spanId: sid(9),
    startMicros: BASE_MICROS + 5000,
    endMicros: BASE_MICROS + 5050,
    resource: frontend,
    name: 'GET /health',
  });
  other.kind = SpanKind.SERVER;
  other.statusCode = StatusCode.OK;
  return [root, child, orphan, other];
}

function fixtureLog(traceId: string, offsetMicros: number, severityNumber: number, body: string): LogRecord {
  return {
    timeUnixNano: BigInt(BASE_MICROS + offsetMicros) * 1000n + 1n,
    observedTimeUnixNano: BigInt(BASE_MICROS + offsetMicros) * 1000n + 1n,
    severityNumber,
    severityText: '',
    body,
    attributes: Object.assign(newAttributes(), { 'batch.size': 8n }),
    droppedAttributesCount: 0,
    flags: 0,
    traceId,
    spanId: traceId === '' ? '' : sid(1),
    eventName: '',
    resource: testResource('ranker'),
    scope: {
      name: 'logger',
      version: '',
      attributes: newAttributes(),
      droppedAttributesCount: 0,
      schemaUrl: '',
    },
  };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-api-'));
  store = await openDuckDbStore({ path: join(dir, 'vigil.duckdb') });
  await store.writeSpans(fixtureSpans());
  await store.writeLogs([
    fixtureLog(TEST_TRACE_ID, 20, 17, 'model timeout after 800ms'),
    fixtureLog(TEST_TRACE_ID, 10, 9, 'batch assembled'),
    fixtureLog('', 30, 13, 'GPU memory at 91%'),
  ]);
  api = await startApiServer({
    host: '127.0.0.1',
    port: 0,
    store,
    metricsText: () => '# HELP up test\nup 1\n',
    apdex: { defaultMs: 0.5, byServiceMs: { ranker: 0.1 } },
  });
  baseUrl = `http://127.0.0.1:${api.port}`;
});

after(async () => {
  await api.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function getJson(path: string, expectedStatus = 200): Promise<Record<string, unknown>> {
  const response = await fetch(baseUrl + path);
  assert.equal(response.status, expectedStatus, path);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  return (await response.json()) as Record<string, unknown>;
}

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => value as Json[];

void test('GET /api/vigil/v1/traces/{id}: tree, exact ns strings, typed attributes, orphans, clock skew', async () => {
  const body = await getJson(`/api/vigil/v1/traces/${TEST_TRACE_ID}`);
  const trace = body.data as Json;
  assert.equal(trace.traceId, TEST_TRACE_ID);
  assert.equal(trace.spanCount, 3);
  const spans = list(trace.spans);
  assert.deepEqual(
    spans.map((s) => [s.spanId, s.depth, s.orphan]),
    [
      [sid(1), 0, false],
      [sid(2), 1, false],
      [sid(3), 0, true],
    ],
  );
  const [root, child, orphan] = spans as [Json, Json, Json];
  assert.equal(root.startTimeUnixNano, `${BASE_MICROS}000`);
  assert.equal(root.kind, 'server');
  assert.deepEqual(root.status, { code: 'error', message: '' });
  assert.deepEqual((root.attributes as Json)['http.status_code'], { type: 'int', value: '500' });
  assert.deepEqual((root.attributes as Json)['ml.score'], { type: 'double', value: 0.5 });
  assert.deepEqual(root.childSpanIds, [sid(2)]);
  // Centered in the 1000 µs parent: (1000 - 400) / 2 = 300 µs after the parent's start.
  assert.equal(child.startTimeUnixNano, `${BASE_MICROS + 300}000`);
  assert.equal(child.originalStartTimeUnixNano, `${BASE_MICROS - 500}000`);
  assert.equal(child.clockSkewDeltaNanos, '800000');
  assert.equal((list(child.events)[0] as Json).timeUnixNano, `${BASE_MICROS + 500}007`);
  assert.deepEqual(child.warnings, ['clock skew adjustment applied: shifted by 800 µs']);
  assert.deepEqual(orphan.warnings, ['parent span ID feedfacefeedface is not in the trace']);
  assert.equal(((orphan.resource as Json).attributes as Json)['host.name'] !== undefined, true);
  assert.equal((trace.warnings as string[]).length, 2);
});

void test('GET /api/vigil/v1/traces/{id}?adjustClockSkew=false returns stored times', async () => {
  const body = await getJson(`/api/vigil/v1/traces/${TEST_TRACE_ID}?adjustClockSkew=false`);
  const child = list((body.data as Json).spans).find((s) => s.spanId === sid(2));
  assert.equal(child?.startTimeUnixNano, `${BASE_MICROS - 500}000`);
  assert.equal(child?.clockSkewDeltaNanos, '0');
});

void test('GET /api/vigil/v1/traces searches by service, status, duration and attributes', async () => {
  const ids = async (query: string): Promise<unknown[]> =>
    list((await getJson(`/api/vigil/v1/traces?${query}`)).data).map((summary) => summary.traceId);
  assert.deepEqual(await ids('service=frontend'), [OTHER_TRACE_ID, TEST_TRACE_ID]);
  assert.deepEqual(await ids(`service=frontend&status=error&${RANGE_NS}`), [TEST_TRACE_ID]);
  assert.deepEqual(await ids('minDuration=500us'), [TEST_TRACE_ID]);
  assert.deepEqual(await ids('attr=http.status_code>=500'), [TEST_TRACE_ID]);
  assert.deepEqual(await ids('attr=resource.ml.model.name=resnet'), [TEST_TRACE_ID]);
  assert.deepEqual(await ids('attr=http.route=~/pre.*'), [TEST_TRACE_ID]);
  assert.deepEqual(await ids('attr=http.route=~/pre'), []);
  assert.deepEqual(await ids('attr=http.route!=/predict'), []);
  assert.deepEqual(await ids('attr=http.route!=/other'), [TEST_TRACE_ID]);
  assert.deepEqual(await ids('kind=client'), []);
  const summary = list((await getJson(`/api/vigil/v1/traces?operation=GET%20/health`)).data)[0];
  assert.equal(summary?.durationNanos, '50000');
  assert.equal(summary?.startTimeUnixNano, `${BASE_MICROS + 5000}000`);
});

void test('catalog routes: services, operations, attribute keys and values', async () => {
  assert.deepEqual((await getJson('/api/vigil/v1/services')).data, ['frontend', 'ranker']);
  const operations = list((await getJson('/api/vigil/v1/services/frontend/operations')).data);
  assert.deepEqual(operations.map((o) => o.name).sort(), ['GET /health', 'POST /predict']);
  assert.deepEqual(list((await getJson('/api/vigil/v1/services/ranker/operations?kind=server')).data), [
    { name: 'inference.predict', kind: 'server' },
  ]);
  assert.ok(
    ((await getJson('/api/vigil/v1/attributes/keys?scope=span')).data as string[]).includes('http.route'),
  );
  assert.ok(
    ((await getJson('/api/vigil/v1/attributes/keys?scope=resource')).data as string[]).includes('host.name'),
  );
  assert.deepEqual((await getJson('/api/vigil/v1/attributes/host.name/values?scope=resource')).data, [
    'host-a',
    'host-b',
  ]);
});

void test('log routes: search and the logs of a trace', async () => {
  const logs = list((await getJson('/api/vigil/v1/logs?service=ranker&severity=warn')).data);
  assert.deepEqual(
    logs.map((l) => (l.body as Json).value),
    ['GPU memory at 91%', 'model timeout after 800ms'],
  );
  assert.equal(logs[1]?.timeUnixNano, `${BASE_MICROS + 20}001`);
  assert.deepEqual((logs[1]?.attributes as Json)['batch.size'], { type: 'int', value: '8' });
  const found = list((await getJson('/api/vigil/v1/logs?q=TIMEOUT')).data);
  assert.equal(found.length, 1);
  const ofTrace = list((await getJson(`/api/vigil/v1/traces/${TEST_TRACE_ID}/logs`)).data);
  assert.deepEqual(
    ofTrace.map((l) => (l.body as Json).value),
    ['batch assembled', 'model timeout after 800ms'],
  );
});

void test('Jaeger: services and operations', async () => {
  assert.deepEqual(await getJson('/api/services'), {
    data: ['frontend', 'ranker'],
    total: 2,
    limit: 0,
    offset: 0,
    errors: null,
  });
  const operations = await getJson('/api/services/frontend/operations');
  assert.deepEqual(operations.data, ['GET /health', 'POST /predict']);
  const byKind = await getJson('/api/operations?service=ranker&spanKind=server');
  assert.deepEqual(byKind.data, [{ name: 'inference.predict', spanKind: 'server' }]);
  const all = list((await getJson('/api/operations?service=ranker')).data);
  assert.ok(all.some((o) => o.name === 'inference.postprocess' && o.spanKind === 'internal'));
});

void test('Jaeger: GET /api/traces/{id} has Jaeger shapes (µs, typed tags, processes, references, warnings)', async () => {
  const body = await getJson(`/api/traces/${TEST_TRACE_ID}`);
  assert.equal(body.total, 1);
  assert.equal(body.errors, null);
  const trace = list(body.data)[0] as Json;
  assert.equal(trace.traceID, TEST_TRACE_ID);
  const processes = trace.processes as Record<string, Json>;
  const spans = list(trace.spans);
  const root = spans.find((s) => s.spanID === sid(1)) as Json;
  const child = spans.find((s) => s.spanID === sid(2)) as Json;
  assert.equal(root.startTime, BASE_MICROS);
  assert.equal(root.duration, 1000);
  assert.equal(root.operationName, 'POST /predict');
  assert.equal(processes[root.processID as string]?.serviceName, 'frontend');
  assert.deepEqual(processes[child.processID as string]?.tags, [
    { key: 'host.name', type: 'string', value: 'host-b' },
    { key: 'ml.model.name', type: 'string', value: 'resnet' },
  ]);
  const tags = list(root.tags);
  assert.deepEqual(
    tags.find((t) => t.key === 'http.status_code'),
    { key: 'http.status_code', type: 'int64', value: 500 },
  );
  assert.deepEqual(
    tags.find((t) => t.key === 'error'),
    { key: 'error', type: 'bool', value: true },
  );
  assert.deepEqual(
    tags.find((t) => t.key === 'span.kind'),
    { key: 'span.kind', type: 'string', value: 'server' },
  );
  assert.deepEqual(child.references, [{ refType: 'CHILD_OF', traceID: TEST_TRACE_ID, spanID: sid(1) }]);
  assert.equal(child.startTime, BASE_MICROS + 300);
  assert.deepEqual(list(child.logs)[0], {
    timestamp: BASE_MICROS + 500,
    fields: [{ key: 'event', type: 'string', value: 'batch.start' }],
  });
  assert.deepEqual(child.warnings, ['clock skew adjustment applied: shifted by 800 µs']);
  // 16-hex (64-bit) ids are accepted as Jaeger does.
  await getJson(`/api/traces/${TEST_TRACE_ID.slice(16)}`, 404);
});

void test('Jaeger: GET /api/traces search with tags, durations and µs times', async () => {
  const ids = async (query: string): Promise<unknown[]> =>
    list((await getJson(`/api/traces?${query}`)).data).map((trace) => trace.traceID);
  assert.deepEqual(await ids(`service=frontend&${RANGE_US}&limit=20`), [OTHER_TRACE_ID, TEST_TRACE_ID]);
  const errorTag = encodeURIComponent('{"error":"true"}');
  assert.deepEqual(await ids(`service=frontend&tags=${errorTag}&${RANGE_US}`), [TEST_TRACE_ID]);
  const statusTag = encodeURIComponent('{"http.status_code":"500"}');
  assert.deepEqual(await ids(`service=frontend&tags=${statusTag}&${RANGE_US}`), [TEST_TRACE_ID]);
  const processTag = encodeURIComponent('{"ml.model.name":"resnet"}');
  assert.deepEqual(await ids(`service=ranker&tags=${processTag}&${RANGE_US}`), [TEST_TRACE_ID]);
  assert.deepEqual(await ids(`service=frontend&minDuration=500&${RANGE_US}`), [TEST_TRACE_ID]);
  assert.deepEqual(await ids(`service=frontend&maxDuration=100us&${RANGE_US}`), [OTHER_TRACE_ID]);
  assert.deepEqual(await ids(`service=frontend&operation=GET%20/health&lookback=1h`), [OTHER_TRACE_ID]);
  const kindTag = encodeURIComponent('{"span.kind":"bogus"}');
  assert.deepEqual(await ids(`service=frontend&tags=${kindTag}&${RANGE_US}`), []);
  assert.deepEqual(await ids(`traceID=${OTHER_TRACE_ID}`), [OTHER_TRACE_ID]);
});

void test('Jaeger: dependencies', async () => {
  const body = await getJson(`/api/dependencies?endTs=${Date.now()}&lookback=3600000`);
  assert.deepEqual(body.data, [{ parent: 'frontend', child: 'ranker', callCount: 1 }]);
});

void test('GET /metrics serves Prometheus text', async () => {
  const response = await fetch(`${baseUrl}/metrics`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(await response.text(), '# HELP up test\nup 1\n');
});

const SECRET = 'tok3n-s3cret';
const badRequests: [path: string, flavor: 'vigil' | 'jaeger'][] = [
  [`/api/vigil/v1/traces?limit=${SECRET}`, 'vigil'],
  [`/api/vigil/v1/traces?minDuration=${SECRET}`, 'vigil'],
  [`/api/vigil/v1/traces?start=${SECRET}`, 'vigil'],
  [`/api/vigil/v1/traces?attr=${SECRET}`, 'vigil'],
  [`/api/vigil/v1/traces?status=${SECRET}`, 'vigil'],
  [`/api/vigil/v1/traces/${SECRET}`, 'vigil'],
  [`/api/vigil/v1/logs?severity=${SECRET}`, 'vigil'],
  [`/api/vigil/v1/attributes/keys?scope=${SECRET}`, 'vigil'],
  ['/api/traces?operation=x', 'jaeger'],
  [`/api/traces?service=a&tags=${SECRET}`, 'jaeger'],
  [`/api/traces?service=a&start=${SECRET}`, 'jaeger'],
  [`/api/traces/${SECRET}`, 'jaeger'],
  [`/api/operations?service=a&spanKind=${SECRET}`, 'jaeger'],
  [`/api/dependencies?endTs=${SECRET}`, 'jaeger'],
  ['/api/traces/%E0%A4%A', 'jaeger'],
];

for (const [path, flavor] of badRequests) {
  void test(`400 for ${path.replace(SECRET, '<bad>')} in ${flavor} format, without echoing the value`, async () => {
    const response = await fetch(baseUrl + path);
    const text = await response.text();
    assert.equal(response.status, 400);
    assert.ok(!text.includes(SECRET), 'the bad value is not echoed');
    const body = JSON.parse(text) as Json;
    if (flavor === 'jaeger') {
      assert.equal(body.data, null);
      assert.equal(body.total, 0);
      assert.equal((list(body.errors)[0] as Json).code, 400);
      assert.equal(typeof (list(body.errors)[0] as Json).msg, 'string');
    } else {
      assert.equal((body.error as Json).status, 400);
    }
  });
}

void test('404s: unknown routes and unknown traces, in each API’s format', async () => {
  assert.deepEqual(await getJson('/api/vigil/v1/nope', 404), {
    error: { status: 404, message: 'no such route' },
  });
  assert.deepEqual(await getJson(`/api/vigil/v1/traces/${'1'.repeat(32)}`, 404), {
    error: { status: 404, message: 'trace not found' },
  });
  assert.deepEqual(await getJson('/api/nope', 404), {
    data: null,
    total: 0,
    limit: 0,
    offset: 0,
    errors: [{ code: 404, msg: 'no such route' }],
  });
  assert.deepEqual((await getJson(`/api/traces/${'1'.repeat(32)}`, 404)).errors, [
    { code: 404, msg: 'trace not found' },
  ]);
  assert.deepEqual(await getJson('/', 404), { error: { status: 404, message: 'no such route' } });
});

void test('405 for a known path with another method', async () => {
  const response = await fetch(`${baseUrl}/api/services`, { method: 'POST' });
  assert.equal(response.status, 405);
  assert.equal(((await response.json()) as Json).data, null);
});

void test('GET /api/vigil/v1/apdex: per service and operation, errors frustrated, per-service T', async () => {
  const body = await getJson(`/api/vigil/v1/apdex?${RANGE_NS}`);
  const data = body.data as { services: Json[]; operations: Json[] };
  const pick = (row: Json): unknown[] => [
    row.service,
    row.operation,
    row.thresholdMs,
    row.apdex,
    row.total,
    row.frustrated,
  ];
  // frontend (T 0.5 ms): GET /health 50 µs satisfied, POST /predict failed → frustrated.
  // ranker (its own T 0.1 ms): inference.predict 400 µs ≤ 4T → tolerating. Internal spans do not count.
  assert.deepEqual(data.operations.map(pick), [
    ['frontend', 'GET /health', 0.5, 1, 1, 0],
    ['frontend', 'POST /predict', 0.5, 0, 1, 1],
    ['ranker', 'inference.predict', 0.1, 0.5, 1, 0],
  ]);
  assert.deepEqual(data.services.map(pick), [
    ['frontend', '', 0.5, 0.5, 2, 1],
    ['ranker', '', 0.1, 0.5, 1, 0],
  ]);
  const explicit = await getJson(`/api/vigil/v1/apdex?${RANGE_NS}&service=ranker&threshold=1ms`);
  assert.deepEqual((explicit.data as { services: Json[] }).services.map(pick), [['ranker', '', 1, 1, 1, 0]]);
  const bad = await getJson(`/api/vigil/v1/apdex?threshold=soon`, 400);
  assert.match(JSON.stringify(bad), /threshold/);
});
