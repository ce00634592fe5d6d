/**
 * Sample codec (storage/duckdb/prom/sample-codec.ts): for each data shape, `series` series ×
 * `samples` samples at 15 s (default 10k × 480: one 2 h compaction window), prints bytes/sample,
 * encode and decode rate in CPU time, best of 2–3 passes (decode packs every block into one
 * preallocated pair of arrays, as a query over older data does) and the share of blocks per value
 * codec (dec: decimal, xor: Gorilla, +zip: deflated). Every block is checked to
 * round-trip bit for bit.
 *
 *   node --import tsx bench/sample-codec.bench.ts [series=10000] [samples=480] [shape-substring]
 */
import {
  decodeSamplesInto,
  encodedSampleCount,
  encodeSamples,
  sampleBlockInfo,
} from '../packages/server/src/storage/duckdb/prom/sample-codec.ts';

const seriesCount = Number(process.argv[2] ?? 10_000);
const samplesPerSeries = Number(process.argv[3] ?? 480);
const only = process.argv[4] ?? '';
const STEP_MS = 15_000;
const START_MS = 1_760_000_000_000;

/** Deterministic uniform [0, 1) per (seed, index): the same data on every run. */
function unit(seed: number, index: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4_294_967_296;
}

/** Value of sample n of series i; one function per shape. */
type ValueAt = (series: number, n: number, previous: number) => number;

/** DCGM exporter integer gauges: temperature (°C), utilization (%), framebuffer used (MiB), SM clock (MHz). */
function dcgmGauge(series: number, n: number, previous: number): number {
  const load = Math.min(
    1,
    Math.max(0, 0.6 + 0.35 * Math.sin(n / 120 + series) + 0.1 * (unit(series, n) - 0.5)),
  );
  switch (series % 4) {
    case 0: // Temperature follows load slowly: the sensor reads whole degrees.
      return n === 0
        ? Math.round(40 + 40 * load)
        : previous + Math.sign(Math.round(40 + 40 * load) - previous) * (unit(series + 7, n) < 0.3 ? 1 : 0);
    case 1:
      return Math.round(load * 100);
    case 2: // The allocator holds memory: it changes when a job's batch or phase does.
      return n === 0 || unit(series + 3, n) < 0.02 ? Math.round(8_000 + 70_000 * load) : previous;
    default: // Clocks sit at a boost level and drop under power capping.
      return unit(series + 5, n) < 0.05 ? 1_755 - 15 * Math.floor(unit(series, n) * 10) : 1_980;
  }
}

/** A counter with integer increments around a per-series rate, restarting once in 20 series. */
function counter(series: number, n: number, previous: number): number {
  if (n === 0) return series * 1_000;
  if (series % 20 === 0 && n === 240) return 0;
  return previous + Math.floor(((series % 13) + 1) * (0.5 + unit(series, n)));
}

/** Histogram bucket counters: series i is bucket i % 12 of a histogram; rate grows with le. */
function bucket(series: number, n: number, previous: number): number {
  if (n === 0) return 0;
  const le = series % 12;
  return previous + Math.floor((le + 1) * 3 * unit(series, n) * unit(series + 1, n));
}

const shapes: { name: string; valueAt: ValueAt; jitterMs?: number }[] = [
  { name: 'remote-write bench (i*0.1 + step)', valueAt: (i, n) => i * 0.1 + n },
  { name: 'DCGM integer gauges', valueAt: dcgmGauge },
  { name: 'DCGM integer gauges, ±2 ms jitter', valueAt: dcgmGauge, jitterMs: 2 },
  { name: 'counters', valueAt: counter },
  { name: 'histogram buckets', valueAt: bucket },
  {
    name: 'gauges, 3 decimals',
    valueAt: (i, n) => Math.round((50 + 40 * Math.sin((n + i) / 30) + unit(i, n)) * 1_000) / 1_000,
  },
  {
    name: 'random walk, 2 decimals',
    valueAt: (i, n, previous) => (n === 0 ? 100 : Math.round((previous + unit(i, n) - 0.5) * 100) / 100),
  },
  {
    name: 'random walk, full-precision floats',
    valueAt: (i, n, previous) => (n === 0 ? 100 : previous + unit(i, n) - 0.5),
  },
  { name: 'random doubles', valueAt: (i, n) => (unit(i, n) - 0.5) * 2 ** (unit(i + 1, n) * 40 - 20) },
];

