import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeSamplesInto,
  encodedSampleCount,
  encodeSamples,
  SAMPLE_CODEC_VERSION,
  sampleBlockInfo,
  type SampleBlockInfo,
} from './sample-codec.ts';

const T0_MS = 1_760_000_000_000;
const STEP_MS = 15_000;

/** A double from its 64-bit pattern, built in memory so no JS number canonicalises the NaN. */
function fromBits(high: number, low: number): Float64Array {
  const double = new Float64Array(1);
  const words = new DataView(double.buffer);
  words.setUint32(0, low, true);
  words.setUint32(4, high, true);
  return double;
}

/** values with the doubles of `patterns` ([high, low] words) written over positions `at`. */
function withBits(values: Float64Array, at: number[], patterns: [number, number][]): Float64Array {
  const out = values.slice();
  at.forEach((position, k) => out.set(fromBits(...patterns[k % patterns.length]!), position));
  return out;
}

/** Deterministic uniform [0, 1). */
function unit(seed: number, index: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4_294_967_296;
}

function regularTimes(count: number): Float64Array {
  return Float64Array.from({ length: count }, (_, i) => T0_MS + i * STEP_MS);
}

function series(count: number, valueAt: (i: number, previous: number) => number): Float64Array {
  const values = new Float64Array(count);
  let previous = 0;
  for (let i = 0; i < count; i++) values[i] = previous = valueAt(i, previous);
  return values;
}

const STALE = [0x7ff00000, 2] as [number, number];
const STALE_QUIET = [0x7ff80000, 2] as [number, number];
const EDGE_PATTERNS: [number, number][] = [
  STALE,
  STALE_QUIET,
  [0x7ff80000, 0], // canonical NaN
  [0xfff80000, 0], // negative NaN
  [0x7ff12345, 0x6789abcd], // signalling NaN with payload
  [0xffffffff, 0xffffffff], // all-ones NaN
  [0x80000000, 0], // -0
  [0, 0], // +0
  [0x7ff00000, 0], // +Inf
  [0xfff00000, 0], // -Inf
  [0, 1], // smallest subnormal
  [0x000fffff, 0xffffffff], // largest subnormal
  [0x80000000, 1], // negative subnormal
  [0x7fefffff, 0xffffffff], // largest double
  [0xffefffff, 0xffffffff], // most negative double
  [0x43400000, 0], // 2^53
  [0x43400000, 1], // 2^53 + 2
];

function sameBits(expected: Float64Array, actual: Float64Array, offset: number): boolean {
  const left = new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength);
  const right = new Uint8Array(actual.buffer, actual.byteOffset + offset * 8, expected.byteLength);
  return Buffer.compare(left, right) === 0;
}

/** Encodes, decodes at an offset between sentinels and asserts every bit came back; returns the block. */
function assertRoundTrip(timestampsMs: Float64Array, values: Float64Array): Uint8Array {
  const block = encodeSamples(timestampsMs, values);
  const count = timestampsMs.length;
  assert.equal(block[0], SAMPLE_CODEC_VERSION);
  assert.equal(encodedSampleCount(block), count);
  const offset = 3;
  const decodedTimes = new Float64Array(count + 5).fill(-7);
  const decodedValues = new Float64Array(count + 5).fill(-7);
  assert.equal(decodeSamplesInto(block, decodedTimes, decodedValues, offset), count);
  assert.ok(sameBits(timestampsMs, decodedTimes, offset), 'timestamps differ');
  assert.ok(sameBits(values, decodedValues, offset), 'values differ');
  for (const at of [0, 1, 2, count + 3, count + 4]) {
    assert.equal(decodedTimes[at], -7, 'wrote outside its range');
    assert.equal(decodedValues[at], -7, 'wrote outside its range');
  }
  return block;
}

interface Case {
  name: string;
  timestampsMs: Float64Array;
  values: Float64Array;
  /** Largest acceptable size: the compression this shape must keep. */
  maxBytesPerSample?: number;
}

