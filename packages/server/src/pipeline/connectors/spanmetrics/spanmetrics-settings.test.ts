import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SettingsError } from '../../graph/component.ts';
import { parseSpanMetricsSettings } from './spanmetrics-settings.ts';

test('defaults as upstream createDefaultConfig, plus Vigil defaults', () => {
  const s = parseSpanMetricsSettings(undefined);
  assert.equal(s.flushIntervalMs, 60_000);
  assert.equal(s.temporality, 'cumulative');
  assert.equal(s.namespace, 'traces.span.metrics');
  assert.equal(s.unit, 'ms');
  assert.deepEqual(s.histogram, {
    kind: 'explicit',
    boundsInUnit: [2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10_000, 15_000],
  });
  assert.deepEqual(
    s.dimensions.map((d) => d.name),
    ['ml.model.name', 'ml.model.version'],
  );
  assert.equal(s.aggregationCardinalityLimit, 10_000);
});

const REFUSED: { name: string; settings: unknown; message: RegExp; keyPath: (string | number)[] }[] = [
  { name: 'unknown key', settings: { flush: '1s' }, message: /unknown setting "flush"/, keyPath: ['flush'] },
  {
    name: 'dimension named like a reserved one',
    settings: { dimensions: [{ name: 'span.kind' }] },
    message: /duplicate dimension name span.kind/,
    keyPath: ['dimensions'],
  },
  {
    name: 'explicit and exponential together',
    settings: { histogram: { explicit: { buckets: ['1ms'] }, exponential: { max_size: 10 } } },
    message: /use either `explicit` or `exponential` buckets histogram/,
    keyPath: ['histogram'],
  },
  {
    name: 'negative flush interval',
    settings: { metrics_flush_interval: '-1s' },
    message: /invalid metrics_flush_interval/,
    keyPath: ['metrics_flush_interval'],
  },
  {
    name: 'bad bucket duration',
    settings: { histogram: { explicit: { buckets: ['1ms', 'soon'] } } },
    message: /invalid duration/,
    keyPath: ['histogram', 'explicit', 'buckets', 1],
  },
  {
    name: 'negative cardinality limit',
    settings: { aggregation_cardinality_limit: -1 },
    message: /invalid aggregation_cardinality_limit/,
    keyPath: ['aggregation_cardinality_limit'],
  },
  {
    name: 'events without dimensions',
    settings: { events: { enabled: true } },
    message: /no dimensions configured for events/,
    keyPath: ['events', 'dimensions'],
  },
  {
    name: 'unit other than ms or s',
    settings: { histogram: { unit: 'us' } },
    message: /unknown unit/,
    keyPath: ['histogram', 'unit'],
  },
];

for (const c of REFUSED) {
  test(`refused: ${c.name}`, () => {
    assert.throws(
      () => parseSpanMetricsSettings(c.settings),
      (error: unknown) =>
        error instanceof SettingsError &&
        c.message.test(error.message) &&
        assert.deepEqual(error.keyPath, c.keyPath) === undefined,
    );
  });
}

test('a configured ml.model.name keeps its place and default; an excluded one is not added', () => {
  const s = parseSpanMetricsSettings({
    dimensions: [{ name: 'ml.model.name', default: 'none' }],
    exclude_dimensions: ['ml.model.version'],
  });
  assert.deepEqual(s.dimensions, [{ name: 'ml.model.name', defaultValue: 'none' }]);
});
