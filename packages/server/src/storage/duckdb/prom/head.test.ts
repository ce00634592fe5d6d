import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHUNK_WINDOW_MS } from './compaction-window.ts';
import type { ChunkRows } from './chunk-rows.ts';
import { HeadSamples } from './head.ts';

const STEP_MS = 15_000;
/** A window boundary, so series cross into the next window part way. */
const START_MS = 1_700_006_400_000 + CHUNK_WINDOW_MS - 200 * STEP_MS;

/** Samples as [timeMs, value] pairs per ref, the way a plain array model would keep them. */
type Model = Map<number, [number, number][]>;

function rowsToModel(rows: ChunkRows, minMs: number, maxMs: number): Model {
  const model: Model = new Map();
  for (let row = 0; row < rows.count; row++) {
    const start = rows.starts[row]!;
    const samples: [number, number][] = [];
    for (let i = start; i < start + rows.lengths[row]!; i++) {
      const timeMs = rows.timestampsMs[i]!;
      if (timeMs >= minMs && timeMs <= maxMs) samples.push([timeMs, rows.values[i]!]);
    }
    if (samples.length > 0) model.set(rows.refs[row]!, samples);
  }
  return model;
}

function expected(model: Model, minMs: number, maxMs: number): Model {
  const out: Model = new Map();
  for (const [ref, samples] of model) {
    const kept = samples.filter(([timeMs]) => timeMs >= minMs && timeMs <= maxMs);
    if (kept.length > 0) out.set(ref, kept);
  }
  return out;
}

/** Values of every kind the codec must keep bit for bit: decimals, counters, NaN, -0, ±Inf. */
function valueAt(ref: number, step: number): number {
  if (ref % 7 === 3 && step % 50 === 10) return NaN;
  if (ref % 5 === 1) return Math.sin(step * (ref + 1)) * 1e6;
  if (step % 97 === 0) return ref % 2 === 0 ? -0 : Infinity;
  return ref * 0.1 + step;
}

function fill(head: HeadSamples, refs: number, steps: number): Model {
  const model: Model = new Map();
  for (let step = 0; step < steps; step++)
    for (let ref = 0; ref < refs; ref++) {
      // Series start at different steps, so tails and chunks fill out of phase.
      if (step < ref % 40) continue;
      const timeMs = START_MS + step * STEP_MS + ref;
      head.append(ref, timeMs, valueAt(ref, step));
      const samples = model.get(ref) ?? [];
      samples.push([timeMs, valueAt(ref, step)]);
      model.set(ref, samples);
    }
  return model;
}

function sameSamples(actual: Model, wanted: Model): void {
  assert.deepEqual(
    [...actual.keys()].sort((a, b) => a - b),
    [...wanted.keys()].sort((a, b) => a - b),
  );
  for (const [ref, samples] of wanted) {
    const got = actual.get(ref)!;
    assert.equal(got.length, samples.length, `ref ${ref}`);
    // Object.is tells -0 from 0 and NaN equals NaN.
    samples.forEach(([timeMs, value], i) => {
      assert.equal(got[i]![0], timeMs);
      assert.ok(Object.is(got[i]![1], value), `ref ${ref} sample ${i}: ${got[i]![1]} vs ${value}`);
    });
  }
}

test('the head reads back every sample appended, in any range, across tails, chunks and windows', () => {
  const head = new HeadSamples();
  const model = fill(head, 60, 700);
  const total = [...model.values()].reduce((sum, samples) => sum + samples.length, 0);
  assert.equal(head.sampleCount, total);
  assert.ok(head.chunkStats.chunks > 60 * 4, 'samples were sealed into chunks');
  const refs = head.refs();
  assert.deepEqual(
    refs,
    [...model.keys()].sort((a, b) => a - b),
  );
  for (const [fromStep, toStep] of [
    [0, 700],
    [0, 31],
    [100, 101],
    [190, 210],
    [650, 700],
    [699, 2000],
  ] as const) {
    const minMs = START_MS + fromStep * STEP_MS;
    const maxMs = START_MS + toStep * STEP_MS - 1;
    sameSamples(rowsToModel(head.read(refs, minMs, maxMs), minMs, maxMs), expected(model, minMs, maxMs));
  }
  assert.equal(head.oldestMs, START_MS);
  assert.equal(head.newestMs, START_MS + 699 * STEP_MS + 59);
});

