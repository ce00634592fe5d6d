import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PromQLError } from './errors.ts';
import { QueryLimiter } from './query-limiter.ts';

/** A query the test finishes by hand. */
function deferred(): {
  promise: Promise<string>;
  finish: (value: string) => void;
  fail: (error: Error) => void;
} {
  let finish!: (value: string) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { promise, finish, fail };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('runs at most maxConcurrent queries; the others start in arrival order as slots free up', async () => {
  const limiter = new QueryLimiter({ maxConcurrent: 2, maxQueued: 10 });
  const queries = [deferred(), deferred(), deferred(), deferred()];
  const started: number[] = [];
  const results = queries.map((query, index) =>
    limiter.run(() => {
      started.push(index);
      return query.promise;
    }),
  );
  const allSettled = Promise.allSettled(results);
  await tick();
  assert.deepEqual(started, [0, 1]);
  assert.equal(limiter.active, 2);
  assert.equal(limiter.queued, 2);
  queries[1]?.finish('b');
  await tick();
  assert.deepEqual(started, [0, 1, 2]);
  queries[0]?.fail(new Error('boom'));
  await tick();
  assert.deepEqual(started, [0, 1, 2, 3]);
  queries[2]?.finish('c');
  queries[3]?.finish('d');
  const settled = await allSettled;
  assert.deepEqual(
    settled.map((s) => s.status),
    ['rejected', 'fulfilled', 'fulfilled', 'fulfilled'],
  );
  assert.equal(limiter.active, 0);
  assert.equal(limiter.queued, 0);
});

test('refuses a query at once when the queue is full', async () => {
  const limiter = new QueryLimiter({ maxConcurrent: 1, maxQueued: 1 });
  const running = deferred();
  const first = limiter.run(() => running.promise);
  const second = limiter.run(() => Promise.resolve('queued'));
  await assert.rejects(
    limiter.run(() => Promise.resolve('refused')),
    (error: unknown) => {
      assert.ok(error instanceof PromQLError);
      assert.equal(error.type, 'unavailable');
      return true;
    },
  );
  running.finish('done');
  assert.equal(await first, 'done');
  assert.equal(await second, 'queued');
});

test('a query whose deadline passes while queued fails as Prometheus words it and leaves the queue', async () => {
  const limiter = new QueryLimiter({ maxConcurrent: 1, maxQueued: 5 });
  const running = deferred();
  const first = limiter.run(() => running.promise);
  const timeout = new AbortController();
  let evaluated = false;
  const waiting = limiter.run(() => {
    evaluated = true;
    return Promise.resolve('late');
  }, timeout.signal);
  await tick();
  assert.equal(limiter.queued, 1);
  timeout.abort(new PromQLError('timeout', 'query timed out in expression evaluation'));
  await assert.rejects(waiting, {
    name: 'PromQLError',
    type: 'timeout',
    message: 'query timed out in query queue',
  });
  assert.equal(limiter.queued, 0);
  running.finish('ok');
  await first;
  assert.equal(evaluated, false);
});

test('a canceled or already aborted signal fails with errorType canceled', async () => {
  const limiter = new QueryLimiter({ maxConcurrent: 1, maxQueued: 5 });
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    limiter.run(() => Promise.resolve(1), controller.signal),
    {
      type: 'canceled',
      message: 'query was canceled in query queue',
    },
  );
  assert.equal(limiter.active, 0);
});

test('holds the slot until an abandoned query really settles', async () => {
  const limiter = new QueryLimiter({ maxConcurrent: 1, maxQueued: 5 });
  const slow = deferred();
  void limiter.run(() => slow.promise).catch(() => undefined);
  let secondStarted = false;
  const second = limiter.run(() => {
    secondStarted = true;
    return Promise.resolve('second');
  });
  await tick();
  assert.equal(secondStarted, false);
  slow.fail(new Error('late failure'));
  assert.equal(await second, 'second');
});

test('rejects nonsensical limits', () => {
  assert.throws(() => new QueryLimiter({ maxConcurrent: 0 }), RangeError);
  assert.throws(() => new QueryLimiter({ maxQueued: -1 }), RangeError);
});