const n = 480;
const cases: Case[] = [
  { name: 'empty block', timestampsMs: new Float64Array(0), values: new Float64Array(0) },
  { name: 'one sample', timestampsMs: Float64Array.of(T0_MS), values: Float64Array.of(42) },
  { name: 'one stale sample', timestampsMs: Float64Array.of(T0_MS), values: fromBits(...STALE) },
  { name: 'two samples', timestampsMs: Float64Array.of(-5, 7), values: Float64Array.of(0.1, -0.2) },
  { name: 'three samples', timestampsMs: Float64Array.of(0, 1, 3), values: Float64Array.of(1, 1, 2) },
  {
    name: 'edge doubles, one after another',
    timestampsMs: regularTimes(EDGE_PATTERNS.length * 3),
    values: withBits(
      new Float64Array(EDGE_PATTERNS.length * 3),
      Array.from({ length: EDGE_PATTERNS.length * 3 }, (_, i) => i),
      EDGE_PATTERNS,
    ),
  },
  {
    name: 'edge doubles among decimals (exceptions)',
    timestampsMs: regularTimes(n),
    values: withBits(
      series(n, (i) => i * 0.5),
      [3, 50, 51, 200, 479],
      EDGE_PATTERNS.slice(0, 9),
    ),
    maxBytesPerSample: 0.3,
  },
  {
    name: 'counter with stale markers mid-series',
    timestampsMs: regularTimes(n),
    values: withBits(
      series(n, (i, p) => p + 3 + (i % 4)),
      [100, 101, 102, 300],
      [STALE, STALE_QUIET],
    ),
    maxBytesPerSample: 0.5,
  },
  {
    name: 'counter with resets',
    timestampsMs: regularTimes(n),
    values: series(n, (i, p) => (i % 160 === 0 ? 0 : p + Math.floor(10 * unit(1, i)))),
    // Two resets in 480 samples: each widens one group of 32 deltas to the reset's size.
    maxBytesPerSample: 0.75,
  },
  {
    name: 'histogram bucket counters',
    timestampsMs: regularTimes(n),
    values: series(n, (i, p) => p + Math.floor(30 * unit(2, i) * unit(3, i))),
    maxBytesPerSample: 0.8,
  },
  {
    name: 'remote-write benchmark values (i * 0.1 + step), a clean series',
    timestampsMs: regularTimes(n),
    values: series(n, (step) => 1234 * 0.1 + step),
    maxBytesPerSample: 0.1,
  },
  {
    name: 'remote-write benchmark values one ulp off their decimals',
    timestampsMs: regularTimes(n),
    values: series(n, (step) => 9999 * 0.1 + step),
    maxBytesPerSample: 0.1,
  },
  {
    name: 'integer gauge (DCGM temperature)',
    timestampsMs: regularTimes(n),
    values: series(n, (i, p) => (i === 0 ? 61 : p + (unit(4, i) < 0.15 ? (unit(5, i) < 0.5 ? -1 : 1) : 0))),
    maxBytesPerSample: 0.5,
  },
  {
    name: 'fractional gauge cycling through 0.95, 0.123456789, 0.5',
    timestampsMs: regularTimes(n),
    values: series(n, (i) => [0.95, 0.123456789, 0.5][i % 3]!),
    maxBytesPerSample: 0.5,
  },
  {
    name: 'fractional gauge with 3 decimals',
    timestampsMs: regularTimes(n),
    values: series(n, (i) => Math.round((50 + 40 * Math.sin(i / 30) + unit(6, i)) * 1000) / 1000),
    maxBytesPerSample: 2,
  },
  {
    name: 'large integers past 2^53 and tiny decimals',
    timestampsMs: regularTimes(n),
    values: series(n, (i) => (i % 2 === 0 ? 2 ** 60 + i * 2 ** 20 : 1.5e-20 * i)),
  },
  {
    name: 'random doubles (Gorilla fallback)',
    timestampsMs: regularTimes(n),
    values: series(n, (i) => (unit(7, i) - 0.5) * 2 ** (unit(8, i) * 200 - 100)),
    maxBytesPerSample: 9,
  },
  {
    name: 'full-precision random walk',
    timestampsMs: regularTimes(n),
    values: series(n, (i, p) => (i === 0 ? 100 : p + unit(9, i) - 0.5)),
    maxBytesPerSample: 7.5,
  },
  {
    name: 'irregular timestamps (missed scrapes, jitter)',
    timestampsMs: series(n, (i, p) =>
      i === 0 ? T0_MS : p + STEP_MS * (unit(10, i) < 0.05 ? 3 : 1) + Math.round(unit(11, i) * 10) - 5,
    ),
    values: series(n, (i) => i),
    maxBytesPerSample: 1.2,
  },
  {
    name: 'negative timestamps',
    timestampsMs: Float64Array.from({ length: n }, (_, i) => -1_000_000_000 + i * 1000),
    values: series(n, (i) => -i),
    maxBytesPerSample: 0.2,
  },
  {
    name: 'timestamps at ±2^53',
    timestampsMs: Float64Array.of(-(2 ** 53), -(2 ** 53) + 1, -1, 0, 1, 2 ** 53 - 1, 2 ** 53),
    values: Float64Array.of(1, 2, 3, 4, 5, 6, 7),
  },
  {
    name: 'non-integral and -0 timestamps (raw fallback)',
    timestampsMs: Float64Array.of(-0, 0.5, 1.25, 2 ** 60),
    values: Float64Array.of(1, 2, 3, 4),
  },
  {
    name: 'a -0 timestamp among integers',
    timestampsMs: Float64Array.of(-10, -0, 10),
    values: Float64Array.of(1, 2, 3),
  },
  {
    name: 'values one ulp below decimals whose low word is 0 (correction borrows from the high word)',
    timestampsMs: regularTimes(n),
    values: series(n, (i) => [1 - 2 ** -53, 2 - 2 ** -52, 1 + 2 ** -52, 0.5 - 2 ** -54, 3][i % 5]!),
  },
  {
    name: 'long block: 10k samples',
    timestampsMs: regularTimes(10_000),
    values: series(10_000, (i, p) => p + 1 + (i % 7)),
    maxBytesPerSample: 0.05,
  },
  {
    name: 'long block of random doubles with stale markers',
    timestampsMs: regularTimes(10_000),
    values: withBits(
      series(10_000, (i) => unit(12, i) * 1e6),
      [0, 5000, 9999],
      [STALE],
    ),
  },
  {
    name: 'constant values',
    timestampsMs: regularTimes(n),
    values: new Float64Array(n).fill(1),
    maxBytesPerSample: 0.05,
  },
];

