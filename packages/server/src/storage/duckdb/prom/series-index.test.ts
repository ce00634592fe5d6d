import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsHash, SeriesIndex } from './series-index.ts';

const labels = (id: string): string[] => ['__name__', 'm', 'id', id];

test('refOf finds a series by its labels, also when two label sets share a hash', () => {
  // Found by a search over `v<i>`: these two collide under the 32-bit hash.
  assert.equal(labelsHash(labels('v412789')), labelsHash(labels('v649192')));
  const index = new SeriesIndex();
  index.add(0, labels('v412789'));
  index.add(1, labels('v649192'));
  index.add(2, labels('other'));
  assert.equal(index.size, 3);
  assert.equal(index.refOf(labels('v412789')), 0);
  assert.equal(index.refOf(labels('v649192')), 1);
  assert.equal(index.refOf(labels('other')), 2);
  assert.equal(index.refOf(labels('missing')), undefined);
  // Same strings in another order, or a prefix of a set, are other series.
  assert.equal(index.refOf(['id', 'v412789', '__name__', 'm']), undefined);
  assert.equal(index.refOf(['__name__', 'm']), undefined);

  index.remove(new Set([0]));
  assert.equal(index.size, 2);
  assert.equal(index.refOf(labels('v412789')), undefined);
  assert.equal(index.refOf(labels('v649192')), 1);
  assert.deepEqual(index.labelsOf(1), labels('v649192'));
  assert.deepEqual(index.allRefs(), [1, 2]);
  index.remove(new Set([1]));
  assert.equal(index.refOf(labels('v649192')), undefined);
  assert.equal(index.refOf(labels('other')), 2);
  assert.equal(index.size, 1);
});

test('adding a ref again replaces its labels', () => {
  const index = new SeriesIndex();
  index.add(0, labels('a'));
  index.add(0, labels('b'));
  assert.equal(index.size, 1);
  assert.equal(index.refOf(labels('a')), undefined);
  assert.equal(index.refOf(labels('b')), 0);
});
