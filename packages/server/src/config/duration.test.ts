import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDurationMillis, parseSizeBytes } from './duration.ts';

test('durations in Prometheus notation', () => {
  const cases: [string, number][] = [
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
    ['250ms', 250],
    ['0', 0],
  ];
  for (const [text, millis] of cases) assert.equal(parseDurationMillis(text), millis, text);
  for (const bad of ['', '5', 'm5', '5x', '1h 30m', '-1s']) {
    assert.throws(() => parseDurationMillis(bad), /not a duration/, bad);
  }
});

test('sizes in SI and IEC units', () => {
  assert.equal(parseSizeBytes('512MiB'), 512 * 1024 * 1024);
  assert.equal(parseSizeBytes('10GB'), 10e9);
  assert.equal(parseSizeBytes('1024'), 1024);
  assert.throws(() => parseSizeBytes('ten'), /not a size/);
  assert.throws(() => parseSizeBytes('5XB'), /not a size/);
});
