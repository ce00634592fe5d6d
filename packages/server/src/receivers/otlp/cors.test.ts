import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CorsPolicy } from './cors.ts';
import { startOtlpHttpServer } from './http-server.ts';
import type { RunningReceiver } from './receiver-options.ts';
import { encodeTraceRequest, httpRequest, RecordingPipeline } from './receiver-test-support.ts';

test('origin patterns: exact, wildcard subdomain, any; case-insensitive; anchored', () => {
  const policy = new CorsPolicy({ allowedOrigins: ['https://app.example.com', 'https://*.ml.example.com'] });
  const cases: [string, boolean][] = [
    ['https://app.example.com', true],
    ['HTTPS://APP.EXAMPLE.COM', true],
    ['https://app.example.com.evil.io', false],
    ['http://app.example.com', false],
    ['https://a.ml.example.com', true],
    ['https://a.b.ml.example.com', true],
    ['https://ml.example.com', false],
    ['https://evil.io/https://a.ml.example.com', false],
    ['https://appxexample.com', false],
  ];
  for (const [origin, allowed] of cases) assert.equal(policy.isOriginAllowed(origin), allowed, origin);
  assert.equal(new CorsPolicy({ allowedOrigins: ['*'] }).isOriginAllowed('null'), true);
  assert.equal(new CorsPolicy().enabled, false);
});

const pipeline = new RecordingPipeline();
let withCors: RunningReceiver;
let withoutCors: RunningReceiver;
const allowedOrigin = 'https://dashboard.example.com';

before(async () => {
  withCors = await startOtlpHttpServer({
    pipeline,
    port: 0,
    cors: { allowedOrigins: ['https://*.example.com'], allowedHeaders: ['X-Tenant'], maxAgeSeconds: 600 },
  });
  withoutCors = await startOtlpHttpServer({ pipeline, port: 0 });
});
after(async () => {
  await withCors.close();
  await withoutCors.close();
});

function preflight(port: number, origin: string, requestHeaders = 'content-type') {
  return httpRequest(`http://127.0.0.1:${port}/v1/traces`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': requestHeaders,
    },
  });
}

test('preflight from an allowed origin gets methods, headers and max-age', async () => {
  const answer = await preflight(withCors.port, allowedOrigin, 'Content-Type, X-Tenant');
  assert.equal(answer.status, 204);
  assert.equal(answer.headers['access-control-allow-origin'], allowedOrigin);
  assert.equal(answer.headers['access-control-allow-methods'], 'POST');
  assert.equal(answer.headers['access-control-allow-headers'], 'content-type, x-tenant');
  assert.equal(answer.headers['access-control-max-age'], '600');
  assert.match(String(answer.headers.vary), /Origin/);
});

test('preflight from another origin, or asking for an unlisted header, gets no CORS headers', async () => {
  for (const answer of [
    await preflight(withCors.port, 'https://evil.io'),
    await preflight(withCors.port, allowedOrigin, 'content-type, x-secret'),
  ]) {
    assert.equal(answer.status, 204);
    assert.equal(answer.headers['access-control-allow-origin'], undefined);
    assert.equal(answer.headers['access-control-allow-methods'], undefined);
  }
});

test('without configured origins, OPTIONS is an unsupported method', async () => {
  const answer = await preflight(withoutCors.port, allowedOrigin);
  assert.equal(answer.status, 405);
  assert.equal(answer.headers['access-control-allow-origin'], undefined);
});

test('an export from an allowed origin carries Allow-Origin; others are served without it', async () => {
  for (const [origin, expected] of [
    [allowedOrigin, allowedOrigin],
    ['https://evil.io', undefined],
  ] as const) {
    const answer = await httpRequest(`http://127.0.0.1:${withCors.port}/v1/traces`, {
      headers: { origin, 'content-type': 'application/x-protobuf' },
      body: encodeTraceRequest(1),
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['access-control-allow-origin'], expected);
  }
  const noCors = await httpRequest(`http://127.0.0.1:${withoutCors.port}/v1/traces`, {
    headers: { origin: allowedOrigin, 'content-type': 'application/x-protobuf' },
    body: encodeTraceRequest(1),
  });
  assert.equal(noCors.headers['access-control-allow-origin'], undefined);
});

test('error answers carry CORS headers too, so a browser can read why', async () => {
  const answer = await httpRequest(`http://127.0.0.1:${withCors.port}/v1/traces`, {
    headers: { origin: allowedOrigin, 'content-type': 'text/plain' },
    body: 'x',
  });
  assert.equal(answer.status, 415);
  assert.equal(answer.headers['access-control-allow-origin'], allowedOrigin);
});
