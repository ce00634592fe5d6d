import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SettingsError } from '../../graph/component.ts';
import { testComponentContext } from '../../graph/test-context.ts';
import { withFixedHeaders } from '../helper/http-client-settings.ts';
import { REMOTE_WRITE_HEADERS } from './prometheus-remote-write-exporter.ts';
import { readPrwSettings } from './prw-settings.ts';

const CONTEXT = testComponentContext();
const ENDPOINT = 'http://prometheus:9090/api/v1/write';

void describe('prometheusremotewrite settings', () => {
  void it('applies the Collector defaults', () => {
    const s = readPrwSettings({ endpoint: ENDPOINT }, CONTEXT);
    assert.equal(s.maxBatchSizeBytes, 3_000_000);
    assert.equal(s.sendMetadata, false);
    assert.deepEqual(s.translate, {
      namespace: '',
      externalLabels: new Map(),
      resourceToTelemetry: false,
      targetInfo: true,
      exportCreatedMetric: false,
    });
    assert.deepEqual(s.sending.queue, { enabled: true, numConsumers: 1, queueSize: 10_000 });
    assert.equal(s.sending.timeoutMs, 5_000);
    assert.equal(s.sending.retry.initialIntervalMs, 50);
    assert.equal(s.sending.retry.maxIntervalMs, 200);
    assert.equal(s.sending.retry.maxElapsedMs, 60_000);
  });

  void it('reads every option', () => {
    const s = readPrwSettings(
      {
        endpoint: ENDPOINT,
        headers: { 'X-Scope-OrgID': 'acme' },
        namespace: 'vigil',
        external_labels: { 'k8s.cluster': 'eu-1' },
        resource_to_telemetry_conversion: { enabled: true },
        target_info: { enabled: false },
        export_created_metric: { enabled: true },
        send_metadata: true,
        max_batch_size_bytes: 1_000,
        remote_write_queue: { enabled: true, queue_size: 5, num_consumers: 3 },
        timeout: '2s',
        tls: { insecure: true },
      },
      CONTEXT,
    );
    assert.deepEqual(s.http.headers, { 'X-Scope-OrgID': 'acme' });
    assert.deepEqual([...s.translate.externalLabels], [['k8s_cluster', 'eu-1']]);
    assert.equal(
      s.translate.resourceToTelemetry && s.translate.exportCreatedMetric && !s.translate.targetInfo,
      true,
    );
    assert.deepEqual(s.sending.queue, { enabled: true, numConsumers: 1, queueSize: 5 });
    assert.equal(s.sending.timeoutMs, 2_000);
  });

  const refusals: {
    name: string;
    settings: Record<string, unknown>;
    message: RegExp;
    keyPath: (string | number)[];
  }[] = [
    { name: 'no endpoint', settings: {}, message: /"endpoint" is required/, keyPath: ['endpoint'] },
    {
      name: 'an endpoint that is no URL',
      settings: { endpoint: 'not a url' },
      message: /must be a valid URL/,
      keyPath: ['endpoint'],
    },
    {
      name: 'an unknown key',
      settings: { endpoint: ENDPOINT, sending_queue: {} },
      message: /unknown setting "sending_queue"/,
      keyPath: ['sending_queue'],
    },
    {
      name: 'a negative queue size',
      settings: { endpoint: ENDPOINT, remote_write_queue: { queue_size: -1 } },
      message: /can't be negative/,
      keyPath: ['remote_write_queue', 'queue_size'],
    },
    {
      name: 'a zero queue',
      settings: { endpoint: ENDPOINT, remote_write_queue: { queue_size: 0 } },
      message: /0 size queue will drop all the data/,
      keyPath: ['remote_write_queue', 'queue_size'],
    },
    {
      name: 'negative consumers',
      settings: { endpoint: ENDPOINT, remote_write_queue: { num_consumers: -1 } },
      message: /consumer number can't be negative/,
      keyPath: ['remote_write_queue', 'num_consumers'],
    },
    {
      name: 'an empty external label',
      settings: { endpoint: ENDPOINT, external_labels: { a: '' } },
      message: /empty key or value/,
      keyPath: ['external_labels'],
    },
    {
      name: 'a negative batch size',
      settings: { endpoint: ENDPOINT, max_batch_size_bytes: -1 },
      message: /must be greater than 0/,
      keyPath: ['max_batch_size_bytes'],
    },
    {
      name: 'suffixes off (not supported)',
      settings: { endpoint: ENDPOINT, add_metric_suffixes: false },
      message: /not supported/,
      keyPath: ['add_metric_suffixes'],
    },
    {
      name: 'remote write 2.0',
      settings: { endpoint: ENDPOINT, protobuf_message: 'io.prometheus.write.v2.Request' },
      message: /remote write 1.0/,
      keyPath: ['protobuf_message'],
    },
    {
      name: 'a TLS version (not supported)',
      settings: { endpoint: ENDPOINT, tls: { min_version: '1.3' } },
      message: /not supported/,
      keyPath: ['tls', 'min_version'],
    },
    {
      name: 'a certificate without its key',
      settings: { endpoint: ENDPOINT, tls: { cert_pem: 'x' } },
      message: /both certificate and key/,
      keyPath: ['tls', 'key_file'],
    },
    {
      name: 'an unreadable CA file',
      settings: { endpoint: ENDPOINT, tls: { ca_file: '/nonexistent/ca.pem' } },
      message: /failed to load TLS config/,
      keyPath: ['tls', 'ca_file'],
    },
    {
      name: 'the write-ahead log (not supported)',
      settings: { endpoint: ENDPOINT, wal: { directory: '/tmp' } },
      message: /unknown setting "wal"/,
      keyPath: ['wal'],
    },
  ];
  for (const c of refusals) {
    void it(`refuses ${c.name}`, () => {
      assert.throws(
        () => readPrwSettings(c.settings, CONTEXT),
        (error: unknown) => {
          assert.ok(error instanceof SettingsError);
          assert.match(error.message, c.message);
          assert.deepEqual(error.keyPath, c.keyPath);
          return true;
        },
      );
    });
  }

  void it('the protocol headers cannot be changed by `headers`, in any letter case', () => {
    const merged = withFixedHeaders(
      { 'content-type': 'text/plain', 'X-Scope-OrgID': 'acme' },
      REMOTE_WRITE_HEADERS,
    );
    assert.deepEqual(merged, { 'X-Scope-OrgID': 'acme', ...REMOTE_WRITE_HEADERS });
  });
});
