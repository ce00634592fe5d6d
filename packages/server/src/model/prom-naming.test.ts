import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PromNamingKind } from './prom-naming.ts';
import { formatPromFloat, promLabelName, promMetricName, promUnit } from './prom-naming.ts';

// Rows from prometheus/otlptranslator metric_namer_test.go (UTF-8 not allowed, with suffixes) plus the seed's names.
const METRIC_NAMES: { name: string; unit: string; kind: PromNamingKind; want: string }[] = [
  { name: 'requests', unit: '', kind: 'counter', want: 'requests_total' },
  { name: 'cpu_usage', unit: '1', kind: 'gauge', want: 'cpu_usage_ratio' },
  { name: 'items', unit: '1', kind: 'counter', want: 'items_total' },
  { name: 'response_time', unit: 'ms', kind: 'gauge', want: 'response_time_milliseconds' },
  { name: 'memory_usage', unit: 'By', kind: 'gauge', want: 'memory_usage_bytes' },
  { name: 'requests', unit: '1/s', kind: 'gauge', want: 'requests_per_second' },
  { name: 'throughput', unit: 'By/s', kind: 'gauge', want: 'throughput_bytes_per_second' },
  { name: 'custom_metric', unit: 'custom_unit', kind: 'gauge', want: 'custom_metric_custom_unit' },
  { name: 'custom_metric', unit: '{custom}', kind: 'gauge', want: 'custom_metric' },
  { name: 'custom_metric', unit: 'By/{custom}', kind: 'gauge', want: 'custom_metric_bytes' },
  { name: 'requests_total', unit: '', kind: 'counter', want: 'requests_total' },
  { name: 'cpu_usage_ratio', unit: '1', kind: 'gauge', want: 'cpu_usage_ratio' },
  { name: 'response_time_seconds', unit: 's', kind: 'gauge', want: 'response_time_seconds' },
  { name: '123_requests', unit: '', kind: 'counter', want: '_123_requests_total' },
  { name: 'metric__with__multiple__underscores', unit: 'unit__multiple__underscores', kind: 'gauge', want: 'metric_with_multiple_underscores_unit_multiple_underscores' },
  { name: 'custom_metric', unit: 'unit@with#special/chars', kind: 'gauge', want: 'custom_metric_unit_with_special_per_chars' },
  { name: '@#$%', unit: '', kind: 'gauge', want: '' },
  { name: 'request_duration', unit: 's', kind: 'histogram', want: 'request_duration_seconds' },
  { name: 'response_time', unit: 'ms', kind: 'summary', want: 'response_time_milliseconds' },
  { name: 'active_connections', unit: '', kind: 'non-monotonic-counter', want: 'active_connections' },
  { name: 'http.server.request.duration', unit: 's', kind: 'histogram', want: 'http_server_request_duration_seconds' },
  { name: 'total_requests', unit: '', kind: 'counter', want: 'requests_total' },
  // The seed's metrics keep their names: no `_seconds_seconds`, no `_total_total`.
  { name: 'ml_inference_latency_seconds', unit: 's', kind: 'histogram', want: 'ml_inference_latency_seconds' },
  { name: 'ml_predictions_total', unit: '', kind: 'counter', want: 'ml_predictions_total' },
  { name: 'ml_gpu_memory_used_bytes', unit: 'By', kind: 'gauge', want: 'ml_gpu_memory_used_bytes' },
  { name: 'ml_model_load_duration_seconds', unit: 's', kind: 'gauge', want: 'ml_model_load_duration_seconds' },
];

void test('promMetricName matches otlptranslator normalizeName', () => {
  for (const row of METRIC_NAMES) {
    assert.equal(promMetricName(row.name, row.unit, row.kind), row.want, `${row.name} [${row.unit}] ${row.kind}`);
  }
});

void test('promLabelName sanitises attribute keys like otlptranslator LabelNamer', () => {
  const rows: [string, string][] = [
    ['http.method', 'http_method'],
    ['service.instance.id', 'service_instance_id'],
    ['123invalid', 'key_123invalid'],
    ['_private', 'key_private'],
    ['__reserved__', '__reserved__'],
    ['label@with#special', 'label_with_special'],
    ['métric', 'm_tric'],
    ['..', ''],
    ['', ''],
  ];
  for (const [key, want] of rows) assert.equal(promLabelName(key), want, key);
});

void test('promUnit builds the metadata unit', () => {
  const rows: [string, string][] = [['s', 'seconds'], ['By/s', 'bytes_per_second'], ['1', ''], ['1/s', 'per_second'], ['{request}', ''], ['%', 'percent']];
  for (const [unit, want] of rows) assert.equal(promUnit(unit), want, unit);
});

void test('formatPromFloat writes Go %f -1 (no exponent)', () => {
  const rows: [number, string][] = [
    [0.005, '0.005'], [1, '1'], [2.5, '2.5'], [10, '10'], [1e-7, '0.0000001'], [1.5e-7, '0.00000015'],
    [1e21, '1000000000000000000000'], [-2.5e22, '-25000000000000000000000'], [Infinity, '+Inf'], [-Infinity, '-Inf'], [NaN, 'NaN'],
  ];
  for (const [value, want] of rows) assert.equal(formatPromFloat(value), want, String(value));
});
