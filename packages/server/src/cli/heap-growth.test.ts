import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_HEAP_GROWTH_PERCENT, parseHeapGrowthPercent } from './heap-growth.ts';

test('--heap-growth takes a whole percent from 0 to 300', () => {
  assert.equal(parseHeapGrowthPercent(undefined), DEFAULT_HEAP_GROWTH_PERCENT);
  assert.equal(parseHeapGrowthPercent('0'), 0);
  assert.equal(parseHeapGrowthPercent('20'), 20);
  assert.equal(parseHeapGrowthPercent('300'), 300);
  for (const bad of ['-1', '301', '2.5', 'lots', ''])
    assert.throws(() => parseHeapGrowthPercent(bad), /--heap-growth must be a whole percent from 0 to 300/);
});
