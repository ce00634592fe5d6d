import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StepBarrier } from './step-barrier.ts';

/** Whether `promise` has settled after pending microtasks ran. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

test('a shard may lead the slowest one by maxLeadSteps steps and no more', async () => {
  const barrier = new StepBarrier(2, 2);
  assert.equal(await settled(barrier.waitForTurn(2)), true);
  const third = barrier.waitForTurn(3);
  assert.equal(await settled(third), false);
  barrier.advance(0, 5);
  assert.equal(await settled(third), false, 'shard 1 has done no step yet');
  barrier.advance(1, 1);
  assert.equal(await settled(third), true);
});

test('a finished shard no longer holds the others back', async () => {
  const barrier = new StepBarrier(2, 0);
  barrier.advance(0, 3);
  const waiting = barrier.waitForTurn(10);
  assert.equal(await settled(waiting), false);
  barrier.finish(1);
  assert.equal(await settled(waiting), false, 'shard 0 is still at step 3');
  barrier.finish(0);
  assert.equal(await settled(waiting), true);
});
