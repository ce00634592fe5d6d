import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_TIME_MS,
  MIN_TIME_MS,
  durationParam,
  limitParam,
  lookbackDeltaParam,
  parseDurationNanos,
  parseTimeMs,
  requiredTimeParam,
  timeParam,
} from './prom-params.ts';

test('parseTimeMs reads Unix seconds (rounded to ms) and RFC 3339 (truncated to ms) as Prometheus', () => {
  const rows: [string, number][] = [
    ['0', 0],
    ['1700000000', 1_700_000_000_000],
    ['1700000000.123', 1_700_000_000_123],
    ['1700000000.1235', 1_700_000_000_124],
    ['0.0005', 1],
    ['-0.0005', -1],
    ['-1.5', -1500],
    ['1e3', 1_000_000],
    ['.5', 500],
    ['+2', 2000],
    ['2023-11-14T22:13:20Z', 1_700_000_000_000],
    ['2023-11-14T22:13:20.9999Z', 1_700_000_000_999],
    ['2023-11-15T00:13:20.5+02:00', 1_700_000_000_500],
    ['1969-12-31T23:59:59.5Z', -500],
    ['0001-01-01T00:00:00Z', -62_135_596_800_000],
    ['2024-02-29T00:00:00Z', 1_709_164_800_000],
    ['-292273086-05-16T16:47:06Z', MIN_TIME_MS],
    ['292277025-08-18T07:12:54.999999999Z', MAX_TIME_MS],
  ];
  for (const [text, want] of rows) assert.equal(parseTimeMs(text), want, text);
});

test('parseTimeMs refuses what Go refuses, with Prometheus wording', () => {
  for (const text of [
    '',
    'x',
    'now',
    '1h',
    'Inf',
    'NaN',
    '1e400',
    '2023-02-29T00:00:00Z',
    '2023-11-14 22:13:20Z',
    '2023-11-14T22:13:20',
    '0x10',
    '1_000',
  ]) {
    assert.throws(
      () => parseTimeMs(text),
      { message: `cannot parse ${JSON.stringify(text)} to a valid timestamp` },
      text,
    );
  }
});

test('time parameters wrap the cause as invalidParamError and parseTimeParam do', () => {
  const params = new URLSearchParams('time=x&start=y');
  assert.throws(() => timeParam(params, 'time', 0), {
    type: 'bad_data',
    message: `invalid parameter "time": Invalid time value for 'time': cannot parse "x" to a valid timestamp`,
  });
  assert.throws(() => requiredTimeParam(params, 'start'), {
    message: 'invalid parameter "start": cannot parse "y" to a valid timestamp',
  });
  assert.throws(() => requiredTimeParam(params, 'end'), {
    message: 'invalid parameter "end": cannot parse "" to a valid timestamp',
  });
  assert.equal(timeParam(params, 'end', 42), 42);
});

test('parseDurationNanos reads float seconds and Prometheus durations', () => {
  const rows: [string, number][] = [
    ['15', 15e9],
    ['0.5', 5e8],
    ['1e-3', 1e6],
    ['-1', -1e9],
    ['0', 0],
    ['5m', 300e9],
    ['1h30m', 5400e9],
    ['1d', 86_400e9],
    ['100ms', 1e8],
  ];
  for (const [text, want] of rows) assert.equal(parseDurationNanos(text), want, text);
  assert.ok(Number.isNaN(parseDurationNanos('NaN')));
  assert.throws(() => parseDurationNanos('abc'), { message: 'cannot parse "abc" to a valid duration' });
  assert.throws(() => parseDurationNanos('1.5h'), { message: 'cannot parse "1.5h" to a valid duration' });
  assert.throws(() => parseDurationNanos('1e10'), {
    message: 'cannot parse "1e10" to a valid duration. It overflows int64',
  });
  assert.throws(() => durationParam(new URLSearchParams('step=abc'), 'step'), {
    message: 'invalid parameter "step": cannot parse "abc" to a valid duration',
  });
  assert.equal(durationParam(new URLSearchParams(''), 'step'), undefined);
  assert.throws(() => lookbackDeltaParam(new URLSearchParams('lookback_delta=x')), {
    type: 'bad_data',
    message: 'error parsing lookback delta duration: cannot parse "x" to a valid duration',
  });
});

test('limitParam follows parseLimitParam and strconv.Atoi wording', () => {
  assert.equal(limitParam(new URLSearchParams('')), 0);
  assert.equal(limitParam(new URLSearchParams('limit=25')), 25);
  assert.throws(() => limitParam(new URLSearchParams('limit=-1')), {
    message: 'invalid parameter "limit": limit must be non-negative',
  });
  assert.throws(() => limitParam(new URLSearchParams('limit=1.5')), {
    message: 'invalid parameter "limit": strconv.Atoi: parsing "1.5": invalid syntax',
  });
  assert.throws(() => limitParam(new URLSearchParams('limit=99999999999999999999')), {
    message: 'invalid parameter "limit": strconv.Atoi: parsing "99999999999999999999": value out of range',
  });
});
