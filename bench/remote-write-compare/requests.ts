/**
 * The load every system receives, encoded once before any clock starts: `seriesCount` series ×
 * `steps` samples at 15 s ending now, sharded as Prometheus's queue manager shards series (shard k
 * owns the series whose index ≡ k mod shards, storage/remote/queue_manager.go), one sample per series
 * per request, at most `seriesPerRequest` series per request (max_samples_per_send), in time order.
 * Labels and values are those of bench/remote-write.bench.ts.
 */
import {
  encodeV1,
  snappy,
  type TestLabels,
  type TestSeries,
} from '../../packages/server/src/receivers/prometheus/remote-write/remote-write-test-messages.ts';

/** Scrape interval of the simulated targets. */
export const STEP_MS = 15_000;

/** Size and sharding of the load. */
export interface LoadShape {
  seriesCount: number;
  steps: number;
  seriesPerRequest: number;
  concurrency: number;
}

/** One remote-write 1.0 request body, snappy-compressed, and what it carries. */
export interface EncodedRequest {
  body: Buffer;
  samples: number;
  /** Index of the scrape step (0 = oldest) all its samples belong to. */
  step: number;
}

/** Labels of series `index`: 50 metric names, 20 instances of 500 series each, one `series` label. */
export function benchLabels(index: number): TestLabels {
  return {
    __name__: `bench_metric_${index % 50}`,
    job: 'bench',
    instance: `host-${Math.floor(index / 500)}:9100`,
    series: String(index),
  };
}

/** The value series `index` has at `step`, as in bench/remote-write.bench.ts. */
export function benchValue(index: number, step: number): number {
  return index * 0.1 + step;
}

/** Indexes of the series shard `shard` of `shards` owns, in order. */
export function shardSeries(seriesCount: number, shard: number, shards: number): number[] {
  const owned: number[] = [];
  for (let index = shard; index < seriesCount; index += shards) owned.push(index);
  return owned;
}

/**
 * All requests of one shard, in sending order: for each step, its series in chunks of at most
 * `seriesPerRequest`, so no series ever goes out of order.
 */
export function encodeShard(shape: LoadShape, shard: number, startMs: number): EncodedRequest[] {
  const owned = shardSeries(shape.seriesCount, shard, shape.concurrency).map((index) => ({
    index,
    labels: benchLabels(index),
  }));
  const requests: EncodedRequest[] = [];
  for (let step = 0; step < shape.steps; step++) {
    const timestampMs = startMs + step * STEP_MS;
    for (let first = 0; first < owned.length; first += shape.seriesPerRequest) {
      const batch: TestSeries[] = owned
        .slice(first, first + shape.seriesPerRequest)
        .map(({ index, labels }) => ({ labels, samples: [[timestampMs, benchValue(index, step)]] }));
      requests.push({ body: snappy(encodeV1(batch)), samples: batch.length, step });
    }
  }
  return requests;
}
