/**
 * Prometheus series in the DuckDB store (docs/adr/0003-prometheus-series.md): writes S series × N
 * samples at 15 s in scrape order (one write per timestamp, all series, a few writes in flight),
 * then selects every series over the last hour and the whole 2 h: from the in-memory head, then
 * (store reopened, the head replayed from the sample WAL, everything compacted) from disk blocks.
 * Prints write rate, reopen time, ms per select, samples/s read, bytes/sample before and after.
 * Usage: node --import tsx bench/prom-series.bench.ts [series=10000] [samplesPerSeries=480] [dbPath]
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PromSeriesSamples, SeriesMatcher } from '../packages/server/src/model/prom-series.ts';
import type { DuckDbStore } from '../packages/server/src/storage/duckdb/duckdb-store.ts';
import { openDuckDbStore } from '../packages/server/src/storage/duckdb/duckdb-store.ts';

const seriesCount = Number(process.argv[2] ?? 10_000);
const samplesPerSeries = Number(process.argv[3] ?? 480);
const path = process.argv[4] ?? join(tmpdir(), 'vigil-prom-bench.duckdb');
rmSync(`${path}.prom-wal`, { recursive: true, force: true });
const STEP_MS = 15_000;
const IN_FLIGHT = 4;
const METRICS = 20;
const START_MS = Math.floor(Date.now() / STEP_MS) * STEP_MS - samplesPerSeries * STEP_MS;

/** Series i: metric i % 20 (a third counters, a third gauges, a third histogram buckets), 100 instances. */
function seriesLabels(i: number): Map<string, string> {
  const metric = i % METRICS;
  const kind = metric % 3 === 0 ? 'counter' : metric % 3 === 1 ? 'gauge' : 'bucket';
  return new Map([
    ['__name__', `bench_${kind}_${metric}${kind === 'counter' ? '_total' : ''}`],
    ['job', `svc-${i % 10}`],
    ['instance', `10.0.${Math.floor(i / 256) % 256}.${i % 256}:9100`],
    ['series', String(Math.floor(i / METRICS))],
  ]);
}

/** Sample n of series i: counters and buckets grow by small integers, gauges are 3-decimal floats. */
function sampleValue(i: number, n: number): number {
  const kind = (i % METRICS) % 3;
  const noise = ((i * 7_919 + n * 104_729) % 1_000) / 1_000;
  if (kind === 1) return Math.round((50 + 40 * Math.sin((n + i) / 30) + noise) * 1_000) / 1_000;
  return Math.floor(n * ((i % 13) + 1) + noise * 3) + (i % 1_000);
}

async function load(store: DuckDbStore, labels: Map<string, string>[]): Promise<number> {
  const startedMs = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  for (let n = 0; n < samplesPerSeries; n++) {
    const timestampMs = START_MS + n * STEP_MS;
    const batch: PromSeriesSamples[] = labels.map((l, i) => ({
      labels: l,
      timestampsMs: Float64Array.of(timestampMs),
      values: Float64Array.of(sampleValue(i, n)),
    }));
    const write = store.writeSamples(batch).then((result) => {
      if (result.samplesRejected > 0) throw new Error(`${result.samplesRejected} samples rejected`);
      inFlight.delete(write);
    });
    inFlight.add(write);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return performance.now() - startedMs;
}

async function timeSelect(store: DuckDbStore, label: string, matchers: SeriesMatcher[], minMs: number, maxMs: number): Promise<void> {
  const times: number[] = [];
  let samples = 0;
  let series = 0;
  for (let run = 0; run < 7; run++) {
    const startedMs = performance.now();
    const result = await store.selectSeries(matchers, minMs, maxMs);
    times.push(performance.now() - startedMs);
    series = result.length;
    samples = result.reduce((sum, s) => sum + s.values.length, 0);
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)] ?? 0;
  console.log(
    `${label}: ${series} series, ${samples} samples; median ${medianMs.toFixed(1)} ms (min ${times[0]?.toFixed(1)}), ${((samples / medianMs) * 1000 / 1e6).toFixed(1)}M samples/s`,
  );
}

async function selects(store: DuckDbStore, where: string): Promise<void> {
  const endMs = START_MS + (samplesPerSeries - 1) * STEP_MS;
  const all: SeriesMatcher[] = [{ name: '__name__', type: '=~', value: 'bench_.+' }];
  await timeSelect(store, `${where} all series, last 1 h`, all, endMs - 3_600_000, endMs);
  await timeSelect(store, `${where} all series, 2 h`, all, START_MS, endMs);
  await timeSelect(store, `${where} one metric (1/20), last 1 h`, [{ name: '__name__', type: '=', value: 'bench_gauge_1' }], endMs - 3_600_000, endMs);
  const one: SeriesMatcher[] = [{ name: '__name__', type: '=', value: 'bench_gauge_1' }, { name: 'series', type: '=', value: '7' }];
  await timeSelect(store, `${where} one series, last 1 h`, one, endMs - 3_600_000, endMs);
}

rmSync(path, { force: true });
rmSync(`${path}.wal`, { force: true });
const labels = Array.from({ length: seriesCount }, (_, i) => seriesLabels(i));
const totalSamples = seriesCount * samplesPerSeries;
let store = await openDuckDbStore({ path });
const writeMs = await load(store, labels);
console.log(`write: ${totalSamples} samples in ${(writeMs / 1000).toFixed(1)} s, ${Math.round((totalSamples / writeMs) * 1000)} samples/s`);
await store.applyRetention({ maxAgeMillis: { traces: 0, metrics: 0, logs: 0 }, maxSizeBytes: 0 }); // CHECKPOINT
console.log(`disk: ${((await store.dataBytes()) / totalSamples).toFixed(2)} B/sample (used blocks + WAL, series table included)`);
await selects(store, 'head');
await store.close();
const openedMs = performance.now();
store = await openDuckDbStore({ path });
console.log(`reopen (loads the index, replays the sample WAL into the head): ${(performance.now() - openedMs).toFixed(0)} ms`);
const compactStartedMs = performance.now();
const moved = await store.compactPromSamples();
console.log(`compaction: ${moved} samples into blocks in ${(performance.now() - compactStartedMs).toFixed(0)} ms`);
await store.applyRetention({ maxAgeMillis: { traces: 0, metrics: 0, logs: 0 }, maxSizeBytes: 0 }); // CHECKPOINT
console.log(`disk: ${((await store.dataBytes()) / totalSamples).toFixed(2)} B/sample after compaction`);
await selects(store, 'disk blocks');
await store.close();