test('no chunk spans two compaction windows', () => {
  const head = new HeadSamples();
  fill(head, 3, 400);
  const boundaryMs = START_MS + 200 * STEP_MS;
  assert.equal(boundaryMs % CHUNK_WINDOW_MS, 0);
  // Read just before the boundary: no row may carry samples from after it.
  const rows = head.read([0], boundaryMs - 60_000, boundaryMs - 1);
  const last = rows.timestampsMs[rows.starts[0]! + rows.lengths[0]! - 1]!;
  assert.ok(last < boundaryMs, `a chunk read for the older window reaches ${last - boundaryMs} ms past it`);
});

test('trim drops exactly the samples before the cutoff, wherever it falls', () => {
  for (const cutStep of [0, 5, 33, 128, 200, 250, 699, 800]) {
    const head = new HeadSamples();
    const model = fill(head, 45, 700);
    const cutoffMs = START_MS + cutStep * STEP_MS + 20;
    const before = head.sampleCount;
    const removed = head.trim(cutoffMs);
    const wanted = expected(model, cutoffMs, Infinity);
    const left = [...wanted.values()].reduce((sum, samples) => sum + samples.length, 0);
    assert.equal(head.sampleCount, left, `cut at step ${cutStep}`);
    assert.equal(removed, before - left);
    sameSamples(rowsToModel(head.read(head.refs(), -Infinity, Infinity), -Infinity, Infinity), wanted);
    const oldest = Math.min(...[...wanted.values()].map((samples) => samples[0]![0]));
    assert.equal(head.oldestMs, oldest);
    // Appending after a trim carries on from where each series was.
    head.append(2, START_MS + 900 * STEP_MS, 42);
    const newMs = START_MS + 900 * STEP_MS;
    const tail = rowsToModel(head.read([2], newMs, Infinity), newMs, Infinity);
    assert.deepEqual(tail.get(2), [[newMs, 42]]);
  }
});

test('drop removes a series; its ref can take samples again', () => {
  const head = new HeadSamples();
  const model = fill(head, 10, 300);
  const dropped = head.drop(4);
  assert.equal(dropped, model.get(4)!.length);
  assert.equal(head.drop(4), 0);
  assert.equal(head.drop(10_000), 0);
  assert.ok(!head.refs().includes(4));
  model.delete(4);
  sameSamples(rowsToModel(head.read(head.refs(), -Infinity, Infinity), -Infinity, Infinity), model);
  head.append(4, START_MS, 1);
  assert.deepEqual(rowsToModel(head.read([4], -Infinity, Infinity), -Infinity, Infinity).get(4), [
    [START_MS, 1],
  ]);
});

test('dead chunk bytes are given back: pages stay within about twice the live bytes', () => {
  const head = new HeadSamples();
  // Random doubles encode to ~8 bytes a sample, so many seals rewrite sizeable chunks.
  for (let step = 0; step < 2_000; step++)
    for (let ref = 0; ref < 200; ref++)
      head.append(ref, START_MS + step * STEP_MS, Math.sin(step * ref + ref));
  const { liveBytes, allocatedBytes } = head.chunkStats;
  assert.ok(liveBytes > 2_000 * 200 * 4, `live ${liveBytes}`);
  assert.ok(
    allocatedBytes <= 2 * liveBytes + 2 * 262_144,
    `allocated ${allocatedBytes} for live ${liveBytes}`,
  );
  // And what repacking moved still reads back.
  const rows = head.read([7], START_MS + 1_000 * STEP_MS, START_MS + 1_000 * STEP_MS);
  assert.deepEqual(rowsToModel(rows, START_MS + 1_000 * STEP_MS, START_MS + 1_000 * STEP_MS).get(7), [
    [START_MS + 1_000 * STEP_MS, Math.sin(1_000 * 7 + 7)],
  ]);
});

test('the head holds regular samples in about a byte each, not 16', () => {
  const head = new HeadSamples();
  for (let step = 0; step < 480; step++)
    for (let ref = 0; ref < 1_000; ref++) head.append(ref, START_MS + step * STEP_MS, ref * 0.1 + step);
  const { liveBytes } = head.chunkStats;
  // Sealed chunks only (the last 0–31 samples of each series are raw).
  assert.ok(liveBytes / head.sampleCount < 1, `${liveBytes / head.sampleCount} bytes a sample`);
});
