import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertClose,
  callRange,
  loadSeries,
  MINUTE_MS,
  recordingContext,
  SECOND_MS,
  windowAt,
} from './function-test-support.ts';

// Cases from Prometheus's promql/promqltest/testdata/functions.test, evaluated by hand.

interface Case {
  name: string;
  fn: string;
  load: string;
  intervalMs: number;
  atMs: number;
  rangeMs: number;
  offsetMs?: number;
  /** undefined: no output sample. */
  expected: number | undefined;
}

const M5 = 5 * MINUTE_MS;

// prettier-ignore
const CASES: Case[] = [
  // resets() and changes() over `http_requests`.
  { name: 'resets: window holds no sample', fn: 'resets', load: '1 2 3 0 1 0 0 1 2 0', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: M5, expected: undefined },
  { name: 'resets: one sample', fn: 'resets', load: '1 2 3 0 1 0 0 1 2 0', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 10 * MINUTE_MS, expected: 0 },
  { name: 'resets [20m]', fn: 'resets', load: '1 2 3 0 1 0 0 1 2 0', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 20 * MINUTE_MS, expected: 1 },
  { name: 'resets [32m]', fn: 'resets', load: '1 2 3 0 1 0 0 1 2 0', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 32 * MINUTE_MS, expected: 2 },
  { name: 'resets [50m] /foo', fn: 'resets', load: '1 2 3 0 1 0 0 1 2 0', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 50 * MINUTE_MS, expected: 3 },
  { name: 'resets [50m] /bar', fn: 'resets', load: '1 2 3 4 5 1 2 3 4 5', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 50 * MINUTE_MS, expected: 1 },
  { name: 'changes [50m] /foo', fn: 'changes', load: '1 2 3 0 1 0 0 1 2 0', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 50 * MINUTE_MS, expected: 7 },
  { name: 'changes [50m] /bar', fn: 'changes', load: '1 2 3 4 5 1 2 3 4 5', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 50 * MINUTE_MS, expected: 8 },
  { name: 'changes [30m] /bar', fn: 'changes', load: '1 2 3 4 5 1 2 3 4 5', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 30 * MINUTE_MS, expected: 4 },
  { name: 'changes: NaN to NaN is no change', fn: 'changes', load: 'NaN NaN NaN', intervalMs: M5, atMs: 15 * MINUTE_MS, rangeMs: 20 * MINUTE_MS, expected: 0 },
  { name: 'changes: number to NaN and back', fn: 'changes', load: '0 NaN 0', intervalMs: M5, atMs: 15 * MINUTE_MS, rangeMs: 20 * MINUTE_MS, expected: 2 },

  // increase(): extrapolation to the window edges and the counter's zero point.
  { name: 'increase /foo', fn: 'increase', load: '0+10x10', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 50 * MINUTE_MS, expected: 100 },
  { name: 'increase with reset /bar', fn: 'increase', load: '0+18x5 0+18x5', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 50 * MINUTE_MS, expected: 160 },
  { name: 'increase /dings', fn: 'increase', load: '10+10x10', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 50 * MINUTE_MS, expected: 100 },
  { name: 'increase [100m] /bar: no extrapolation below zero', fn: 'increase', load: '0+18x5 0+18x5', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 100 * MINUTE_MS, expected: 162 },
  { name: 'increase [100m] /dings: half an interval', fn: 'increase', load: '10+10x10', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 100 * MINUTE_MS, expected: 105 },
  { name: 'increase [100m] /bumms: up to the zero point', fn: 'increase', load: '1+10x10', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 100 * MINUTE_MS, expected: 101 },
  { name: 'increase: a drop restarts from zero', fn: 'increase', load: '0 1 2 3 2 3 4', intervalMs: M5, atMs: 30 * MINUTE_MS, rangeMs: 30 * MINUTE_MS, expected: 7 },

  // rate().
  { name: 'rate with reset in the middle', fn: 'rate', load: '0+27x4 0+27x5', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 50 * MINUTE_MS, expected: 0.08 },
  { name: 'rate: one sample after reset at the end', fn: 'rate', load: '0+10x9 0 10', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: M5, expected: undefined },
  { name: 'rate: reset at the end', fn: 'rate', load: '0+10x9 0 10', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 6 * MINUTE_MS, expected: 0 },
  { name: 'rate per second', fn: 'rate', load: '0+80x10', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 50 * MINUTE_MS, expected: 0.26666666666666666 },
  { name: 'rate with offset', fn: 'rate', load: '0+10x10', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 10 * MINUTE_MS, offsetMs: M5, expected: 0.03333333333333333 },
  { name: 'rate zero cutoff start=0m', fn: 'rate', load: '0+240x10', intervalMs: 4 * MINUTE_MS, atMs: 10 * MINUTE_MS, rangeMs: 20 * MINUTE_MS, expected: 0.5 },
  { name: 'rate zero cutoff start=1m', fn: 'rate', load: '60+240x10', intervalMs: 4 * MINUTE_MS, atMs: 10 * MINUTE_MS, rangeMs: 20 * MINUTE_MS, expected: 0.55 },
  { name: 'rate zero cutoff start=2m', fn: 'rate', load: '120+240x10', intervalMs: 4 * MINUTE_MS, atMs: 10 * MINUTE_MS, rangeMs: 20 * MINUTE_MS, expected: 0.6 },
  { name: 'rate zero cutoff start=5m', fn: 'rate', load: '300+240x10', intervalMs: 4 * MINUTE_MS, atMs: 10 * MINUTE_MS, rangeMs: 20 * MINUTE_MS, expected: 0.6 },
  { name: 'rate half-interval cutoff', fn: 'rate', load: '0+240x10', intervalMs: 4 * MINUTE_MS, atMs: 50 * MINUTE_MS, rangeMs: 20 * MINUTE_MS, expected: 0.6 },

  // delta() is not a counter: no reset handling, no zero cutoff.
  { name: 'delta up', fn: 'delta', load: '0 50 100 150 200', intervalMs: M5, atMs: 20 * MINUTE_MS, rangeMs: 20 * MINUTE_MS, expected: 200 },
  // Extrapolation reaches an edge within 1.1 average intervals, else stops half an interval out.
  { name: 'delta extrapolates to a close edge', fn: 'delta', load: '0 10 20 30', intervalMs: 10 * SECOND_MS, atMs: 30 * SECOND_MS, rangeMs: 40_500, expected: 40.5 },
  { name: 'delta stops short of a far edge', fn: 'delta', load: '0 10 20 30', intervalMs: 10 * SECOND_MS, atMs: 30 * SECOND_MS, rangeMs: 42 * SECOND_MS, expected: 35 },
  { name: 'delta down', fn: 'delta', load: '200 150 100 50 0', intervalMs: M5, atMs: 20 * MINUTE_MS, rangeMs: 20 * MINUTE_MS, expected: -200 },

  // irate() and idelta(): the last two samples.
  { name: 'irate', fn: 'irate', load: '0+10x10', intervalMs: M5, atMs: 50 * MINUTE_MS, rangeMs: 50 * MINUTE_MS, expected: 0.03333333333333333 },
  { name: 'irate over a reset', fn: 'irate', load: '0+10x5 0+10x5', intervalMs: M5, atMs: 30 * MINUTE_MS, rangeMs: 50 * MINUTE_MS, expected: 0 },
  { name: 'irate: one sample', fn: 'irate', load: '1 NaN NaN 5 11', intervalMs: M5, atMs: 0, rangeMs: 15 * MINUTE_MS + SECOND_MS, expected: undefined },
  { name: 'irate: NaN after a number', fn: 'irate', load: '1 NaN NaN 5 11', intervalMs: M5, atMs: 5 * MINUTE_MS, rangeMs: 15 * MINUTE_MS + SECOND_MS, expected: NaN },
  { name: 'irate: number after NaN', fn: 'irate', load: '1 NaN NaN 5 11', intervalMs: M5, atMs: 15 * MINUTE_MS, rangeMs: 15 * MINUTE_MS + SECOND_MS, expected: NaN },
  { name: 'irate: numbers again', fn: 'irate', load: '1 NaN NaN 5 11', intervalMs: M5, atMs: 20 * MINUTE_MS, rangeMs: 15 * MINUTE_MS + SECOND_MS, expected: 0.02 },
  { name: 'idelta up', fn: 'idelta', load: '0 50 100 150', intervalMs: M5, atMs: 20 * MINUTE_MS, rangeMs: 20 * MINUTE_MS, expected: 50 },
  { name: 'idelta down: no reset handling', fn: 'idelta', load: '0 50 100 50', intervalMs: M5, atMs: 20 * MINUTE_MS, rangeMs: 20 * MINUTE_MS, expected: -50 },
  { name: 'idelta with NaN', fn: 'idelta', load: '1 NaN NaN 5 11', intervalMs: M5, atMs: 20 * MINUTE_MS, rangeMs: 15 * MINUTE_MS + SECOND_MS, expected: 6 },
];

