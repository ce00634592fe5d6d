import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { civilTime } from './civil-time.ts';
import {
  callVector,
  callVectorSamples,
  labelRecords,
  MINUTE_MS,
  recordingContext,
  sample,
  vectorOf,
} from './function-test-support.ts';

// Cases from Prometheus's functions.test ("Test time-related functions"), plus edge cases.

describe('time functions', () => {
  test('time() is the evaluation time in seconds', () => {
    assert.equal(callVector('time', [], recordingContext(1)), 0.001);
    assert.equal(callVector('time', [], recordingContext(50 * MINUTE_MS)), 3000);
  });

  test('without an argument, date functions read the evaluation time', () => {
    const at = (fn: string, timestampMs: number): unknown =>
      callVectorSamples(fn, [], recordingContext(timestampMs)).map((s) => [labelRecords([s])[0], s.value]);
    // prettier-ignore
    for (const [fn, expected] of [
      ['year', 1970],
      ['month', 1],
      ['day_of_month', 1],
      ['day_of_year', 1],
      ['day_of_week', 4],
      ['hour', 0],
      ['minute', 0],
      ['days_in_month', 31],
    ] as const) {
      assert.deepEqual(at(fn, 0), [[{}, expected]], fn);
    }
  });

  // prettier-ignore
  for (const [fn, seconds, expected] of [
    ['year', 1136239445, 2006],
    ['month', 1136239445, 1],
    ['day_of_month', 1136239445, 2],
    ['day_of_year', 1136239445, 2],
    ['day_of_week', 1136239445, 1],
    ['hour', 1136239445, 22],
    ['minute', 1136239445, 4],
    ['year', 1230767999, 2008],
    ['year', 1230768000, 2009],
    ['month', 1456790399, 2],
    ['day_of_month', 1456790399, 29],
    ['month', 1456790400, 3],
    ['day_of_month', 1456790400, 1],
    ['day_of_year', 1483191420, 366],
    ['day_of_year', 1672493820, 365],
    ['days_in_month', 1454284800, 29],
    ['days_in_month', 1485907200, 28],
    ['hour', 1136239445.999, 22],
    ['year', -1, 1969],
    ['day_of_week', -86400, 3],
  ] as const) {
    test(`${fn}(vector(${seconds})) = ${expected}`, () => {
      const [result] = callVectorSamples(fn, [vectorOf(sample({}, seconds))]);
      assert.equal(result?.value, expected);
    });
  }

  test('date functions drop the metric name and give NaN for values Go cannot convert', () => {
    const results = callVectorSamples('year', [
      vectorOf(sample({ __name__: 'ts', job: 'a' }, 0), sample({ __name__: 'ts', job: 'b' }, NaN)),
    ]);
    assert.deepEqual(labelRecords(results), [{ job: 'a' }, { job: 'b' }]);
    assert.equal(results[0]?.value, 1970);
    assert.ok(Number.isNaN(results[1]?.value));
  });

  test('timestamp() reads the sample timestamps and drops the name', () => {
    const input = vectorOf(
      sample({ __name__: 'metric' }, 1, 10_000),
      sample({ __name__: 'metric', a: 'b' }, 1, 0),
    );
    const results = callVectorSamples('timestamp', [input], recordingContext(15_000));
    assert.deepEqual(
      results.map((s) => [labelRecords([s])[0], s.value, s.timestampMs]),
      [
        [{}, 10, 15_000],
        [{ a: 'b' }, 0, 15_000],
      ],
    );
  });

  test('start, end, range and step read the query bounds', () => {
    const ctx = recordingContext(110_000, [], { startMs: 100_000, endMs: 130_000, stepMs: 10_000 });
    assert.deepEqual(
      ['start', 'end', 'range', 'step'].map((fn) => callVector(fn, [], ctx)),
      [100, 130, 30, 10],
    );
  });

  test('without query bounds they describe an instant query', () => {
    const ctx = recordingContext(100_000);
    assert.deepEqual(
      ['start', 'end', 'range', 'step'].map((fn) => callVector(fn, [], ctx)),
      [100, 100, 0, 0],
    );
  });
});

describe('civilTime', () => {
  test('matches Date within its range', () => {
    for (const seconds of [0, 951782400, 4107542399, -62135596800, -1, 253402300799, -8_000_000_000]) {
      const date = new Date(seconds * 1000);
      const civil = civilTime(seconds);
      assert.deepEqual(
        [civil?.year, civil?.month, civil?.day, civil?.hour, civil?.minute, civil?.dayOfWeek],
        [
          date.getUTCFullYear(),
          date.getUTCMonth() + 1,
          date.getUTCDate(),
          date.getUTCHours(),
          date.getUTCMinutes(),
          date.getUTCDay(),
        ],
        String(seconds),
      );
    }
  });

  test('is exact beyond Date and 2^53', () => {
    // 292277026596-12-04 15:30:07 UTC is the largest time Go can represent (2^63 - 1 seconds).
    const last = civilTime(2 ** 63 - 1024);
    assert.deepEqual([last?.year, last?.month, last?.day], [292277026596, 12, 4]);
    assert.equal(civilTime(1e16)?.year, 316889355);
  });

  test('rejects non-integers and values outside int64', () => {
    assert.equal(civilTime(0.5), undefined);
    assert.equal(civilTime(2 ** 63), undefined);
    assert.equal(civilTime(Infinity), undefined);
  });
});
