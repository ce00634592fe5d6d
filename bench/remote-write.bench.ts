/**
 * Remote-write benchmark: 10k series × 2 h at 15 s (480 steps, 4.8M samples) sent to an in-process
 * Vigil's POST /api/v1/write as Prometheus sends them: `concurrency` shards, each owning a fixed
 * share of the series and sending one sample per series per request in time order (at most
 * `seriesPerRequest` series, max_samples_per_send), snappy-compressed remote-write 1.0; 429/5xx
 * answers are retried with backoff as Prometheus does. Prints samples/s accepted,
 * CPU-seconds per million samples (process CPU minus the time spent encoding requests here),
 * bytes per sample on disk (store stats) and memory per active series (RSS delta / series).
 *
 *   node --import tsx bench/remote-write.bench.ts [series=10000] [steps=480] [seriesPerRequest=2000] [concurrency=16]
 */
import {
  encodeV1,
  snappy,
  type TestSeries,
} from '../packages/server/src/receivers/prometheus/remote-write/remote-write-test-messages.ts';
import { startTestVigil } from '../packages/server/src/app/e2e-support.ts';

const seriesCount = Number(process.argv[2] ?? 10_000);
const steps = Number(process.argv[3] ?? 480);
const seriesPerRequest = Number(process.argv[4] ?? 2000);
// Prometheus's queue manager runs up to max_shards (200) senders; 16 is a modest, realistic level.
const concurrency = Number(process.argv[5] ?? 16);
const STEP_MS = 15_000;

const labelSets = Array.from({ length: seriesCount }, (_, i) => ({
  __name__: `bench_metric_${i % 50}`,
  job: 'bench',
  instance: `host-${Math.floor(i / 500)}:9100`,
  series: String(i),
}));

/**
 * One shard's requests, as Prometheus's queue manager shards series: shard `shard` owns the series
 * whose index ≡ shard (mod shards) and sends them in time order, at most `seriesPerRequest` per
 * request, so no series ever arrives out of order.
 */
function* shardRequests(
  shard: number,
  shards: number,
  startMs: number,
): Generator<{ body: Buffer; samples: number; encodeMs: number }> {
  const owned = labelSets
    .map((labels, index) => ({ labels, index }))
    .filter(({ index }) => index % shards === shard);
  for (let step = 0; step < steps; step++) {
    for (let first = 0; first < owned.length; first += seriesPerRequest) {
      const encodeStarted = performance.now();
      const batch: TestSeries[] = owned
        .slice(first, first + seriesPerRequest)
        .map(({ labels, index }) => ({ labels, samples: [[startMs + step * STEP_MS, index * 0.1 + step]] }));
      const body = snappy(encodeV1(batch));
      yield { body, samples: batch.length, encodeMs: performance.now() - encodeStarted };
    }
  }
}

async function main(): Promise<void> {
  const vigil = await startTestVigil();
  const url = `http://127.0.0.1:${vigil.ports.api}/api/v1/write`;
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const startMs = Date.now() - steps * STEP_MS;
  let accepted = 0;
  let encodeMs = 0;
  let failures = 0;
  let retries = 0;
  const worker = async (shard: number): Promise<void> => {
    const source = shardRequests(shard, concurrency, startMs);
    for (let next = source.next(); !next.done; next = source.next()) {
      encodeMs += next.value.encodeMs;
      // As Prometheus's queue manager: a 429/5xx is retried after a backoff, never dropped.
      for (let attempt = 0; ; attempt++) {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-protobuf',
            'content-encoding': 'snappy',
            'x-prometheus-remote-write-version': '0.1.0',
          },
          body: next.value.body,
        });
        await response.arrayBuffer();
        if (response.status === 204) accepted += next.value.samples;
        else if ((response.status === 429 || response.status >= 500) && attempt < 10) {
          retries++;
          await new Promise((resolve) => setTimeout(resolve, 30 * 2 ** attempt));
          continue;
        } else failures++;
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, shard) => worker(shard)));
  const elapsedS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuS = (cpu.user + cpu.system) / 1e6 - encodeMs / 1000;
  const rssDelta = process.memoryUsage().rss - rssBefore;
  const stats = await vigil.store.stats();
  console.log(
    `${accepted} samples accepted (${failures} failed requests) in ${elapsedS.toFixed(1)} s: ${Math.round(accepted / elapsedS)} samples/s, ${retries} retried requests`,
  );
  console.log(
    `${(cpuS / (accepted / 1e6)).toFixed(2)} CPU-s per million samples (request encoding excluded)`,
  );
  console.log(
    `${(stats.sizeBytes / Math.max(1, stats.promSamples)).toFixed(2)} bytes/sample on disk (${stats.promSamples} samples, ${stats.promSeries} series)`,
  );
  console.log(`${Math.round(rssDelta / seriesCount)} bytes RSS per active series`);
  await vigil.close();
}

await main();
