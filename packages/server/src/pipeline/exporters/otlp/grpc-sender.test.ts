import assert from 'node:assert/strict';
import { credentials, Metadata, Server, ServerCredentials } from '@grpc/grpc-js';
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { after, before, describe, it } from 'node:test';
import { encodeExportResponse, encodeRpcStatus } from '../../../receivers/otlp/response.ts';
import { ExportError } from '../exporter-helper.ts';
import { createGrpcSender } from './grpc-sender.ts';

/** What the test server answers next: a gRPC error, or a (possibly partial) success. */
type Answer = { code: number; retryDelaySeconds?: number } | { ok: Uint8Array };

describe('gRPC sender', () => {
  const answers: Answer[] = [];
  const received: { body: Buffer; tenant: unknown }[] = [];
  const server = new Server();
  let port = 0;

  before(async () => {
    const identity = (bytes: Buffer): Buffer => bytes;
    server.addService(
      {
        Export: {
          path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
          requestStream: false,
          responseStream: false,
          requestSerialize: identity,
          requestDeserialize: identity,
          responseSerialize: identity,
          responseDeserialize: identity,
        },
      },
      {
        Export: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
          received.push({ body: call.request, tenant: call.metadata.get('x-tenant')[0] });
          const answer = answers.shift() ?? { ok: new Uint8Array() };
          if ('ok' in answer) return callback(null, Buffer.from(answer.ok));
          const metadata = new Metadata();
          if (answer.retryDelaySeconds !== undefined)
            metadata.set(
              'grpc-status-details-bin',
              Buffer.from(encodeRpcStatus('protobuf', answer.code, 'busy', answer.retryDelaySeconds)),
            );
          callback({ code: answer.code, details: 'busy\nnow', metadata });
        },
      },
    );
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
  });
  after(() => server.forceShutdown());

  const partials: Buffer[] = [];
  const sender = () =>
    createGrpcSender('logs', {
      target: `127.0.0.1:${port}`,
      credentials: credentials.createInsecure(),
      channelOptions: { 'grpc.default_compression_algorithm': 2 },
      headers: { 'x-tenant': 'acme' },
      onResponse: (body) => partials.push(body),
    });

  // exporter/otlpexporter/otlp.go shouldRetry.
  const CASES: { name: string; answer: Answer; retryable: boolean; retryAfterMs?: number }[] = [
    { name: 'UNAVAILABLE retries', answer: { code: 14 }, retryable: true },
    {
      name: 'UNAVAILABLE honours RetryInfo',
      answer: { code: 14, retryDelaySeconds: 3 },
      retryable: true,
      retryAfterMs: 3000,
    },
    { name: 'RESOURCE_EXHAUSTED without RetryInfo is permanent', answer: { code: 8 }, retryable: false },
    {
      name: 'RESOURCE_EXHAUSTED with RetryInfo retries',
      answer: { code: 8, retryDelaySeconds: 1 },
      retryable: true,
      retryAfterMs: 1000,
    },
    { name: 'INVALID_ARGUMENT is permanent', answer: { code: 3 }, retryable: false },
    { name: 'UNAUTHENTICATED is permanent', answer: { code: 16 }, retryable: false },
    { name: 'DEADLINE_EXCEEDED retries', answer: { code: 4 }, retryable: true },
  ];

  for (const row of CASES) {
    it(row.name, async () => {
      answers.push(row.answer);
      const grpc = sender();
      try {
        await assert.rejects(
          grpc.send(new Uint8Array([1, 2]), new AbortController().signal),
          (error: unknown) => {
            assert.ok(error instanceof ExportError);
            assert.equal(error.retryable, row.retryable);
            assert.equal(error.retryAfterMs, row.retryAfterMs);
            assert.match(error.message, /^gRPC status \d+ from 127\.0\.0\.1:\d+: busy now$/);
            return true;
          },
        );
      } finally {
        grpc.close();
      }
    });
  }

  it('sends the raw bytes with the headers as metadata, and hands back the answer', async () => {
    answers.push({ ok: encodeExportResponse('logs', 'protobuf', 2, 'two bad') });
    const grpc = sender();
    await grpc.send(new Uint8Array([9, 8, 7]), new AbortController().signal);
    grpc.close();
    assert.deepEqual([...(received.at(-1)?.body ?? [])], [9, 8, 7]);
    assert.equal(received.at(-1)?.tenant, 'acme');
    assert.equal(partials.length, 1);
  });
});
