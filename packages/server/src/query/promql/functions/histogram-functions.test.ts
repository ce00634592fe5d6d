import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PromQLError } from '../errors.ts';
import type { Sample } from '../values.ts';
import type { FunctionArg } from './function-types.ts';
import {
  assertClose,
  callVectorSamples,
  labelRecords,
  recordingContext,
  sample,
  scalarOf,
  stringOf,
  vectorOf,
} from './function-test-support.ts';

// Cases from Prometheus's histograms.test, with the bucket counts its series have at 50m.

function buckets(name: string, labels: Record<string, string>, counts: Record<string, number>): Sample[] {
  return Object.entries(counts).map(([le, count]) => sample({ __name__: name, ...labels, le }, count));
}

/** testhistogram3_bucket at 50m. */
const HISTOGRAM3 = vectorOf(
  ...buckets(
    'testhistogram3_bucket',
    { start: 'positive' },
    { '0': 0, '0.1': 50, '.2': 70, '1e0': 110, '+Inf': 110 },
  ),
  ...buckets(
    'testhistogram3_bucket',
    { start: 'negative' },
    { '-.25': 0, '-.2': 10, '-0.1': 20, '0.3': 20, '+Inf': 20 },
  ),
);

/** testhistogram_bucket at 50m. */
const HISTOGRAM = vectorOf(
  ...buckets('testhistogram_bucket', { start: 'positive' }, { '0.1': 50, '.2': 70, '1e0': 110, '+Inf': 120 }),
  ...buckets('testhistogram_bucket', { start: 'negative' }, { '-.2': 10, '-0.1': 20, '0.3': 20, '+Inf': 30 }),
);

function quantileByStart(q: number, input: FunctionArg): Record<string, number> {
  const results = callVectorSamples('histogram_quantile', [scalarOf(q), input]);
  return Object.fromEntries(results.map((s) => [s.labels.get('start') ?? '', s.value]));
}

