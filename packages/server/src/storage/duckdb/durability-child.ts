/**
 * Test helper for duckdb-store.test.ts (not a test): opens a store, writes spans in several
 * concurrent batches, prints "acked" once every write promise resolved, then waits to be killed.
 * Usage: node --import tsx durability-child.ts <db path> <span count>
 */
import { makeSpan } from '../contract-fixtures.ts';
import { openDuckDbStore } from './duckdb-store.ts';

const [path, countText] = process.argv.slice(2);
const count = Number(countText);
const store = await openDuckDbStore({ path: path ?? '', threads: 1 });
const batches = Array.from({ length: 10 }, (_, b) =>
  Array.from({ length: count / 10 }, (_, i) => makeSpan({ trace: b * 100_000 + i + 1, span: 1 })),
);
await Promise.all(batches.map((spans) => store.writeSpans(spans)));
process.stdout.write('acked\n');
setInterval(() => undefined, 60_000);
