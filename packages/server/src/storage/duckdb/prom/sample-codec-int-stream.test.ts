import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteSink, ByteSource, MAX_ZIGZAG_MAGNITUDE } from './sample-codec-bytes.ts';
import { intStreamBytes, readIntStream, skipZeroRun, writeIntStream } from './sample-codec-int-stream.ts';

function roundTrip(values: Float64Array): number {
  const sink = new ByteSink(16);
  sink.byte(0xee); // a neighbour before the stream
  writeIntStream(sink, values, 0, values.length);
  sink.byte(0xdd); // and one after it
  assert.equal(sink.length, 2 + intStreamBytes(values, 0, values.length), 'size estimate is exact');
  const source = new ByteSource();
  source.reset(sink.bytes.subarray(0, sink.length), 1);
  const out = new Float64Array(values.length + 2).fill(-1);
  readIntStream(source, out, 1, values.length);
  assert.deepEqual(out.subarray(1, values.length + 1), values);
  assert.equal(out[0], -1);
  assert.equal(out[values.length + 1], -1);
  assert.equal(source.byte(), 0xdd, 'reader stops exactly at the end of the stream');
  return sink.length - 2;
}

const maxWidthValues = (width: number): Float64Array =>
  Float64Array.from(
    { length: 40 },
    (_, i) => (i % 2 === 0 ? 1 : -1) * Math.floor(2 ** (width - 1) * ((i % 7) / 7)) + (i % 3),
  );

test('integer streams round-trip every width from 1 to 53 bits of magnitude', () => {
  for (let width = 1; width <= 53; width++) {
    const values = maxWidthValues(width).map((value) =>
      Math.max(-MAX_ZIGZAG_MAGNITUDE, Math.min(MAX_ZIGZAG_MAGNITUDE, value)),
    );
    roundTrip(values);
  }
  roundTrip(Float64Array.of(MAX_ZIGZAG_MAGNITUDE, -MAX_ZIGZAG_MAGNITUDE, 0, 1, -1));
});

test('integer streams fold repeats into runs and pick the smaller packing per group', () => {
  const cases: { name: string; values: Float64Array; maxBytes: number }[] = [
    { name: 'empty', values: new Float64Array(0), maxBytes: 0 },
    { name: '480 zeros: one run', values: new Float64Array(480), maxBytes: 2 },
    { name: '10,000 sevens: runs of 128 groups', values: new Float64Array(10_000).fill(7), maxBytes: 3 * 6 },
    {
      name: 'counter deltas 4…10: offsets of 3 bits',
      values: Float64Array.from({ length: 64 }, (_, i) => 4 + (i % 7)),
      maxBytes: 2 * (2 + 12),
    },
    {
      name: 'gauge deltas -1…1: zigzags of 2 bits',
      values: Float64Array.from({ length: 64 }, (_, i) => (i % 3) - 1),
      maxBytes: 2 * (1 + 8),
    },
    {
      name: 'a partial last group',
      values: Float64Array.from({ length: 33 }, (_, i) => i),
      maxBytes: 1 + 24 + 2,
    },
  ];
  for (const { name, values, maxBytes } of cases) {
    const bytes = roundTrip(values);
    assert.ok(bytes <= maxBytes, `${name}: ${bytes} bytes > ${maxBytes}`);
  }
});

test('skipZeroRun skips only a stream that is all zeros', () => {
  const cases: [string, Float64Array, boolean][] = [
    ['zeros', new Float64Array(100), true],
    ['ones', new Float64Array(100).fill(1), false],
    ['zeros then a one', Float64Array.from({ length: 100 }, (_, i) => (i === 99 ? 1 : 0)), false],
    ['more zeros than one run holds', new Float64Array(128 * 32 + 1), false],
  ];
  for (const [name, values, skipped] of cases) {
    const sink = new ByteSink(16);
    writeIntStream(sink, values, 0, values.length);
    const source = new ByteSource();
    source.reset(sink.bytes.subarray(0, sink.length), 0);
    assert.equal(skipZeroRun(source, values.length), skipped, name);
    assert.equal(source.pos, skipped ? sink.length : 0, name);
  }
});
