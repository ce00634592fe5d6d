import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteSink, ByteSource } from './sample-codec-bytes.ts';
import { gorillaBytes, readGorilla, writeGorilla } from './sample-codec-gorilla.ts';

/** Doubles from [high, low] word pairs, built in memory so NaN payloads stay as given. */
function doubles(patterns: [number, number][]): Float64Array {
  const out = new Float64Array(patterns.length);
  const view = new DataView(out.buffer);
  patterns.forEach(([high, low], i) => {
    view.setUint32(i * 8, low, true);
    view.setUint32(i * 8 + 4, high, true);
  });
  return out;
}

const cases: [string, [number, number][]][] = [
  ['one value', [[0x7ff00000, 2]]],
  [
    'repeats',
    [
      [0x40590000, 0],
      [0x40590000, 0],
      [0x40590000, 0],
    ],
  ],
  [
    'only the sign bit flips',
    [
      [0x3ff00000, 0],
      [0xbff00000, 0],
      [0x3ff00000, 0],
    ],
  ],
  [
    'only the lowest bit flips',
    [
      [0x3ff00000, 0],
      [0x3ff00000, 1],
      [0x3ff00000, 0],
    ],
  ],
  [
    'all 64 bits flip (length 64, written as 0)',
    [
      [0x55555555, 0x55555555],
      [0xaaaaaaaa, 0xaaaaaaaa],
      [0x55555555, 0x55555555],
    ],
  ],
  [
    'a window reused, then a narrower XOR inside it',
    [
      [0x40000000, 0x0000ff00],
      [0x40000000, 0x00ff0000],
      [0x40000000, 0x00f00000],
    ],
  ],
  [
    'leading zeros past 31 are capped',
    [
      [0, 0],
      [0, 0x80000000],
      [0, 1],
    ],
  ],
  [
    'stale markers between values',
    [
      [0x40590000, 0],
      [0x7ff00000, 2],
      [0x7ff80000, 2],
      [0x40590000, 0],
    ],
  ],
  [
    'values crossing the word boundary',
    [
      [0x00000001, 0x80000000],
      [0x00000002, 0x00000001],
      [0xffffffff, 0xffffffff],
    ],
  ],
];

test('Gorilla round-trips bit patterns of every window shape and its size estimate is exact', () => {
  for (const [name, patterns] of cases) {
    const values = doubles(patterns);
    const sink = new ByteSink(16);
    writeGorilla(sink, values, values.length);
    assert.equal(sink.length, gorillaBytes(values, values.length), name);
    const source = new ByteSource();
    source.reset(sink.bytes.subarray(0, sink.length), 0);
    const out = new Float64Array(values.length + 1);
    readGorilla(source, out, 1, values.length);
    assert.deepEqual(new Uint8Array(out.buffer, 8), new Uint8Array(values.buffer), name);
    assert.equal(source.pos, sink.length, `${name}: reads exactly what was written`);
  }
});

test('Gorilla spends one bit on a repeated value', () => {
  const values = new Float64Array(801).fill(42.5);
  assert.equal(gorillaBytes(values, values.length), 8 + 100);
});
