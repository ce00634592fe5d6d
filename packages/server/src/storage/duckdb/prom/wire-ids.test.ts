import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { markInterned } from '../../../model/interned-labels.ts';
import type { PromLabels } from '../../../model/prom-series.ts';
import { openDuckDbStore } from '../duckdb-store.ts';
import { encodeSeriesWrite } from './series-encoder.ts';
import { WireIdRegistry, WireSeries } from './wire-ids.ts';

const DAY_MS = 86_400_000;

function interned(record: Record<string, string>): PromLabels {
  const labels = new Map(Object.entries(record));
  markInterned(labels);
  return labels;
}

const sample = (labels: PromLabels, timeMs: number, value: number) => ({
  labels,
  timestampsMs: Float64Array.of(timeMs),
  values: Float64Array.of(value),
});

void test('wire ids: labels travel until acknowledged, then the id alone; per-write label Maps never get ids', () => {
  const registry = new WireIdRegistry();
  const known = interned({ __name__: 'up', job: 'a' });
  const fresh = new Map([
    ['__name__', 'up'],
    ['job', 'b'],
  ]);
  const first = encodeSeriesWrite([sample(known, 1, 1), sample(fresh, 1, 1)], [], registry);
  assert.deepEqual([...first.write.wireIds], [0, -1]);
  assert.deepEqual([...first.write.labelOffsets], [0, 4, 8]);
  // Not acknowledged yet (the write may not have reached the worker): labels again, same id.
  const again = encodeSeriesWrite([sample(known, 2, 1)], [], registry);
  assert.deepEqual([...again.write.labelOffsets], [0, 4]);
  registry.acknowledge(first.announced);
  const later = encodeSeriesWrite([sample(known, 3, 1), sample(fresh, 3, 1)], [], registry);
  assert.deepEqual([...later.write.wireIds], [0, -1]);
  assert.deepEqual([...later.write.labelOffsets], [0, 0, 4]);
  assert.deepEqual(later.announced, []);
});

void test('wire ids through a real store: id-only writes land in the right series, also after retention deleted it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-wire-ids-'));
  const store = await openDuckDbStore({ path: join(dir, 'vigil.duckdb') });
  try {
    const nowMs = Date.now();
    const a = interned({ __name__: 'gpu_temp', gpu: '0' });
    const b = interned({ __name__: 'gpu_temp', gpu: '1' });
    const old = nowMs - 3 * DAY_MS;
    assert.equal((await store.writeSamples([sample(a, old, 60), sample(b, old, 61)])).samplesWritten, 2);
    assert.equal(
      (await store.writeSamples([sample(a, old + 15_000, 62), sample(b, old + 15_000, 63)])).samplesWritten,
      2,
    );
    const matchers = [{ name: '__name__', type: '=' as const, value: 'gpu_temp' }];
    const before = await store.selectSeries(matchers, old - 1, nowMs);
    assert.deepEqual(
      before.map((s) => [s.labels.get('gpu'), [...s.values]]),
      [
        ['0', [60, 62]],
        ['1', [61, 63]],
      ],
    );
    // Retention deletes both series; the next id-only write must create them again from the labels.
    await store.applyRetention({
      maxAgeMillis: { traces: DAY_MS, metrics: DAY_MS, logs: DAY_MS },
      maxSizeBytes: 0,
    });
    assert.deepEqual(await store.selectSeries(matchers, old - 1, nowMs), []);
    assert.equal((await store.writeSamples([sample(a, nowMs, 70), sample(b, nowMs, 71)])).samplesWritten, 2);
    const after = await store.selectSeries(matchers, nowMs - 1, nowMs);
    assert.deepEqual(
      after.map((s) => [s.labels.get('gpu'), [...s.values]]),
      [
        ['0', [70]],
        ['1', [71]],
      ],
    );
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});

void test('a resolved wire id keeps the labels array it is given, so it shares the index copy', () => {
  const wire = new WireSeries();
  const announced = ['__name__', 'up', 'job', 'x'];
  const indexed = ['__name__', 'up', 'job', 'x'];
  wire.announce(3, announced);
  assert.equal(wire.labelsOf(3), announced);
  wire.setRef(3, 7, indexed);
  assert.equal(wire.labelsOf(3), indexed);
  assert.equal(wire.refOf(3), 7);
  // An id never announced gets a ref but no labels.
  wire.setRef(4, 8, indexed);
  assert.equal(wire.labelsOf(4), undefined);
  assert.equal(wire.refOf(4), 8);
});
