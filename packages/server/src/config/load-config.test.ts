import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfigFile } from './load-config.ts';
import { defaultConfig, parseEndpoint } from './vigil-config.ts';

function writeConfig(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'vigil-config-')), 'vigil.yaml');
  writeFileSync(path, text);
  return path;
}

test('Collector-shaped receiver settings and the vigil section are read', () => {
  const config = loadConfigFile(
    writeConfig(`
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:14317
      http:
        endpoint: 127.0.0.1:14318
        max_request_body_size: 4MiB
        cors:
          allowed_origins: ["https://*.example.com"]
vigil:
  data_dir: /var/lib/vigil
  api:
    endpoint: 127.0.0.1:17000
  retention:
    traces: 3d
    logs: 12h
    max_size: 10GiB
  limits:
    max_series_per_metric: 5000
`),
  );
  assert.deepEqual(config.otlpGrpc, { enabled: true, host: '0.0.0.0', port: 14317 });
  assert.equal(config.otlpHttp.port, 14318);
  assert.equal(config.maxRequestBodyBytes, 4 * 1024 * 1024);
  assert.deepEqual(config.otlpHttp.corsAllowedOrigins, ['https://*.example.com']);
  assert.equal(config.dataDir, '/var/lib/vigil');
  assert.deepEqual(config.api, { host: '127.0.0.1', port: 17000 });
  assert.equal(config.retention.maxAgeMillis.traces, 3 * 86_400_000);
  assert.equal(config.retention.maxAgeMillis.logs, 12 * 3_600_000);
  assert.equal(config.retention.maxAgeMillis.metrics, defaultConfig().retention.maxAgeMillis.metrics);
  assert.equal(config.retention.maxSizeBytes, 10 * 1024 ** 3);
  assert.deepEqual(config.seriesLimits, {
    maxSeries: defaultConfig().seriesLimits.maxSeries,
    maxSeriesPerMetric: 5000,
  });
});

test('errors carry file, line and key path', () => {
  assert.throws(
    () => loadConfigFile(writeConfig('vigil:\n  retention:\n    traces: forever\n')),
    /vigil\.yaml:3:\d+: vigil\.retention\.traces: not a duration/,
  );
  assert.throws(() => loadConfigFile(writeConfig('vigil: [unclosed\n')), /vigil\.yaml:\d+:\d+: invalid YAML/);
  assert.throws(() => loadConfigFile('/nonexistent/vigil.yaml'), /cannot read config file .*ENOENT/);
});

test('endpoints', () => {
  assert.deepEqual(parseEndpoint(':4318'), { host: '127.0.0.1', port: 4318 });
  assert.deepEqual(parseEndpoint('[::1]:4317'), { host: '::1', port: 4317 });
  assert.throws(() => parseEndpoint('host:70000'), /not an endpoint/);
});

test('vigil.alerting and vigil.apdex: rule files resolved against the config file, durations, labels', () => {
  const path = writeConfig(`
vigil:
  alerting:
    rule_files: [rules/*.yaml, /etc/vigil/seed.yaml]
    evaluation_interval: 30s
    external_labels: { cluster: gpu-east }
    external_url: https://vigil.example.com
    notifications_file: alertmanager.yml
  slos:
    - name: fraud-availability
      objective: 99.9
      events:
        error_query: sum(rate(ml_predictions_total{result_class="error"}[{{.window}}]))
        total_query: sum(rate(ml_predictions_total[{{.window}}]))
  apdex:
    threshold: 300ms
    services: { fraud-model: 100ms }
`);
  const config = loadConfigFile(path);
  const dir = join(path, '..');
  assert.deepEqual(config.alerting, {
    ruleFiles: [join(dir, 'rules/*.yaml'), '/etc/vigil/seed.yaml'],
    evaluationIntervalMs: 30_000,
    externalLabels: { cluster: 'gpu-east' },
    externalUrl: 'https://vigil.example.com',
    notificationConfigFile: join(dir, 'alertmanager.yml'),
  });
  assert.deepEqual(
    config.slos.map((slo) => [slo.name, slo.objectiveRatio]),
    [['fraud-availability', 0.999]],
  );
  assert.throws(
    () => loadConfigFile(writeConfig('vigil:\n  slos:\n    - name: x\n      objective: 150\n')),
    /:4:\d+: vigil\.slos\.0\.objective: /,
  );
  assert.deepEqual(config.apdex, { defaultMs: 300, byServiceMs: { 'fraud-model': 100 } });
  assert.throws(
    () => loadConfigFile(writeConfig('vigil:\n  apdex:\n    services: { a: 0 }\n')),
    /:3:\d+: vigil\.apdex\.services\.a: must be a positive duration/,
  );
  assert.throws(
    () => loadConfigFile(writeConfig('vigil:\n  alerting:\n    external_labels: [a]\n')),
    /vigil\.alerting\.external_labels: expected a map/,
  );
});

test("the Collector's ${env:NAME} references expand in values, typed; unset ones fail with their line", () => {
  process.env['VIGIL_TEST_API_PORT'] = '17123';
  try {
    const config = loadConfigFile(
      writeConfig(
        'vigil:\n  api:\n    endpoint: 127.0.0.1:${env:VIGIL_TEST_API_PORT}\n  data_dir: ${env:VIGIL_TEST_NOPE:-/tmp/x}\n',
      ),
    );
    assert.deepEqual(config.api, { host: '127.0.0.1', port: 17123 });
    assert.equal(config.dataDir, '/tmp/x');
  } finally {
    delete process.env['VIGIL_TEST_API_PORT'];
  }
  assert.throws(
    () => loadConfigFile(writeConfig('vigil:\n  data_dir: ${env:VIGIL_TEST_UNSET_VARIABLE}\n')),
    /vigil\.yaml:2:13: vigil\.data_dir: .*VIGIL_TEST_UNSET_VARIABLE/,
  );
});
