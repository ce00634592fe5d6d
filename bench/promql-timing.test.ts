import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RangeQuery, TimedResponse } from './promql-client.ts';
import { measureAlternating, median, roundOrder, type BenchEngine } from './promql-timing.ts';

describe('median', () => {
  const cases: [number[], number][] = [
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10, 10, 1000], 10],
  ];
  for (const [values, expected] of cases) {
    test(`${values.join(',')} → ${expected}`, () => assert.equal(median(values), expected));
  }
  test('none → NaN', () => assert.ok(Number.isNaN(median([]))));
  test('leaves its input unsorted', () => {
    const values = [3, 1, 2];
    median(values);
    assert.deepEqual(values, [3, 1, 2]);
  });
});

test('roundOrder flips every round', () => {
  assert.deepEqual(
    [0, 1, 2, 3].map((round) => roundOrder(2, round)),
    [
      [0, 1],
      [1, 0],
      [0, 1],
      [1, 0],
    ],
  );
});

/** An engine that answers with a fixed latency per call and records the calls into `log`. */
function fakeEngine(name: string, log: string[], statuses: number[] = []): BenchEngine {
  let calls = 0;
  return {
    name,
    queryRange: (range: RangeQuery): Promise<TimedResponse> => {
      calls++;
      log.push(name);
      const status = statuses[calls - 1] ?? 200;
      return Promise.resolve({ elapsedMs: calls * 10, status, bodyText: `${name} ${range.query} ${calls}` });
    },
  };
}

const range: RangeQuery = { query: 'up', startMs: 0, endMs: 60_000, stepMs: 15_000 };

describe('measureAlternating', () => {
  test('alternates engines, discards warm-up runs and keeps the last body', async () => {
    const log: string[] = [];
    const [a, b] = await measureAlternating([fakeEngine('a', log), fakeEngine('b', log)], range, 3, 1);
    assert.deepEqual(log, ['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a']);
    assert.deepEqual(a?.latenciesMs, [20, 30, 40]);
    assert.deepEqual(b?.latenciesMs, [20, 30, 40]);
    assert.equal(a?.lastResponse.bodyText, 'a up 4');
  });

  test('stops asking an engine after its first error answer, times the others', async () => {
    const log: string[] = [];
    const engines = [fakeEngine('prometheus', log), fakeEngine('vigil', log, [200, 404])];
    const [prometheus, vigil] = await measureAlternating(engines, range, 3, 1);
    assert.deepEqual(log, ['prometheus', 'vigil', 'vigil', 'prometheus', 'prometheus', 'prometheus']);
    assert.equal(vigil?.lastResponse.status, 404);
    assert.deepEqual(vigil?.latenciesMs, []);
    assert.deepEqual(prometheus?.latenciesMs, [20, 30, 40]);
  });
});