describe('rate functions', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const window = windowAt(loadSeries(c.intervalMs, c.load), c.atMs, c.rangeMs, c.offsetMs);
      const actual = callRange(c.fn, window, [], recordingContext(c.atMs));
      if (c.expected === undefined) assert.equal(actual, undefined);
      else assertClose(actual, c.expected);
    });
  }

  test('rate and increase flag names without a counter suffix', () => {
    // prettier-ignore
    for (const [fn, name, flagged] of [
      ['rate', 'http_requests', true],
      ['increase', 'http_requests', true],
      ['rate', 'http_requests_total', false],
      ['rate', 'request_duration_seconds_bucket', false],
      ['rate', 'request_duration_seconds_sum', false],
      ['rate', 'request_duration_seconds_count', false],
      ['irate', 'http_requests', false],
      ['delta', 'http_requests', false],
    ] as const) {
      const ctx = recordingContext(50 * MINUTE_MS);
      callRange(fn, windowAt(loadSeries(M5, '0+10x10'), 50 * MINUTE_MS, 50 * MINUTE_MS, 0, name), [], ctx);
      const expected = flagged
        ? [`metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "${name}"`]
        : [];
      assert.deepEqual(ctx.infos, expected, `${fn}(${name})`);
    }
  });

  test('no info without a result or without a name', () => {
    const ctx = recordingContext(50 * MINUTE_MS);
    callRange('rate', windowAt(loadSeries(M5, '0+10x9 0 10'), 50 * MINUTE_MS, M5, 0, 'testcounter'), [], ctx);
    callRange('rate', windowAt(loadSeries(M5, '0+10x10'), 50 * MINUTE_MS, 50 * MINUTE_MS), [], ctx);
    assert.deepEqual(ctx.infos, []);
  });
});
