import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uncompressSync } from 'snappy';
import { decodeWriteRequestV1 } from '../../packages/server/src/receivers/prometheus/remote-write/decode-v1.ts';
import { benchValue, encodeShard, shardSeries, STEP_MS } from './requests.ts';

test('shardSeries gives each series to exactly one shard, index mod shards', () => {
  assert.deepEqual(shardSeries(10, 1, 4), [1, 5, 9]);
  const all = [0, 1, 2, 3].flatMap((shard) => shardSeries(10, shard, 4)).sort((a, b) => a - b);
  assert.deepEqual(all, [...Array(10).keys()]);
});

test('encodeShard sends one sample per series per request, steps in time order', () => {
  const shape = { seriesCount: 12, steps: 3, seriesPerRequest: 2, concurrency: 2 };
  const startMs = 1_700_000_000_000;
  const requests = encodeShard(shape, 1, startMs);
  // Shard 1 owns series 1, 3, 5, 7, 9, 11: three requests of two series for each of three steps.
  assert.deepEqual(
    requests.map((request) => [request.step, request.samples]),
    [0, 0, 0, 1, 1, 1, 2, 2, 2].map((step) => [step, 2]),
  );
  const last = requests.at(-1)!;
  const decoded = decodeWriteRequestV1(uncompressSync(last.body) as Buffer, { maxTimestampMs: Infinity });
  assert.deepEqual(
    decoded.series.map((series) => [
      series.labels.get('series'),
      series.labels.get('__name__'),
      series.labels.get('instance'),
      [...series.timestampsMs],
      [...series.values],
    ]),
    [9, 11].map((index) => [
      String(index),
      `bench_metric_${index}`,
      'host-0:9100',
      [startMs + 2 * STEP_MS],
      [benchValue(index, 2)],
    ]),
  );
});
