/**
 * Compacts a stopped Vigil's Prometheus samples now (rows → per-series chunk rows, ADR 0003), as
 * its worker would an hour after each 2 h window ends, and prints what it did as JSON.
 *
 *   node --import tsx bench/remote-write-compare/vigil-compact.ts DATA_DIR/vigil.duckdb
 */
import { openDuckDbStore } from '../../packages/server/src/storage/duckdb/duckdb-store.ts';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: vigil-compact.ts STORE_FILE');
const store = await openDuckDbStore({ path });
let samplesMoved: number;
try {
  samplesMoved = await store.compactPromSamples();
} finally {
  await store.close();
}
// DuckDB keeps the blocks compaction freed inside the file for later writes (it truncates only at
// the tail), so `du` overstates what compacted data needs; reopening after the closing checkpoint
// gives the blocks in use, the figure docs/adr/0003-prometheus-series.md reports.
const reopened = await openDuckDbStore({ path });
try {
  console.log(JSON.stringify({ samplesMoved, usedBytes: await reopened.dataBytes() }));
} finally {
  await reopened.close();
}
