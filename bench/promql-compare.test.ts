import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compareMatrices,
  parseRangeResponse,
  parseSampleValue,
  valuesEqual,
  type Matrix,
} from './promql-compare.ts';

/** A Prometheus query_range body with one point per [seconds, value] pair. */
/** One element of a query_range result as Prometheus writes it. */
interface SeriesJson {
  metric: Record<string, string>;
  values: [number, string][];
}

function body(series: SeriesJson[]): unknown {
  return { status: 'success', data: { resultType: 'matrix', result: series } };
}

function matrixOf(series: SeriesJson[]): Matrix {
  return parseRangeResponse(body(series));
}

describe('parseSampleValue', () => {
  const cases: [string, number][] = [
    ['1', 1],
    ['0.25', 0.25],
    ['-3.5', -3.5],
    ['1e-7', 1e-7],
    ['123456789012345680000', 123456789012345680000],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
  ];
  for (const [text, expected] of cases) {
    test(`${text} → ${expected}`, () => assert.equal(parseSampleValue(text), expected));
  }
  test('NaN', () => assert.ok(Number.isNaN(parseSampleValue('NaN'))));
  for (const bad of ['', ' ', 'abc', 'Infinity1']) {
    test(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parseSampleValue(bad)));
  }
});

describe('parseRangeResponse', () => {
  test('series are keyed by their sorted label set and times become ms', () => {
    const matrix = matrixOf([
      {
        metric: { job: 'a', __name__: 'up' },
        values: [
          [1_700_000_000.001, '1'],
          [1_700_000_015.001, '0'],
        ],
      },
    ]);
    assert.deepEqual([...matrix.keys()], ['{__name__="up", job="a"}']);
    assert.deepEqual(matrix.get('{__name__="up", job="a"}'), {
      labelsText: '{__name__="up", job="a"}',
      timestampsMs: [1_700_000_000_001, 1_700_000_015_001],
      values: [1, 0],
    });
  });

  test('an error answer throws with its errorType', () => {
    assert.throws(
      () => parseRangeResponse({ status: 'error', errorType: 'bad_data', error: 'parse error' }),
      /bad_data: parse error/,
    );
  });

  const malformed: [string, unknown][] = [
    ['not an object', 'nope'],
    ['a vector', { status: 'success', data: { resultType: 'vector', result: [] } }],
    ['result not an array', { status: 'success', data: { resultType: 'matrix', result: {} } }],
    ['label not a string', body([{ metric: { a: 1 } as unknown as Record<string, string>, values: [] }])],
    ['point not a pair', body([{ metric: {}, values: [[1, 2] as unknown as [number, string]] }])],
    [
      'duplicate series',
      body([
        { metric: { a: 'x' }, values: [] },
        { metric: { a: 'x' }, values: [] },
      ]),
    ],
  ];
  for (const [name, input] of malformed) {
    test(`rejects ${name}`, () => assert.throws(() => parseRangeResponse(input)));
  }
});

describe('valuesEqual', () => {
  const cases: [number, number, boolean][] = [
    [1, 1, true],
    [1, 1 + 1e-9, true],
    [1000, 1000.0005, true],
    [1, 1.00001, false],
    [0, 1e-12, true],
    [0, 1e-6, false],
    [NaN, NaN, true],
    [NaN, 0, false],
    [0, NaN, false],
    [Infinity, Infinity, true],
    [Infinity, -Infinity, false],
    [Infinity, 1e308, false],
  ];
  for (const [a, b, expected] of cases) {
    test(`${a} vs ${b} → ${expected}`, () => assert.equal(valuesEqual(a, b), expected));
  }
});

describe('compareMatrices', () => {
  const points: [number, string][] = [
    [10, '1'],
    [25, '2.5'],
    [40, 'NaN'],
  ];
  const reference: SeriesJson[] = [{ metric: { job: 'a' }, values: points }];
  const cases: { name: string; actual: SeriesJson[]; equal: boolean; difference?: RegExp }[] = [
    { name: 'identical', actual: reference, equal: true },
    {
      name: 'values within tolerance',
      actual: [
        {
          metric: { job: 'a' },
          values: [
            [10, '1.0000000001'],
            [25, '2.5'],
            [40, 'NaN'],
          ],
        },
      ],
      equal: true,
    },
    {
      name: 'value off',
      actual: [
        {
          metric: { job: 'a' },
          values: [
            [10, '1'],
            [25, '2.6'],
            [40, 'NaN'],
          ],
        },
      ],
      equal: false,
      difference: /at 25000 ms: value 2.6, expected 2.5/,
    },
    {
      name: 'NaN where a number was expected',
      actual: [
        {
          metric: { job: 'a' },
          values: [
            [10, '1'],
            [25, '2.5'],
            [40, '0'],
          ],
        },
      ],
      equal: false,
      difference: /value 0, expected NaN/,
    },
    {
      name: 'timestamp shifted',
      actual: [
        {
          metric: { job: 'a' },
          values: [
            [10, '1'],
            [26, '2.5'],
            [40, 'NaN'],
          ],
        },
      ],
      equal: false,
      difference: /timestamp 26000 ms, expected 25000 ms/,
    },
    {
      name: 'sample missing at the end',
      actual: [
        {
          metric: { job: 'a' },
          values: [
            [10, '1'],
            [25, '2.5'],
          ],
        },
      ],
      equal: false,
      difference: /timestamp undefined ms, expected 40000 ms \(2 vs 3 samples\)/,
    },
    { name: 'series missing', actual: [], equal: false, difference: /missing series \{job="a"\}/ },
    {
      name: 'extra series',
      actual: [...reference, { metric: { job: 'b' }, values: [] }],
      equal: false,
      difference: /unexpected series \{job="b"\}/,
    },
    {
      name: 'label set differs',
      actual: [{ metric: { job: 'a', le: '0.5' }, values: reference[0]!.values }],
      equal: false,
      difference: /missing series/,
    },
  ];
  for (const { name, actual, equal, difference } of cases) {
    test(name, () => {
      const diff = compareMatrices(matrixOf(reference), matrixOf(actual));
      assert.equal(diff.equal, equal);
      if (difference) assert.match(diff.differences.join('\n'), difference);
    });
  }

  test('reports at most five differences but counts them all', () => {
    const noPoints: [number, string][] = [];
    const many = Array.from({ length: 8 }, (_, i) => ({ metric: { i: String(i) }, values: noPoints }));
    const diff = compareMatrices(matrixOf(many), matrixOf([]));
    assert.equal(diff.differences.length, 5);
    assert.equal(diff.differenceCount, 8);
  });

  test('counts compared samples', () => {
    assert.equal(compareMatrices(matrixOf(reference), matrixOf(reference)).comparedSamples, 3);
  });
});