describe('histogram_quantile', () => {
  // prettier-ignore
  for (const [q, positive, negative] of [
    [0, 0, -0.25],
    [0.25, 0.055, -0.225],
    [0.5, 0.125, -0.2],
    [0.75, 0.45, -0.15],
    [1, 1, -0.1],
  ] as const) {
    test(`q=${q} of testhistogram3`, () => {
      const result = quantileByStart(q, HISTOGRAM3);
      assertClose(result['positive'], positive);
      assertClose(result['negative'], negative);
    });
  }

  // prettier-ignore
  for (const [q, positive, negative] of [
    [0, 0, -0.2],
    [1, 1, 0.3],
    [0.2, 0.048, -0.2],
    [0.5, 0.15, -0.15],
    [0.8, 0.72, 0.3],
  ] as const) {
    test(`q=${q} of testhistogram`, () => {
      const result = quantileByStart(q, HISTOGRAM);
      assertClose(result['positive'], positive);
      assertClose(result['negative'], negative);
    });
  }

  test('results drop `le` and the metric name', () => {
    assert.deepEqual(labelRecords(callVectorSamples('histogram_quantile', [scalarOf(0.5), HISTOGRAM])), [
      { start: 'positive' },
      { start: 'negative' },
    ]);
  });

  // prettier-ignore
  for (const [q, expected, warning] of [
    [-0.1, -Infinity, 'quantile value should be between 0 and 1, got -0.1'],
    [1.01, Infinity, 'quantile value should be between 0 and 1, got 1.01'],
    [NaN, NaN, 'quantile value should be between 0 and 1, got NaN'],
  ] as const) {
    test(`q=${q} warns`, () => {
      const ctx = recordingContext();
      const results = callVectorSamples('histogram_quantile', [scalarOf(q), HISTOGRAM], ctx);
      assert.deepEqual(
        results.map((s) => s.value),
        [expected, expected],
      );
      assert.deepEqual(ctx.warnings, [warning]);
    });
  }

  test('an invalid quantile warns even without input', () => {
    const ctx = recordingContext();
    assert.deepEqual(callVectorSamples('histogram_quantile', [scalarOf(NaN), vectorOf()], ctx), []);
    assert.deepEqual(ctx.warnings, ['quantile value should be between 0 and 1, got NaN']);
  });

  test('middle of a bucket', () => {
    const histogram2 = vectorOf(
      ...buckets('testhistogram2_bucket', {}, { '0': 0, '2': 1, '4': 2, '6': 3, '+Inf': 3 }),
    );
    // prettier-ignore
    for (const [q, expected] of [
      [1 / 6, 1],
      [0.5, 3],
      [5 / 6, 5],
    ] as const)
      assertClose(quantileByStart(q, histogram2)[''], expected);
  });

  test('non-monotonic buckets are fixed, with an info naming the metric', () => {
    const input = vectorOf(
      ...buckets(
        'nonmonotonic_bucket',
        {},
        { '0.1': 20, '1': 10, '10': 50, '100': 40, '1000': 90, '+Inf': 80 },
      ),
    );
    // prettier-ignore
    for (const [q, expected] of [
      [0.01, 0.0045],
      [0.5, 8.5],
      [0.99, 979.75],
    ] as const) {
      const ctx = recordingContext();
      assertClose(quantileByStart(q, input)[''], expected);
      const [result] = callVectorSamples('histogram_quantile', [scalarOf(q), input], ctx);
      assertClose(result?.value, expected);
      assert.deepEqual(ctx.infos, [
        'input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name "nonmonotonic_bucket"',
      ]);
    }
  });

  test('equal bounds written differently are merged', () => {
    const input = vectorOf(
      ...buckets(
        'mixed_bucket',
        { instance: 'ins1' },
        { '0.1': 1, '0.2': 1, '2e-1': 1, '2.0e-1': 1, '+Inf': 4 },
      ),
      sample({ __name__: 'mixed_bucket', instance: 'ins2', le: '+inf' }, 0),
      sample({ __name__: 'mixed_bucket', instance: 'ins2', le: '+Inf' }, 0),
    );
    const at = (q: number): Record<string, number> =>
      Object.fromEntries(
        callVectorSamples('histogram_quantile', [scalarOf(q), input]).map((s) => [
          s.labels.get('instance') ?? '',
          s.value,
        ]),
      );
    assertClose(at(0.5)['ins1'], 0.15);
    assertClose(at(0.75)['ins1'], 0.2);
    assertClose(at(1)['ins1'], 0.2);
    assertClose(at(0.5)['ins2'], NaN);
  });

  test('histograms are told apart by metric name', () => {
    const input = vectorOf(
      ...buckets('request_duration_seconds_bucket', { job: 'job1' }, { '0.1': 10, '+Inf': 40 }),
      ...buckets('request_duration_seconds2_bucket', { job: 'job1' }, { '0.1': 10, '+Inf': 40 }),
    );
    // Both results are {job="job1"}: the evaluator rejects the duplicate, as Prometheus does.
    assert.deepEqual(labelRecords(callVectorSamples('histogram_quantile', [scalarOf(0.99), input])), [
      { job: 'job1' },
      { job: 'job1' },
    ]);
  });

  test('a missing or malformed `le` warns and skips the sample', () => {
    // prettier-ignore
    for (const [labels, warning] of [
      [{ __name__: 'series', ale: '0.1' }, 'bucket label "le" is missing or has a malformed value of "" for metric name "series"'],
      [{ __name__: 'series', le: 'Hello World' }, 'bucket label "le" is missing or has a malformed value of "Hello World" for metric name "series"'],
      [{ le: '1e400' }, 'bucket label "le" is missing or has a malformed value of "1e400"'],
    ] as const) {
      const ctx = recordingContext();
      assert.deepEqual(
        callVectorSamples('histogram_quantile', [scalarOf(0.8), vectorOf(sample(labels, 2))], ctx),
        [],
      );
      assert.deepEqual(ctx.warnings, [warning]);
    }
  });

  test('no +Inf bucket or no observations give NaN', () => {
    assertClose(quantileByStart(0.5, vectorOf(...buckets('x', {}, { '1': 1, '2': 2 })))[''], NaN);
    assertClose(
      quantileByStart(0.2, vectorOf(...buckets('x', {}, { '0.1': 0, '0.2': 0, '+Inf': 0 })))[''],
      NaN,
    );
  });
});

