import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Expr, VectorSelector } from '../ast.ts';
import type { LabelMatcher } from '../matchers.ts';
import { getFunction } from './function-table.ts';
import {
  callVector,
  callVectorSamples,
  labelRecords,
  recordingContext,
  sample,
  scalarOf,
  stringOf,
  vectorOf,
} from './function-test-support.ts';
import { naturalLess } from './natural-sort.ts';
import { absentLabels } from './vector-functions.ts';

// Cases from Prometheus's functions.test.

const POS = { start: 0, end: 0 };

function selector(...matchers: [string, LabelMatcher['type'], string][]): VectorSelector {
  return {
    kind: 'vector_selector',
    name: undefined,
    matchers: matchers.map(([name, type, value]) => ({ name, type, value })),
    offsetMs: 0,
    at: undefined,
    pos: POS,
  };
}

describe('vector and scalar', () => {
  test('vector(s) is one sample without labels', () => {
    const [result, ...rest] = callVectorSamples('vector', [scalarOf(5)], recordingContext(5000));
    assert.deepEqual([result?.labels.size, result?.value, result?.timestampMs, rest.length], [0, 5, 5000, 0]);
  });

  test('scalar(v) needs exactly one sample', () => {
    assert.equal(callVector('scalar', [vectorOf(sample({ l: 'x' }, 1))]), 1);
    assert.ok(Number.isNaN(callVector('scalar', [vectorOf(sample({ l: 'x' }, 1), sample({ l: 'y' }, 2))])));
    assert.ok(Number.isNaN(callVector('scalar', [vectorOf()])));
  });
});

describe('absent', () => {
  // prettier-ignore
  for (const [name, expr, expected] of [
    ['plain name', selector(['__name__', '=', 'nonexistent']), {}],
    ['equality matchers only', selector( ['__name__', '=', 'nonexistent'], ['job', '=', 'testjob'], ['instance', '=', 'testinstance'], ['method', '=~', '.x'], ), { instance: 'testinstance', job: 'testjob' }],
    ['a label matched twice is left out', selector(['job', '=', 'testjob'], ['job', '=', 'testjob2'], ['foo', '=', 'bar']), { foo: 'bar' }],
    ['matched three times', selector(['job', '=', 'a'], ['job', '=', 'b'], ['job', '=', 'c'], ['foo', '=', 'bar']), { foo: 'bar' }],
    ['equal and regex', selector(['job', '=', 'testjob'], ['job', '=~', 'testjob2'], ['foo', '=', 'bar']), { foo: 'bar' }],
    ['regex then equal', selector(['job', '!=', 'x'], ['job', '=', 'y']), { job: 'y' }],
    ['empty value', selector(['job', '=', '']), {}],
  ] as const) {
    test(name, () => {
      const results = callVectorSamples('absent', [vectorOf()], recordingContext(0, [expr]));
      assert.deepEqual(labelRecords(results), [expected]);
      assert.equal(results[0]?.value, 1);
    });
  }

  test('labels come from a range selector or through parentheses, not from other expressions', () => {
    const inner = selector(['handler', '=', '/foo']);
    assert.deepEqual(
      Object.fromEntries(absentLabels({ kind: 'matrix_selector', selector: inner, rangeMs: 1, pos: POS })),
      { handler: '/foo' },
    );
    assert.deepEqual(Object.fromEntries(absentLabels({ kind: 'paren', expr: inner, pos: POS })), {
      handler: '/foo',
    });
    const call: Expr = { kind: 'call', name: 'rate', args: [inner], pos: POS };
    assert.deepEqual(Object.fromEntries(absentLabels(call)), {});
  });

  test('nothing when the vector has elements', () => {
    assert.deepEqual(
      callVectorSamples(
        'absent',
        [vectorOf(sample({ a: 'b' }, 1))],
        recordingContext(0, [selector(['a', '=', 'b'])]),
      ),
      [],
    );
  });
});

