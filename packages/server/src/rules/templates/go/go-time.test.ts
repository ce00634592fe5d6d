import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationString, formatTime, timeString } from './go-time.ts';

/** time.Time.Format / String and time.Duration.String, as Go prints them. */

const T = 1435065584128000000n; // 2015-06-23 13:19:44.128 UTC, a Tuesday

describe('Time.Format', () => {
  const cases: readonly [string, string][] = [
    ['2006-01-02T15:04:05Z07:00', '2015-06-23T13:19:44Z'],
    ['2006-01-02T15:04:05.000-07:00', '2015-06-23T13:19:44.128+00:00'],
    ['Mon Jan _2 15:04:05 MST 2006', 'Tue Jun 23 13:19:44 UTC 2015'],
    ['Monday, 02-Jan-06 3:04PM', 'Tuesday, 23-Jun-15 1:19PM'],
    ['January 2, 2006 at 3:04:05 pm', 'June 23, 2015 at 1:19:44 pm'],
    ['2006 002 __2', '2015 174 174'],
    ['15:04:05.999999999', '13:19:44.128'],
    ['05.000000|05,0|05.9', '44.128000|44,1|44.1'],
    ['Janet Monsoon', 'Janet Monsoon'], // "Jan"/"Mon" followed by lower case are literal
    ['_2006', '_2015'],
    ['-0700 -07:00 -07 Z0700', '+0000 +00:00 +00 Z'],
  ];
  for (const [layout, want] of cases) it(layout, () => assert.equal(formatTime(T, layout), want));

  it('String() trims fractional zeros', () => {
    assert.equal(timeString(0n), '1970-01-01 00:00:00 +0000 UTC');
    assert.equal(timeString(-1_000_000_000n), '1969-12-31 23:59:59 +0000 UTC');
    assert.equal(timeString(1_500_000_000n), '1970-01-01 00:00:01.5 +0000 UTC');
    assert.equal(timeString(-62135596800n * 1_000_000_000n), '0001-01-01 00:00:00 +0000 UTC');
  });
});

describe('Duration.String', () => {
  const cases: readonly [bigint, string][] = [
    [0n, '0s'],
    [1n, '1ns'],
    [1_500n, '1.5µs'],
    [1_500_000n, '1.5ms'],
    [1_500_000_000n, '1.5s'],
    [90_000_000_000n, '1m30s'],
    [3_600_000_000_000n, '1h0m0s'],
    [1_800_000_000_000n, '30m0s'],
    [-3_723_000_000_001n, '-1h2m3.000000001s'],
  ];
  for (const [nanos, want] of cases) it(want, () => assert.equal(durationString(nanos), want));
});
