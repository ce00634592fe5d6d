/**
 * Embedded store benchmark: loads N synthetic ML spans (5-span traces, 10 attributes each) through
 * the DuckDB store, then measures sustained write rate, bytes/span on disk after a checkpoint,
 * getTrace latency and attribute-search latency.
 * Usage: node --import tsx bench/store-query.bench.ts [spanCount=1000000] [dbPath] [--reuse]
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newAttributes } from '../packages/server/src/model/attributes.ts';
import type { Resource } from '../packages/server/src/model/resource.ts';
import type { Span } from '../packages/server/src/model/span.ts';
import { openDuckDbStore } from '../packages/server/src/storage/duckdb/duckdb-store.ts';
import type { TraceQuery } from '../packages/server/src/storage/store.ts';

const spanCount = Number(process.argv[2] ?? 1_000_000);
const path = process.argv[3] ?? join(tmpdir(), 'vigil-bench.duckdb');
const BATCH_SPANS = 10_000;
const IN_FLIGHT = 3;
const SPANS_PER_TRACE = 5;
const PHASES = [
  'inference.predict',
  'inference.preprocess',
  'inference.forward_pass',
  'inference.postprocess',
  'db.query',
];
const START_NANOS = 1_760_000_000_000_000_000n;

const resources: Resource[] = Array.from({ length: 8 }, (_, i) => ({
  attributes: Object.assign(newAttributes(), {
    'service.name': `svc-${i}`,
    'service.version': '1.4.2',
    'deployment.environment': 'prod',
    'ml.model.name': `model-${i % 4}`,
  }),
  droppedAttributesCount: 0,
  schemaUrl: '',
  serviceName: `svc-${i}`,
}));
const scope = {
  name: 'vigil.bench',
  version: '1.0.0',
  attributes: newAttributes(),
  droppedAttributesCount: 0,
  schemaUrl: '',
};

function hex(n: bigint, length: number): string {
  return n.toString(16).padStart(length, '0');
}

/** Span number `n` of the run: ~1,000 spans/s of simulated time, random-looking ids. */
function makeSpan(n: number): Span {
  const trace = Math.floor(n / SPANS_PER_TRACE);
  const position = n % SPANS_PER_TRACE;
  const traceId = hex((BigInt(trace) * 0x9e3779b97f4a7c15n + 0x1234567n) & ((1n << 128n) - 1n), 32);
  const spanId = (t: number, p: number): string =>
    hex((BigInt(t) * 0x2545f4914f6cdd1dn + BigInt(p) + 1n) & ((1n << 64n) - 1n), 16);
  const start = START_NANOS + BigInt(n) * 1_000_000n + BigInt(position) * 137n;
  const resource = resources[trace % resources.length] ?? resources[0]!;
  return {
    traceId,
    spanId: spanId(trace, position),
    parentSpanId: position === 0 ? '' : spanId(trace, 0),
    traceState: '',
    flags: 1,
    name: PHASES[position] ?? 'inference.predict',
    kind: position === 0 ? 2 : 1,
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(200_000 + ((n * 7919) % 50_000_000)),
    attributes: Object.assign(newAttributes(), {
      'ml.model.version': `v${trace % 7}`,
      'ml.request.batch_size': BigInt((trace * 13) % 128),
      'ml.preprocess.feature_count': 256n,
      'ml.preprocess.null_count': BigInt(trace % 3),
      'ml.inference.gpu_used': trace % 2 === 0,
      'ml.prediction.score': ((n * 7919) % 1000) / 1000,
      'ml.prediction.class': `class-${trace % 10}`,
      'http.route': '/v1/predict',
      'http.response.status_code': trace % 50 === 0 ? 500n : 200n,
      'net.peer.name': `10.0.${trace % 16}.${trace % 250}`,
    }),
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    statusCode: trace % 50 === 0 ? 2 : 0,
    statusMessage: '',
    resource,
    scope,
  };
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

async function timeMillis<T>(body: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await body();
  return [performance.now() - started, result];
}

// --reuse: query a store an earlier run filled with the same spanCount (loading 10M spans takes minutes).
const reuse = process.argv.includes('--reuse');
if (!reuse) {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
}
const store = await openDuckDbStore({ path });
const [writeMillis] = await timeMillis(async () => {
  if (reuse) return;
  const inFlight = new Set<Promise<void>>();
  for (let first = 0; first < spanCount; first += BATCH_SPANS) {
    const batch = Array.from({ length: Math.min(BATCH_SPANS, spanCount - first) }, (_, i) =>
      makeSpan(first + i),
    );
    const write = store.writeSpans(batch).finally(() => inFlight.delete(write));
    inFlight.add(write);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
});
if (!reuse) {
  console.log(
    `writes: ${spanCount} spans in ${(writeMillis / 1000).toFixed(1)} s = ${Math.round(spanCount / (writeMillis / 1000))} spans/s (generation included)`,
  );
}

await store.applyRetention({ maxAgeMillis: { traces: 0, metrics: 0, logs: 0 }, maxSizeBytes: 0 }); // checkpoints
const stats = await store.stats();
console.log(
  `disk: ${stats.sizeBytes} bytes = ${(stats.sizeBytes / spanCount).toFixed(1)} B/span (file), ${((await store.dataBytes()) / spanCount).toFixed(1)} B/span (used blocks)`,
);

const traceCount = Math.floor(spanCount / SPANS_PER_TRACE);
const latencies: number[] = [];
for (let i = 0; i < 200; i++) {
  const span = makeSpan(Math.floor(Math.random() * traceCount) * SPANS_PER_TRACE);
  const [millis, trace] = await timeMillis(() => store.getTrace(span.traceId));
  if (trace.length !== SPANS_PER_TRACE) throw new Error(`getTrace returned ${trace.length} spans`);
  latencies.push(millis);
}
latencies.sort((a, b) => a - b);
console.log(
  `getTrace: median ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${percentile(latencies, 0.99).toFixed(2)} ms`,
);

const searches: [string, TraceQuery][] = [
  [
    "ml.model.version = 'v3' AND service = 'svc-2'",
    {
      service: 'svc-2',
      attributes: [{ scope: 'span', key: 'ml.model.version', op: '=', value: 'v3' }],
      limit: 20,
    },
  ],
  [
    'ml.request.batch_size > 120',
    { attributes: [{ scope: 'span', key: 'ml.request.batch_size', op: '>', value: 120n }], limit: 20 },
  ],
  [
    "ml.prediction.class =~ 'class-[05]' AND status = ERROR",
    {
      statusCode: 2,
      attributes: [{ scope: 'span', key: 'ml.prediction.class', op: '=~', value: 'class-[05]' }],
      limit: 20,
    },
  ],
];
for (const [label, query] of searches) {
  const runs: number[] = [];
  let found = 0;
  for (let i = 0; i < 5; i++) {
    const [millis, result] = await timeMillis(() => store.searchTraces(query));
    runs.push(millis);
    found = result.length;
  }
  runs.sort((a, b) => a - b);
  console.log(`searchTraces ${label}: median ${percentile(runs, 0.5).toFixed(1)} ms (${found} traces)`);
}
await store.close();
