/**
 * ML analytics engine throughput: SDK-shaped inference traces (predict + 3 phases, seeded) through
 * MlAnalytics.consume, as every received span goes. Prints spans/s and µs per span; the engine runs
 * on the receiving thread, so its cost is a share of ingest (compare with bench/ingest.bench.ts).
 *
 *   node --import tsx bench/ml-engine.bench.ts [rounds]
 */
import { MlAnalytics } from '../packages/server/src/ml/engine/ml-analytics.ts';
import { T0_MS, workload } from '../packages/server/src/ml/engine/synthetic-spans.ts';

const rounds = Number(process.argv[2] ?? 30);
const engine = new MlAnalytics({ nowMs: () => T0_MS + 5 * 60_000 });
const spans = workload(9, 20_000, T0_MS, 5 * 60_000, [
  { version: '3.1.0', share: 0.9 },
  { version: '3.2.0', share: 0.1 },
]);
for (let r = 0; r < 3; r++) await engine.consume(spans); // warm-up: JIT and slot allocation
const started = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) await engine.consume(spans);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const total = rounds * spans.length;
console.log(
  `ml engine: ${total} spans in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)} spans/s, ` +
    `${((seconds * 1e6) / total).toFixed(2)} µs/span`,
);
