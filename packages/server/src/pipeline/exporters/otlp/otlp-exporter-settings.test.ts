import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeSpan } from '../../../storage/contract-fixtures.ts';
import { encodeExportResponse, encodeRpcStatus } from '../../../receivers/otlp/response.ts';
import { SettingsError } from '../../graph/component.ts';
import type { ExporterFactory } from '../../graph/component.ts';
import { exporterMetrics } from '../helper/exporter-metrics.ts';
import { eventually, TestBackend, testContext } from '../helper/test-backend.ts';
import { readPartialSuccess, retryInfoDelayMs } from './otlp-answers.ts';
import { otlpHttpExporterFactory } from './otlp-http-exporter.ts';
import { otlpExporterFactory } from './otlp-exporter.ts';

const REFUSED: {
  name: string;
  factory: ExporterFactory;
  settings: unknown;
  message: RegExp;
  keyPath: (string | number)[];
}[] = [
  {
    name: 'otlp without endpoint',
    factory: otlpExporterFactory,
    settings: {},
    message: /non-empty "endpoint"/,
    keyPath: ['endpoint'],
  },
  {
    name: 'otlp endpoint without port',
    factory: otlpExporterFactory,
    settings: { endpoint: 'tempo' },
    message: /invalid port/,
    keyPath: ['endpoint'],
  },
  {
    name: 'unknown key',
    factory: otlpExporterFactory,
    settings: { endpoint: 'a:1', endpint: 'x' },
    message: /unknown setting "endpint"/,
    keyPath: ['endpint'],
  },
  {
    name: 'zstd compression',
    factory: otlpExporterFactory,
    settings: { endpoint: 'a:1', compression: 'zstd' },
    message: /not supported by Vigil/,
    keyPath: ['compression'],
  },
  {
    name: 'unknown balancer',
    factory: otlpExporterFactory,
    settings: { endpoint: 'a:1', balancer_name: 'ring' },
    message: /pick_first or round_robin/,
    keyPath: ['balancer_name'],
  },
  {
    name: 'cert without key',
    factory: otlpExporterFactory,
    settings: { endpoint: 'a:1', tls: { cert_file: '/x' } },
    message: /both certificate and key/,
    keyPath: ['tls'],
  },
  {
    name: 'missing ca file',
    factory: otlpExporterFactory,
    settings: { endpoint: 'a:1', tls: { ca_file: '/nonexistent/ca.pem' } },
    message: /failed to load TLS config/,
    keyPath: ['tls', 'ca_file'],
  },
  {
    name: 'queue_size 0',
    factory: otlpExporterFactory,
    settings: { endpoint: 'a:1', sending_queue: { queue_size: 0 } },
    message: /`queue_size` must be positive/,
    keyPath: ['sending_queue', 'queue_size'],
  },
  {
    name: 'num_consumers 0',
    factory: otlpExporterFactory,
    settings: { endpoint: 'a:1', sending_queue: { num_consumers: 0 } },
    message: /`num_consumers` must be positive/,
    keyPath: ['sending_queue', 'num_consumers'],
  },
  {
    name: 'randomization_factor 2',
    factory: otlpExporterFactory,
    settings: { endpoint: 'a:1', retry_on_failure: { randomization_factor: 2 } },
    message: /within \[0, 1\]/,
    keyPath: ['retry_on_failure', 'randomization_factor'],
  },
  {
    name: 'max_elapsed below initial',
    factory: otlpExporterFactory,
    settings: { endpoint: 'a:1', retry_on_failure: { initial_interval: '10s', max_elapsed_time: '1s' } },
    message: /must not be less than 'initial_interval'/,
    keyPath: ['retry_on_failure', 'max_elapsed_time'],
  },
  {
    name: 'bare number timeout',
    factory: otlpExporterFactory,
    settings: { endpoint: 'a:1', timeout: 5 },
    message: /duration/,
    keyPath: ['timeout'],
  },
  {
    name: 'otlphttp without any endpoint',
    factory: otlpHttpExporterFactory,
    settings: {},
    message: /at least one endpoint/,
    keyPath: [],
  },
  {
    name: 'otlphttp with only another signal',
    factory: otlpHttpExporterFactory,
    settings: { logs_endpoint: 'http://l/v1/logs' },
    message: /no endpoint for traces/,
    keyPath: ['traces_endpoint'],
  },
  {
    name: 'otlphttp bad encoding',
    factory: otlpHttpExporterFactory,
    settings: { endpoint: 'http://a', encoding: 'yaml' },
    message: /invalid encoding/,
    keyPath: ['encoding'],
  },
  {
    name: 'otlphttp non-http URL',
    factory: otlpHttpExporterFactory,
    settings: { endpoint: 'ftp://a' },
    message: /http:\/\/ or https:\/\//,
    keyPath: ['endpoint'],
  },
];