describe('histogram_quantiles', () => {
  test('one result per quantile, labelled in OpenMetrics format', () => {
    const results = callVectorSamples('histogram_quantiles', [
      HISTOGRAM3,
      stringOf('q'),
      ...[0, 0.25, 1].map(scalarOf),
    ]);
    // prettier-ignore
    const expected = [
      ['0.0', 'positive', 0],
      ['0.0', 'negative', -0.25],
      ['0.25', 'positive', 0.055],
      ['0.25', 'negative', -0.225],
      ['1.0', 'positive', 1],
      ['1.0', 'negative', -0.1],
    ] as const;
    assert.deepEqual(
      results.map((s) => [s.labels.get('q'), s.labels.get('start')]),
      expected.map(([q, start]) => [q, start]),
    );
    expected.forEach(([, , value], i) => assertClose(results[i]?.value, value));
    assert.ok(results.every((s) => !s.labels.has('__name__') && !s.labels.has('le')));
  });

  test('fails when the quantile label makes results collide', () => {
    assert.throws(
      () =>
        callVectorSamples('histogram_quantiles', [HISTOGRAM3, stringOf('start'), scalarOf(0), scalarOf(0.5)]),
      (error: unknown) =>
        error instanceof PromQLError &&
        error.message === 'vector cannot contain metrics with the same labelset',
    );
  });

  test('warns once per invalid quantile', () => {
    const ctx = recordingContext();
    const results = callVectorSamples('histogram_quantiles', [HISTOGRAM, stringOf('q'), scalarOf(-0.1)], ctx);
    assert.deepEqual(
      results.map((s) => [s.labels.get('q'), s.value]),
      [
        ['-0.1', -Infinity],
        ['-0.1', -Infinity],
      ],
    );
    assert.deepEqual(ctx.warnings, ['quantile value should be between 0 and 1, got -0.1']);
  });
});

describe('histogram_fraction', () => {
  const fraction = (lower: number, upper: number, counts: Record<string, number>): number | undefined =>
    callVectorSamples('histogram_fraction', [
      scalarOf(lower),
      scalarOf(upper),
      vectorOf(...buckets('h_bucket', {}, counts)),
    ])[0]?.value;
  const HISTOGRAM2 = { '0': 0, '2': 10, '4': 20, '6': 30, '+Inf': 30 };
  const POSITIVE = { '1': 1, '2': 3, '3': 6, '+Inf': 100 };
  const NEGATIVE = { '-3': 10, '-2': 12, '-1': 15, '+Inf': 100 };

  // prettier-ignore
  for (const [name, lower, upper, counts, expected] of [
    ['whole buckets', 0, 4, HISTOGRAM2, 0.6666666666666666],
    ['up to the last finite bound', 0, 6, HISTOGRAM2, 1],
    ['interpolated upper', 0, 3.5, HISTOGRAM2, 0.5833333333333334],
    ['lower in the first bucket', 0, 1.5, POSITIVE, 0.02],
    ['first negative bucket is not interpolated', -4, -2, NEGATIVE, 0.02],
    ['from -Inf', -Infinity, -1.5, NEGATIVE, 0.135],
    ['everything, positive', -Infinity, Infinity, POSITIVE, 1],
    ['everything, negative', -Infinity, Infinity, NEGATIVE, 1],
    ['inside the +Inf bucket', 4, 5, POSITIVE, 0],
    ['above zero in the +Inf bucket', 0, 1, NEGATIVE, 0],
    ['upper in the +Inf bucket', 2, 5, POSITIVE, 0.03],
    ['to +Inf', 400, Infinity, POSITIVE, 0.94],
    ['empty range', 2, 2, POSITIVE, 0],
    ['reversed range', 3, 2, POSITIVE, 0],
    ['single bucket', 0, 1, { '+Inf': 100 }, 0],
    ['no observations', 0, 5, { '1': 0, '2': 0, '+Inf': 0 }, NaN],
    ['upper on a bound', 0.5, 2, POSITIVE, 0.025],
    ['both on bounds', 1, 3, POSITIVE, 0.05],
    ['fractional bounds', 0.1, 0.75, { '0.5': 2.5, '1': 7.5, '+Inf': 100 }, 0.045],
    ['across zero', -1, 1, { '-2': 5, '-1': 10, '0': 15, '1': 20, '+Inf': 100 }, 0.1],
    ['NaN lower', NaN, 1, { '1': 1, '+Inf': 100 }, NaN],
    ['NaN upper', 0, NaN, { '1': 1, '+Inf': 100 }, NaN],
    ['below all buckets', -10, -5, { '1': 1, '2': 3, '+Inf': 10 }, 0],
    ['above all buckets', 5, 10, { '1': 1, '2': 3, '+Inf': 10 }, 0],
    ['testhistogram3 positive', 0, 0.2, { '0': 0, '0.1': 50, '.2': 70, '1e0': 110, '+Inf': 110 }, 0.6363636363636364],
  ] as const) {
    test(name, () => assertClose(fraction(lower, upper, counts), expected));
  }
});

describe('native-histogram-only functions', () => {
  // prettier-ignore
  for (const name of [
    'histogram_count',
    'histogram_sum',
    'histogram_avg',
    'histogram_stddev',
    'histogram_stdvar',
  ]) {
    test(`${name} ignores float samples`, () => assert.deepEqual(callVectorSamples(name, [HISTOGRAM]), []));
  }
});