describe('sort functions', () => {
  const http = vectorOf(
    sample({ __name__: 'http_requests', job: 'api-server', instance: '0', group: 'production' }, 100),
    sample({ __name__: 'http_requests', job: 'api-server', instance: '1', group: 'production' }, 200),
    sample({ __name__: 'http_requests', job: 'api-server', instance: '2', group: 'canary' }, NaN),
    sample({ __name__: 'http_requests', job: 'api-server', instance: '0', group: 'canary' }, 300),
    sample({ __name__: 'http_requests', job: 'app-server', instance: '1', group: 'canary' }, 800),
    sample({ __name__: 'http_requests', job: 'app-server', instance: '0', group: 'production' }, 500),
    sample({ __name__: 'http_requests', job: 'api-server', instance: '2', group: 'production' }, 100),
  );
  const key = (labels: Record<string, string>): string =>
    `${labels['group']}/${labels['instance']}/${labels['job']}`;
  const order = (fn: string, ...names: string[]): string[] =>
    labelRecords(callVectorSamples(fn, [http, ...names.map(stringOf)])).map(key);

  test('sort: ascending, NaN last, ties in input order', () => {
    assert.deepEqual(order('sort'), [
      'production/0/api-server',
      'production/2/api-server',
      'production/1/api-server',
      'canary/0/api-server',
      'production/0/app-server',
      'canary/1/app-server',
      'canary/2/api-server',
    ]);
  });

  test('sort_desc: descending, NaN last', () => {
    assert.deepEqual(order('sort_desc').slice(0, 2), ['canary/1/app-server', 'production/0/app-server']);
    assert.equal(order('sort_desc').at(-1), 'canary/2/api-server');
  });

  test('sort: several NaNs end up in reverse input order, as Go insertion sort leaves them', () => {
    const nans = vectorOf(sample({ a: '1' }, NaN), sample({ a: '2' }, 1), sample({ a: '3' }, NaN));
    assert.deepEqual(
      labelRecords(callVectorSamples('sort', [nans])).map((l) => l['a']),
      ['2', '3', '1'],
    );
  });

  test('sort_by_label: by the labels, then by all labels', () => {
    assert.deepEqual(order('sort_by_label', 'instance'), [
      'canary/0/api-server',
      'production/0/api-server',
      'production/0/app-server',
      'canary/1/app-server',
      'production/1/api-server',
      'canary/2/api-server',
      'production/2/api-server',
    ]);
    assert.deepEqual(order('sort_by_label', 'job', 'instance', 'group').slice(0, 3), [
      'canary/0/api-server',
      'production/0/api-server',
      'production/1/api-server',
    ]);
  });

  test('sort_by_label_desc reverses both orders', () => {
    assert.deepEqual(order('sort_by_label_desc', 'instance'), [
      'production/2/api-server',
      'canary/2/api-server',
      'production/1/api-server',
      'canary/1/app-server',
      'production/0/app-server',
      'production/0/api-server',
      'canary/0/api-server',
    ]);
  });

  test('sort_by_label uses natural order', () => {
    const cpus = vectorOf(
      ...['0', '1', '10', '100', '11', '2', '20', '21', '3', '12'].map((cpu) => sample({ cpu }, 100)),
    );
    const sorted = labelRecords(callVectorSamples('sort_by_label', [cpus, stringOf('cpu')])).map(
      (l) => l['cpu'],
    );
    assert.deepEqual(sorted, ['0', '1', '2', '3', '10', '11', '12', '20', '21', '100']);
    const releases = vectorOf(
      ...['1.2.3', '1.11.3', '1.111.3'].reverse().map((release) => sample({ release }, 1)),
    );
    assert.deepEqual(
      labelRecords(callVectorSamples('sort_by_label', [releases, stringOf('release')])).map(
        (l) => l['release'],
      ),
      ['1.2.3', '1.11.3', '1.111.3'],
    );
  });

  test('sort functions keep the metric name', () => {
    for (const name of ['sort', 'sort_desc', 'sort_by_label', 'sort_by_label_desc'])
      assert.equal(getFunction(name)?.keepsMetricName, true);
  });
});

describe('naturalLess (facette/natsort)', () => {
  // prettier-ignore
  for (const [a, b, expected] of [
    ['a', 'b', true],
    ['b', 'a', false],
    ['a', 'a', false],
    ['a', 'ab', true],
    ['ab', 'a', false],
    ['cpu2', 'cpu10', true],
    ['cpu10', 'cpu2', false],
    ['4m5', '4m600', true],
    ['4m600', '4m1000', true],
    ['007', '8', true],
    ['08', '7', false],
    ['x1y', 'x1z', true],
    ['1.2.3', '1.11.3', true],
    ['Z', 'a', true],
    ['é', 'z', false],
  ] as const) {
    test(`${a} < ${b}: ${expected}`, () => assert.equal(naturalLess(a, b), expected));
  }
});
