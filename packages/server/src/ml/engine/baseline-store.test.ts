import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BaselineLimitError, BaselineStore, MAX_BASELINES } from './baseline-store.ts';
import { VersionSlot } from './version-slot.ts';

describe('BaselineStore limits', () => {
  it(`holds at most ${MAX_BASELINES} baselines; replacing or deleting one is always possible`, () => {
    const store = new BaselineStore();
    const range = { startMs: 0, endMs: 60_000 };
    const slot = new VersionSlot();
    slot.addScore(0.5);
    for (let i = 0; i < MAX_BASELINES; i++) store.pin(`b${i}`, 'm', '1', range, slot);
    assert.throws(() => store.pin('one-more', 'm', '1', range, slot), BaselineLimitError);
    assert.equal(store.pin('b7', 'm', '2', range, slot).version, '2', 'replacing keeps the count');
    assert.ok(store.delete('b0'));
    assert.equal(store.pin('one-more', 'm', '1', range, slot).scoreCount, 1);
    assert.equal(store.list().length, MAX_BASELINES);
  });
});
