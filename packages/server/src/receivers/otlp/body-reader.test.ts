import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseContentCoding, readRequestBody, type BodyReadResult } from './body-reader.ts';
import { httpRequest } from './receiver-test-support.ts';

const MAX_BODY_BYTES = 1024 * 1024;
let server: Server;
let url: string;
let lastResult: BodyReadResult | undefined;

// A real HTTP server around readRequestBody; answers with what was read.
before(async () => {
  server = createServer((req, res) => {
    const coding = parseContentCoding(req.headers['content-encoding']) ?? 'identity';
    void readRequestBody(req, coding, MAX_BODY_BYTES).then((result) => {
      lastResult = result;
      if (result.kind === 'too_large') res.setHeader('Connection', 'close');
      res.end(result.kind === 'body' ? result.body : result.kind);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('parseContentCoding', () => {
  const cases: [string | undefined, string | undefined][] = [
    [undefined, 'identity'],
    ['', 'identity'],
    ['identity', 'identity'],
    ['gzip', 'gzip'],
    [' GZIP ', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br', undefined],
    ['deflate', undefined],
    ['gzip, br', undefined],
  ];
  for (const [header, expected] of cases) assert.equal(parseContentCoding(header), expected, String(header));
});

test('reads identity and gzip bodies byte for byte', async () => {
  const payload = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
  const plain = await httpRequest(url, { body: payload });
  assert.deepEqual(plain.body, payload);
  const gzipped = await httpRequest(url, {
    headers: { 'content-encoding': 'gzip' },
    body: gzipSync(payload),
  });
  assert.deepEqual(gzipped.body, payload);
  assert.equal(lastResult?.kind === 'body' && lastResult.wireBytes < payload.length, true);
});

test('a body of exactly the limit is read; one byte more is too large', async () => {
  const exact = await httpRequest(url, { body: new Uint8Array(MAX_BODY_BYTES) });
  assert.equal(exact.body.length, MAX_BODY_BYTES);
  const tooLarge = await httpRequest(url, { body: new Uint8Array(MAX_BODY_BYTES + 1) });
  assert.equal(tooLarge.body.toString(), 'too_large');
  const exactGzip = await httpRequest(url, {
    headers: { 'content-encoding': 'gzip' },
    body: gzipSync(new Uint8Array(MAX_BODY_BYTES)),
  });
  assert.equal(exactGzip.body.length, MAX_BODY_BYTES);
});

test('a truncated gzip stream is bad compression', async () => {
  const gzipped = gzipSync(Buffer.alloc(10_000, 7));
  const answer = await httpRequest(url, {
    headers: { 'content-encoding': 'gzip' },
    body: gzipped.subarray(0, 20),
  });
  assert.equal(answer.body.toString(), 'bad_compression');
});

test('a gzip bomb is refused quickly without inflating it', async () => {
  // 512 MiB of zeros as 32 concatenated gzip members of 16 MiB each (RFC 1952 §2.2 allows members
  // to follow one another): about 0.5 MiB on the wire, 512 times the limit once inflated.
  const member = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
  const bomb = Buffer.concat(Array.from({ length: 32 }, () => member));
  assert.ok(bomb.length <= MAX_BODY_BYTES, `the bomb (${bomb.length} bytes) passes the wire limit`);
  const arrayBuffersBefore = process.memoryUsage().arrayBuffers;
  let peakArrayBuffers = arrayBuffersBefore;
  const sampler = setInterval(() => {
    peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers);
  }, 1);
  const startMillis = performance.now();
  const answer = await httpRequest(url, { headers: { 'content-encoding': 'gzip' }, body: bomb });
  const durationMillis = performance.now() - startMillis;
  clearInterval(sampler);
  assert.equal(answer.body.toString(), 'too_large');
  assert.ok(durationMillis < 1000, `refused in ${durationMillis.toFixed(0)} ms`);
  const growthBytes = peakArrayBuffers - arrayBuffersBefore;
  assert.ok(growthBytes < 16 * MAX_BODY_BYTES, `buffers grew by ${growthBytes} bytes`);
});