interface Series {
  timestampsMs: Float64Array;
  values: Float64Array;
}

function makeSeries(valueAt: ValueAt, jitterMs: number): Series[] {
  return Array.from({ length: seriesCount }, (_, i) => {
    const timestampsMs = new Float64Array(samplesPerSeries);
    const values = new Float64Array(samplesPerSeries);
    let previous = 0;
    for (let n = 0; n < samplesPerSeries; n++) {
      timestampsMs[n] = START_MS + n * STEP_MS + Math.round((unit(i + 11, n) - 0.5) * 2 * jitterMs);
      previous = valueAt(i, n, previous);
      values[n] = previous;
    }
    return { timestampsMs, values };
  });
}

function sameBits(a: Float64Array, b: Float64Array, offset: number): boolean {
  const left = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const right = new Uint8Array(b.buffer, b.byteOffset + offset * 8, a.byteLength);
  return Buffer.compare(left, right) === 0;
}

/** CPU seconds of this (single-threaded) process: steadier than wall time on a shared machine. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function run(name: string, series: Series[]): string {
  const total = seriesCount * samplesPerSeries;
  let blocks: Uint8Array[] = [];
  let encodeS = Infinity;
  for (let pass = 0; pass < 2; pass++) {
    const started = cpuSeconds();
    blocks = series.map((s) => encodeSamples(s.timestampsMs, s.values));
    encodeS = Math.min(encodeS, cpuSeconds() - started);
  }
  const bytes = blocks.reduce((sum, block) => sum + block.length, 0);
  const timestampsMs = new Float64Array(total);
  const values = new Float64Array(total);
  let decodeS = Infinity;
  // Best of three: the first pass also warms the JIT.
  for (let pass = 0; pass < 3; pass++) {
    const started = cpuSeconds();
    let at = 0;
    for (const block of blocks) at += decodeSamplesInto(block, timestampsMs, values, at);
    decodeS = Math.min(decodeS, cpuSeconds() - started);
  }
  let at = 0;
  series.forEach((s, i) => {
    if (!sameBits(s.timestampsMs, timestampsMs, at) || !sameBits(s.values, values, at))
      throw new Error(`${name}: series ${i} did not round-trip`);
    at += encodedSampleCount(blocks[i]!);
  });
  const codecs = new Map<string, number>();
  for (const block of blocks) {
    const info = sampleBlockInfo(block);
    const key = `${info.valueCodec === 'decimal' ? 'dec' : 'xor'}${info.deflated ? '+zip' : ''}`;
    codecs.set(key, (codecs.get(key) ?? 0) + 1);
  }
  const mix = [...codecs].map(([key, n]) => `${key} ${Math.round((100 * n) / blocks.length)}%`).join(' ');
  return `| ${name} | ${(bytes / total).toFixed(3)} | ${(total / encodeS / 1e6).toFixed(1)} | ${(total / decodeS / 1e6).toFixed(1)} | ${mix} |`;
}

console.log(
  `${seriesCount} series × ${samplesPerSeries} samples at 15 s, node ${process.version}, rates in CPU time`,
);
console.log('| data | bytes/sample | encode M samples/s | decode M samples/s | blocks |');
console.log('|---|---|---|---|---|');
for (const shape of shapes) {
  if (!shape.name.includes(only)) continue;
  console.log(run(shape.name, makeSeries(shape.valueAt, shape.jitterMs ?? 0)));
}
