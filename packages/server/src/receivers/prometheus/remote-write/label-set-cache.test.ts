import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isInterned } from '../../../model/interned-labels.ts';
import { decodeWriteRequestV1 } from './decode-v1.ts';
import { LabelSetCache } from './label-set-cache.ts';
import { encodeV1 } from './remote-write-test-messages.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

void test('LabelSetCache: a hit returns the stored object; other bytes, lengths and offsets miss or hit exactly', () => {
  const cache = new LabelSetCache();
  const a = new Map([['__name__', 'up']]);
  const b = new Map([['__name__', 'down']]);
  const wire = bytes('xxAAAAyyBBBB');
  cache.set(wire, 2, 6, a);
  cache.set(wire, 8, 12, b);
  assert.equal(cache.get(bytes('AAAA'), 0, 4), a);
  assert.equal(cache.get(bytes('--BBBB'), 2, 6), b);
  assert.equal(cache.get(bytes('AAAB'), 0, 4), undefined);
  assert.equal(cache.get(bytes('AAA'), 0, 3), undefined);
  assert.equal(cache.size, 2);
});

void test('LabelSetCache: a cursor guesses the entry that followed last time, and a wrong or stale guess still answers exactly', () => {
  const cache = new LabelSetCache(4);
  const keys = ['a', 'b', 'c'].map((c) => bytes(`__name__=gpu_temp,instance=${c.repeat(30)}`));
  const labels = keys.map((_, i) => new Map([['i', String(i)]]));
  keys.forEach((key, i) => cache.set(key, 0, key.length, labels[i]!));
  const request = (order: number[]): (string | undefined)[] => {
    const cursor = { previous: null };
    return order.map((i) => cache.get(keys[i]!, 0, keys[i]!.length, cursor)?.get('i'));
  };
  assert.deepEqual(request([0, 1, 2]), ['0', '1', '2']);
  assert.deepEqual(request([0, 1, 2]), ['0', '1', '2'], 'guessed');
  assert.deepEqual(request([0, 2, 1]), ['0', '2', '1'], 'another order');
  // One byte off near the end of a long key (the native compare): a miss, not the guess.
  const near = bytes(`__name__=gpu_temp,instance=${'c'.repeat(29)}d`);
  const cursor = { previous: null };
  assert.equal(cache.get(keys[1]!, 0, keys[1]!.length, cursor)?.get('i'), '1');
  assert.equal(cache.get(near, 0, near.length, cursor), undefined);
  // Past the bound the cache starts over; a cursor into the old entries guesses nothing stale.
  const stale = { previous: null };
  cache.get(keys[0]!, 0, keys[0]!.length, stale);
  cache.set(bytes('x'), 0, 1, new Map());
  cache.set(bytes('y'), 0, 1, new Map());
  assert.equal(cache.size, 1);
  assert.equal(cache.get(keys[1]!, 0, keys[1]!.length, stale), undefined);
});

void test('LabelSetCache: bounded — past maxEntries it starts over instead of growing', () => {
  const cache = new LabelSetCache(3);
  for (let i = 0; i < 4; i++) cache.set(bytes(`series-${i}`), 0, 8, new Map([['i', String(i)]]));
  assert.equal(cache.size, 1);
  assert.equal(cache.get(bytes('series-0'), 0, 8), undefined);
  assert.equal(cache.get(bytes('series-3'), 0, 8)?.get('i'), '3');
});

void test('decodeWriteRequestV1: the same series in two requests decodes to the same interned labels object', () => {
  const series = (t: number): Parameters<typeof encodeV1>[0] => [
    { labels: { __name__: 'gpu_temp', gpu: '0' }, samples: [[t, 70]] },
    { labels: { __name__: 'gpu_temp', gpu: '1' }, samples: [[t, 71]] },
  ];
  const first = decodeWriteRequestV1(encodeV1(series(1000)), { maxTimestampMs: Infinity });
  const second = decodeWriteRequestV1(encodeV1(series(2000)), { maxTimestampMs: Infinity });
  assert.equal(second.series[0]?.labels, first.series[0]?.labels);
  assert.equal(second.series[1]?.labels, first.series[1]?.labels);
  assert.notEqual(first.series[0]?.labels, first.series[1]?.labels);
  assert.deepEqual(
    [...(second.series[1]?.labels ?? [])],
    [
      ['__name__', 'gpu_temp'],
      ['gpu', '1'],
    ],
  );
  assert.equal(isInterned(first.series[0]!.labels), true);
  assert.deepEqual([...second.series[1]!.values], [71]);
});

void test('decodeWriteRequestV1: invalid label sets are never cached, so they are refused every time', () => {
  const bad = encodeV1([{ labels: { job: 'no-name' }, samples: [[1000, 1]] }]);
  for (let i = 0; i < 2; i++) {
    const decoded = decodeWriteRequestV1(bad, { maxTimestampMs: Infinity });
    assert.equal(decoded.series.length, 0);
    assert.equal(decoded.dropped.invalid_labels, 1);
  }
});
