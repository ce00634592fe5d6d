/**
 * The benchmark's reference path against the real thing: generated data → OpenMetrics → promtool
 * blocks → Prometheus → query_range → parsed matrix must give back exactly the generated samples.
 * Needs Debian's prometheus package (scripts/ensure-test-packages.sh); skipped, saying so, without it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { skipUnless } from '../packages/server/src/test-support/test-requirements.ts';
import { timedQueryRange } from './promql-client.ts';
import { canonicalLabelsText, compareMatrices, parseRangeResponse, type Matrix } from './promql-compare.ts';
import { generateDataset, SERIES_PER_INSTANCE, type Dataset } from './promql-data.ts';
import { writeOpenMetricsFile } from './promql-openmetrics.ts';
import { createBlocks, startPrometheus, type RunningPrometheus } from './promql-prometheus.ts';

const skip = skipUnless('prometheus');

/** The generated samples of every series named `name`, as a raw-selector range query returns them. */
function expectedMatrix(dataset: Dataset, name: string): Matrix {
  const matrix: Matrix = new Map();
  for (const series of dataset.families.flatMap((family) => family.series)) {
    if (series.labels.__name__ !== name) continue;
    const labelsText = canonicalLabelsText(Object.entries(series.labels));
    const timestampsMs = Array.from(series.values, (_, i) => series.startMs + i * dataset.stepMs);
    matrix.set(labelsText, { labelsText, timestampsMs, values: [...series.values] });
  }
  return matrix;
}

describe('Prometheus loaded by promtool', { skip }, () => {
  let workDir = '';
  let prometheus: RunningPrometheus | undefined;
  const endMs = Math.floor(Date.now() / 15_000) * 15_000;
  const dataset = generateDataset({
    targetSeries: SERIES_PER_INSTANCE,
    startMs: endMs - 1_800_000,
    rangeMs: 1_800_000,
    stepMs: 15_000,
  });

  before(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'vigil-promql-prom-test-'));
    mkdirSync(join(workDir, 'prometheus'));
    writeOpenMetricsFile(dataset, join(workDir, 'data.om'));
    await createBlocks(join(workDir, 'data.om'), join(workDir, 'prometheus'));
    prometheus = await startPrometheus(join(workDir, 'prometheus'), workDir);
  });

  after(async () => {
    await prometheus?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  // Gauges with full-precision fractions, counters with a reset, and series that start late (v3).
  const names = ['DCGM_FI_DEV_GPU_UTIL', 'ml_predictions_total', 'ml_inference_latency_seconds_bucket'];
  for (const name of names) {
    test(`${name} comes back sample for sample`, async () => {
      const range = { query: name, startMs: dataset.startMs, endMs: dataset.endMs, stepMs: dataset.stepMs };
      const response = await timedQueryRange(prometheus!.baseUrl, range);
      assert.equal(response.status, 200);
      const expected = expectedMatrix(dataset, name);
      const exact = { relative: 0, absolute: 0 };
      const diff = compareMatrices(expected, parseRangeResponse(JSON.parse(response.bodyText)), exact);
      assert.deepEqual(diff.differences, []);
      const sampleCount = [...expected.values()].reduce((total, series) => total + series.values.length, 0);
      assert.ok(sampleCount > 0);
      assert.equal(diff.comparedSamples, sampleCount);
    });
  }

  test('a bad query is a bad_data error', async () => {
    const range = { query: 'sum(', startMs: dataset.startMs, endMs: dataset.endMs, stepMs: 15_000 };
    const response = await timedQueryRange(prometheus!.baseUrl, range);
    assert.equal(response.status, 400);
    assert.throws(() => parseRangeResponse(JSON.parse(response.bodyText)), /bad_data/);
  });

  test('reports its version', () => assert.match(prometheus!.version, /^2\.42\./));
});