describe('OTLP exporter settings', () => {
  for (const row of REFUSED) {
    it(`refuses ${row.name}`, () => {
      assert.throws(
        () => row.factory.create('traces', row.settings, testContext()),
        (error: unknown) =>
          error instanceof SettingsError &&
          row.message.test(error.message) &&
          assert.deepEqual(error.keyPath, row.keyPath) === undefined,
      );
    });
  }

  it('accepts the Collector defaults and the documented keys', async () => {
    const exporter = otlpExporterFactory.create(
      'metrics',
      {
        endpoint: 'http://127.0.0.1:1',
        headers: { 'X-Tenant': 'a' },
        compression: 'none',
        balancer_name: 'round_robin',
        keepalive: { time: '30s', timeout: '5s', permit_without_stream: true },
        sending_queue: { enabled: true, num_consumers: 2, queue_size: 10 },
        retry_on_failure: { enabled: false },
        timeout: '1s',
      },
      testContext(),
    );
    await exporter.shutdown();
  });
});

describe('OTLP answers', () => {
  it('reads partial success in protobuf and JSON', () => {
    for (const encoding of ['protobuf', 'json'] as const) {
      const body = encodeExportResponse('traces', encoding, 3, 'bad ids');
      const contentType = encoding === 'json' ? 'application/json' : 'application/x-protobuf';
      assert.deepEqual(readPartialSuccess(body, contentType), { rejected: 3, errorMessage: 'bad ids' });
    }
    assert.deepEqual(readPartialSuccess(new Uint8Array(), 'application/x-protobuf'), {
      rejected: 0,
      errorMessage: '',
    });
  });

  it('reads the RetryInfo delay of a google.rpc.Status', () => {
    assert.equal(retryInfoDelayMs(encodeRpcStatus('protobuf', 8, 'full', 2.5)), 2500);
    assert.equal(retryInfoDelayMs(encodeRpcStatus('protobuf', 8, 'full')), undefined);
  });
});

describe('otlphttp partial success', () => {
  let backend: TestBackend;
  before(async () => {
    backend = await TestBackend.start();
  });
  after(() => backend.close());

  it('logs and counts rejected records without retrying', async () => {
    backend.fallback = {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(
        encodeExportResponse('traces', 'json', 1, 'rejected 1 spans: invalid\ntrace_id'),
      ).toString(),
    };
    const context = testContext({ id: 'otlphttp/partial' });
    const exporter = otlpHttpExporterFactory.create(
      'traces',
      { traces_endpoint: `${backend.url}/custom` },
      context,
    );
    await exporter.consume([makeSpan({ trace: 1, span: 1 })]);
    await exporter.shutdown();
    assert.equal(backend.received.length, 1);
    assert.equal(backend.received[0]?.path, '/custom');
    assert.equal(backend.received[0]?.headers['content-encoding'], 'gzip');
    assert.equal(exporterMetrics.rejectedByBackend.get({ exporter: context.id, signal: 'traces' }), 1);
    await eventually(() => context.lines.length === 1, 'the log line');
    assert.match(
      context.lines[0] ?? '',
      /partial success, the backend rejected 1 records: rejected 1 spans: invalid trace_id$/,
    );
  });
});
