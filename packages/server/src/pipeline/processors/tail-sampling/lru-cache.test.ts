import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LruCache } from './lru-cache.ts';

describe('LruCache', () => {
  for (const capacity of [1, 2, 3, 10]) {
    it(`never holds more than its capacity (${capacity})`, () => {
      const cache = new LruCache<number, number>(capacity);
      for (let i = 0; i < 1000; i++) {
        cache.set(i, i);
        assert.ok(cache.size <= capacity, `size ${cache.size} after ${i}`);
      }
      assert.equal(cache.get(999), 999);
      assert.equal(cache.get(0), undefined);
    });
  }

  it('keeps recently used entries over older unused ones', () => {
    const cache = new LruCache<string, number>(4);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3); // a, b became old
    assert.equal(cache.get('a'), 1); // a is young again
    cache.set('d', 4);
    cache.set('e', 5); // the old generation (b) is dropped
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.get('b'), undefined);
  });

  it('holds nothing at capacity 0', () => {
    const cache = new LruCache<string, number>(0);
    cache.set('a', 1);
    assert.equal(cache.get('a'), undefined);
  });
});
