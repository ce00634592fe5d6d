/**
 * Test helper for duckdb-store.test.ts (not a test): opens a store, writes spans and Prometheus
 * samples (10 series × `sampleSteps`, one write per step: the sample WAL's path) in several
 * concurrent batches, prints "acked" once every write promise resolved, then waits to be killed.
 * Usage: node --import tsx durability-child.ts <db path> <span count> <sample steps>
 */
import { makeSpan } from '../contract-fixtures.ts';
import { openDuckDbStore } from './duckdb-store.ts';

const [path, countText, stepsText] = process.argv.slice(2);
const count = Number(countText);
const steps = Number(stepsText ?? 0);
const store = await openDuckDbStore({ path: path ?? '', threads: 1 });
const batches = Array.from({ length: 10 }, (_, b) =>
  Array.from({ length: count / 10 }, (_, i) => makeSpan({ trace: b * 100_000 + i + 1, span: 1 })),
);
const sampleWrites = Array.from({ length: steps }, (_, step) =>
  store.writeSamples(
    Array.from({ length: 10 }, (_, s) => ({
      labels: new Map([
        ['__name__', 'durable'],
        ['s', String(s)],
      ]),
      timestampsMs: Float64Array.of(1_764_662_400_000 + step * 15_000),
      values: Float64Array.of(step * 10 + s),
    })),
  ),
);
await Promise.all([...batches.map((spans) => store.writeSpans(spans)), ...sampleWrites]);
process.stdout.write('acked\n');
setInterval(() => undefined, 60_000);
