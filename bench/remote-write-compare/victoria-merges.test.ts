import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeMerges } from './victoria-merges.ts';

test('activeMerges sums the force-merge and merge gauges and nothing else', () => {
  const metrics = (force: number, small: number, big: number): string =>
    [
      `vm_active_force_merges ${force}`,
      'vm_active_merges{type="indexdb"} 0',
      `vm_active_merges{type="storage/big"} ${big}`,
      `vm_active_merges{type="storage/small"} ${small}`,
      'vm_merges_total{type="storage/small"} 7',
      'vm_assisted_merges_total{type="indexdb"} 3',
    ].join('\n');
  assert.equal(activeMerges(metrics(0, 0, 0)), 0);
  assert.equal(activeMerges(metrics(1, 0, 0)), 1);
  assert.equal(activeMerges(metrics(0, 2, 1)), 3);
  assert.equal(activeMerges(''), 0);
});