for (const { name, timestampsMs, values, maxBytesPerSample } of cases) {
  test(`sample codec round-trips bit for bit: ${name}`, () => {
    const block = assertRoundTrip(timestampsMs, values);
    if (maxBytesPerSample !== undefined) {
      const bytesPerSample = block.length / timestampsMs.length;
      assert.ok(
        bytesPerSample <= maxBytesPerSample,
        `${bytesPerSample.toFixed(3)} bytes/sample > ${maxBytesPerSample}`,
      );
    }
  });
}

test('sample codec packs blocks back to back into one pair of arrays', () => {
  const blocks = cases.map(({ timestampsMs, values }) => encodeSamples(timestampsMs, values));
  const total = blocks.reduce((sum, block) => sum + encodedSampleCount(block), 0);
  const timestampsMs = new Float64Array(total);
  const values = new Float64Array(total);
  let at = 0;
  for (const block of blocks) at += decodeSamplesInto(block, timestampsMs, values, at);
  assert.equal(at, total);
  at = 0;
  for (const c of cases) {
    assert.ok(sameBits(c.timestampsMs, timestampsMs, at) && sameBits(c.values, values, at), c.name);
    at += c.timestampsMs.length;
  }
});

test('sample codec output does not change when its scratch buffers are reused', () => {
  const timestampsMs = regularTimes(n);
  const values = series(n, (i) => unit(13, i));
  const first = encodeSamples(timestampsMs, values);
  encodeSamples(
    regularTimes(20_000),
    series(20_000, (i) => i),
  );
  assert.deepEqual(encodeSamples(timestampsMs, values), first);
});

test('sample codec refuses what it cannot read or hold', () => {
  const block = encodeSamples(
    regularTimes(n),
    series(n, (i) => i * 0.25),
  );
  const roomy = new Float64Array(n);
  const cases: [string, () => unknown, RegExp][] = [
    ['unequal lengths', () => encodeSamples(new Float64Array(2), new Float64Array(3)), /differ in length/],
    ['unknown version', () => decodeSamplesInto(Uint8Array.of(99, 0, 0), roomy, roomy, 0), /version 99/],
    ['no room', () => decodeSamplesInto(block, new Float64Array(n - 1), roomy, 0), /too short/],
    ['no room past offset', () => decodeSamplesInto(block, roomy, roomy, 1), /too short/],
    [
      'truncated',
      () => decodeSamplesInto(block.subarray(0, block.length - 2), roomy, new Float64Array(n), 0),
      /truncated/,
    ],
    ['empty', () => encodedSampleCount(new Uint8Array(0)), /truncated/],
  ];
  for (const [name, run, message] of cases) assert.throws(run, message, name);
});

test('sample codec picks the value codec, timestamp form and deflate per block', () => {
  const cases: [string, Float64Array, Float64Array, Omit<SampleBlockInfo, 'count'>][] = [
    [
      'decimals',
      regularTimes(n),
      series(n, (i) => i / 4),
      { valueCodec: 'decimal', rawTimestamps: false, deflated: false },
    ],
    [
      'random doubles',
      regularTimes(n),
      series(n, (i) => unit(14, i) * 1e300),
      { valueCodec: 'gorilla', rawTimestamps: false, deflated: false },
    ],
    [
      'cycling fractions',
      regularTimes(n),
      series(n, (i) => [0.95, 0.123456789, 0.5][i % 3]!),
      { valueCodec: 'decimal', rawTimestamps: false, deflated: true },
    ],
    [
      'fractional timestamps',
      Float64Array.of(0.5, 1.5),
      Float64Array.of(1, 2),
      { valueCodec: 'decimal', rawTimestamps: true, deflated: false },
    ],
  ];
  for (const [name, timestampsMs, values, expected] of cases) {
    const { count, ...info } = sampleBlockInfo(encodeSamples(timestampsMs, values));
    assert.equal(count, timestampsMs.length, name);
    assert.deepEqual(info, expected, name);
  }
});

test('sample codec reads and writes subarray views at their own offsets', () => {
  const timestampsMs = regularTimes(n + 10);
  const values = withBits(
    series(n + 10, (i) => unit(15, i)),
    [7, 100],
    [STALE],
  );
  const block = encodeSamples(timestampsMs.subarray(5, n + 5), values.subarray(5, n + 5));
  const decodedTimes = new Float64Array(n + 10);
  const decodedValues = new Float64Array(n + 10);
  decodeSamplesInto(block, decodedTimes.subarray(2), decodedValues.subarray(2), 1);
  assert.ok(sameBits(timestampsMs.subarray(5, n + 5), decodedTimes, 3));
  assert.ok(sameBits(values.subarray(5, n + 5), decodedValues, 3));
});
