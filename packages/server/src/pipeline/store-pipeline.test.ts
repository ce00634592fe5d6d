import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeSpan } from '../storage/contract-fixtures.ts';
import { openDuckDbStore } from '../storage/duckdb/duckdb-store.ts';
import { OverloadedError, UnavailableError } from './errors.ts';
import { StorePipeline } from './store-pipeline.ts';

test('over maxPendingRecords a request is refused whole with a retry delay; nothing of it is stored', async () => {
  const store = await openDuckDbStore({
    path: join(mkdtempSync(join(tmpdir(), 'vigil-pipeline-')), 'v.duckdb'),
  });
  try {
    const pipeline = new StorePipeline(store, { maxPendingRecords: 3, retryAfterSeconds: 7 });
    const first = pipeline.consume('traces', [
      makeSpan({ trace: 1, span: 1 }),
      makeSpan({ trace: 2, span: 2 }),
    ]);
    const refused = pipeline.consume('traces', [
      makeSpan({ trace: 3, span: 3 }),
      makeSpan({ trace: 4, span: 4 }),
    ]);
    await assert.rejects(
      refused,
      (error: unknown) => error instanceof OverloadedError && error.retryAfterSeconds === 7,
    );
    await first;
    assert.equal((await store.stats()).rows.traces, 2);
    await pipeline.consume('traces', [makeSpan({ trace: 5, span: 5 }), makeSpan({ trace: 6, span: 6 })]);
    assert.equal((await store.stats()).rows.traces, 4, 'accepting again once the queue drained');

    pipeline.close();
    await assert.rejects(pipeline.consume('logs', []), UnavailableError);
  } finally {
    await store.close();
  }
});
