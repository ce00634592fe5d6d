/**
 * Vigil's PromQL answers equal Prometheus 2.42's on the same data: the benchmark's queries (the
 * seed's alert expressions) plus functions, modifiers and subqueries, both servers queried over
 * HTTP. Needs Debian's prometheus package (scripts/ensure-test-packages.sh); skipped, saying so,
 * without it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { skipUnless } from '../packages/server/src/test-support/test-requirements.ts';
import type { RunningVigil } from '../packages/server/src/app/start-vigil.ts';
import { timedQueryRange } from './promql-client.ts';
import { compareMatrices, parseRangeResponse } from './promql-compare.ts';
import { generateDataset, SERIES_PER_INSTANCE } from './promql-data.ts';
import { writeOpenMetricsFile } from './promql-openmetrics.ts';
import { createBlocks, startPrometheus, type RunningPrometheus } from './promql-prometheus.ts';
import { BENCH_QUERIES } from './promql-queries.ts';
import { loadVigil, startBenchVigil } from './promql-vigil.ts';

const skip = skipUnless('prometheus');

/** More shapes than the benchmark's: functions, modifiers, subqueries, set and comparison operators. */
const EXTRA_QUERIES: readonly string[] = [
  'irate(ml_predictions_total[2m])',
  'increase(http_requests_total{code="200"}[10m])',
  'deriv(DCGM_FI_DEV_GPU_TEMP[10m])',
  'predict_linear(DCGM_FI_DEV_FB_USED[15m], 600)',
  'quantile_over_time(0.9, DCGM_FI_DEV_GPU_UTIL[10m])',
  'stddev by (Hostname) (DCGM_FI_DEV_GPU_TEMP)',
  'bottomk by (Hostname) (2, DCGM_FI_DEV_GPU_UTIL)',
  'max_over_time(DCGM_FI_DEV_GPU_TEMP[5m] offset 10m)',
  'DCGM_FI_DEV_GPU_TEMP @ end()',
  'max_over_time(rate(ml_predictions_total[5m])[15m:1m])',
  'histogram_quantile(0.5, sum by (le) (rate(ml_inference_latency_seconds_bucket[10m])))',
  'label_replace(sum by (instance) (rate(http_requests_total[5m])), "host", "$1", "instance", "([^:]+).*")',
  'DCGM_FI_DEV_GPU_TEMP > bool 70',
  'DCGM_FI_DEV_GPU_UTIL > 50 and DCGM_FI_DEV_GPU_TEMP < 80',
  'count by (model_version) (ml_predictions_total) or vector(0)',
  'clamp_max(DCGM_FI_DEV_GPU_UTIL, 60) - clamp_min(DCGM_FI_DEV_GPU_UTIL, 40)',
  'sum without (instance, job) (rate(ml_inference_latency_seconds_sum[5m])) / sum without (instance, job) (rate(ml_inference_latency_seconds_count[5m]))',
  'absent(nonexistent_metric{job="x"})',
];

describe('Vigil answers as Prometheus 2.42 on the same data', { skip }, () => {
  let workDir = '';
  let prometheus: RunningPrometheus | undefined;
  let vigil: RunningVigil | undefined;
  // Samples 7 s off the 15 s query grid: Prometheus 2.x and 3.x differ for samples exactly on a
  // range window's left edge (3.x windows are left-open), and Vigil follows 3.x.
  const endMs = Math.floor(Date.now() / 15_000) * 15_000 - 8_000;
  const dataset = generateDataset({
    targetSeries: 3 * SERIES_PER_INSTANCE,
    startMs: endMs - 3_600_000,
    rangeMs: 3_600_000,
    stepMs: 15_000,
  });
  const range = { startMs: endMs + 7_000 - 1_800_000, endMs: endMs + 7_000, stepMs: 15_000 };

  before(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'vigil-promql-compare-'));
    mkdirSync(join(workDir, 'prometheus'));
    writeOpenMetricsFile(dataset, join(workDir, 'data.om'));
    await createBlocks(join(workDir, 'data.om'), join(workDir, 'prometheus'));
    prometheus = await startPrometheus(join(workDir, 'prometheus'), workDir);
    vigil = await startBenchVigil(workDir);
    await loadVigil(vigil.store, dataset);
  });

  after(async () => {
    await prometheus?.close();
    await vigil?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  const queries = [...BENCH_QUERIES.map((q) => q.query), ...EXTRA_QUERIES];
  for (const query of queries) {
    test(query, async () => {
      const vigilBase = `http://127.0.0.1:${vigil!.ports.api}`;
      const [expected, actual] = await Promise.all([
        timedQueryRange(prometheus!.baseUrl, { query, ...range }),
        timedQueryRange(vigilBase, { query, ...range }),
      ]);
      assert.equal(expected.status, 200, expected.bodyText.slice(0, 300));
      assert.equal(actual.status, 200, actual.bodyText.slice(0, 300));
      const diff = compareMatrices(
        parseRangeResponse(JSON.parse(expected.bodyText)),
        parseRangeResponse(JSON.parse(actual.bodyText)),
      );
      assert.deepEqual(diff.differences.slice(0, 5), []);
      assert.ok(diff.comparedSamples > 0 || query.startsWith('absent'), 'the query returned data');
    });
  }
});
