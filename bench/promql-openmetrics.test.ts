import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { generateDataset, SERIES_PER_INSTANCE } from './promql-data.ts';
import {
  familyHeader,
  formatLabels,
  formatTimestamp,
  formatValue,
  seriesLines,
  writeOpenMetricsFile,
} from './promql-openmetrics.ts';

describe('formatValue', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [3, '3'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [81_559, '81559'],
    [1e21, '1e+21'],
    [1e-7, '1e-7'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ];
  for (const [value, text] of cases) {
    test(`${value} → ${text}`, () => assert.equal(formatValue(value), text));
  }

  test('round-trips every float exactly', () => {
    for (const value of [0.1 + 0.2, Math.PI * 1e10, 1 / 3, 5e-324, Number.MAX_VALUE]) {
      assert.equal(Number(formatValue(value)), value);
    }
  });
});

describe('formatTimestamp', () => {
  test('whole seconds', () => assert.equal(formatTimestamp(1_700_000_015_000), '1700000015'));
  test('refuses fractional seconds (promtool would truncate them)', () => {
    assert.throws(() => formatTimestamp(1_700_000_015_500), RangeError);
  });
});

describe('formatLabels', () => {
  const cases: [Record<string, string>, string][] = [
    [{}, ''],
    [{ __name__: 'up' }, ''],
    [{ __name__: 'up', job: 'api', le: '+Inf' }, '{job="api",le="+Inf"}'],
    [
      { path: 'C:\\dir', quote: 'say "hi"', text: 'a\nb' },
      '{path="C:\\\\dir",quote="say \\"hi\\"",text="a\\nb"}',
    ],
  ];
  for (const [labels, text] of cases) test(text || 'none', () => assert.equal(formatLabels(labels), text));
});

test('seriesLines writes one line per sample at its grid time', () => {
  const series = {
    labels: { __name__: 'x_total', job: 'a' },
    startMs: 1_700_000_000_000,
    values: new Float64Array([1, 2.5]),
  };
  assert.equal(
    seriesLines(series, 15_000),
    'x_total{job="a"} 1 1700000000\nx_total{job="a"} 2.5 1700000015\n',
  );
});

test('familyHeader names the family and its type', () => {
  assert.equal(
    familyHeader({ name: 'ml_predictions', type: 'counter', help: 'Total\\n', series: [] }),
    '# HELP ml_predictions Total\\\\n\n# TYPE ml_predictions counter\n',
  );
});

test('writeOpenMetricsFile writes every family and sample, then # EOF', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-om-test-'));
  try {
    const dataset = generateDataset({
      targetSeries: SERIES_PER_INSTANCE,
      startMs: 1_700_000_100_000,
      rangeMs: 60_000,
      stepMs: 15_000,
    });
    const path = join(dir, 'data.om');
    writeOpenMetricsFile(dataset, path);
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.equal(lines.at(-1), '');
    assert.equal(lines.at(-2), '# EOF');
    const types = lines.filter((line) => line.startsWith('# TYPE '));
    assert.deepEqual(
      types,
      dataset.families.map((family) => `# TYPE ${family.name} ${family.type}`),
    );
    const samples = lines.filter((line) => line !== '' && !line.startsWith('#'));
    assert.equal(samples.length, dataset.sampleCount);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
