import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDurationNanos, requireDurationNanos } from './duration.ts';
import { InvalidParameterError } from './invalid-parameter-error.ts';
import { parseTimestampNanos } from './timestamp.ts';

const MICROS = 1_000n;
const durationCases: [text: string, plainUnitNanos: bigint, expected: bigint | undefined][] = [
  ['1.2s', MICROS, 1_200_000_000n],
  ['300ms', MICROS, 300_000_000n],
  ['5us', MICROS, 5_000n],
  ['5µs', MICROS, 5_000n],
  ['10ns', MICROS, 10n],
  ['1h30m', MICROS, 5_400_000_000_000n],
  ['.5s', MICROS, 500_000_000n],
  ['1.0000000001s', MICROS, 1_000_000_000n],
  ['2d', MICROS, 172_800_000_000_000n],
  ['250', MICROS, 250_000n],
  ['250', 1n, 250n],
  [' 7ms ', 1n, 7_000_000n],
  ['', MICROS, undefined],
  ['-5ms', MICROS, undefined],
  ['5', MICROS, 5_000n],
  ['5 ms', MICROS, undefined],
  ['1.2', MICROS, undefined],
  ['ms', MICROS, undefined],
  ['10x', MICROS, undefined],
  ['1e3ms', MICROS, undefined],
];

for (const [text, plainUnitNanos, expected] of durationCases) {
  void test(`parseDurationNanos(${JSON.stringify(text)}, ${plainUnitNanos}) → ${expected}`, () => {
    assert.equal(parseDurationNanos(text, plainUnitNanos), expected);
  });
}

void test('requireDurationNanos names the parameter but never echoes the value', () => {
  const secret = 'Bearer-abc123';
  assert.throws(
    () => requireDurationNanos('minDuration', secret, MICROS),
    (error: unknown) =>
      error instanceof InvalidParameterError &&
      error.parameter === 'minDuration' &&
      !error.message.includes(secret) &&
      error.message.includes('microseconds'),
  );
});

const timestampCases: [text: string, expected: bigint | undefined][] = [
  ['1732880000123456789', 1_732_880_000_123_456_789n],
  ['1970-01-01T00:00:01.5Z', 1_500_000_000n],
  ['2024-11-29T10:00:00.123456789Z', 1_732_874_400_123_456_789n],
  ['2024-11-29T12:00:00.000000001+02:00', 1_732_874_400_000_000_001n],
  ['2024-11-29T10:00:00Z', 1_732_874_400_000_000_000n],
  ['2024-11-29', undefined],
  ['2024-11-29T10:00:00.1234567891Z', undefined],
  ['2024-13-29T10:00:00Z', undefined],
  ['-5', undefined],
  ['99999999999999999999', undefined],
  ['yesterday', undefined],
];

for (const [text, expected] of timestampCases) {
  void test(`parseTimestampNanos(${JSON.stringify(text)}) → ${expected}`, () => {
    assert.equal(parseTimestampNanos(text), expected);
  });
}
