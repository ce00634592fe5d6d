import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PromQLError } from '../errors.ts';
import type { FunctionArg } from './function-types.ts';
import {
  callVectorSamples,
  labelRecords,
  recordingContext,
  sample,
  stringOf,
  vectorOf,
} from './function-test-support.ts';
import { expandTemplate } from './go-regexp-expand.ts';
import { isValidLabelName } from '../literals.ts';

// Cases from Prometheus's functions.test ("Tests for label_replace", "Tests for label_join").

const TESTMETRIC = vectorOf(
  sample({ __name__: 'testmetric', src: 'source-value-10', dst: 'original-destination-value' }, 0),
  sample({ __name__: 'testmetric', src: 'source-value-20', dst: 'original-destination-value' }, 1),
);

function replace(
  input: FunctionArg,
  dst: string,
  replacement: string,
  src: string,
  regex: string,
): Record<string, string>[] {
  return labelRecords(
    callVectorSamples('label_replace', [
      input,
      stringOf(dst),
      stringOf(replacement),
      stringOf(src),
      stringOf(regex),
    ]),
  );
}

function withDst(dst10: string | undefined, dst20: string | undefined = dst10): Record<string, string>[] {
  const row = (src: string, dst: string | undefined): Record<string, string> =>
    dst === undefined ? { __name__: 'testmetric', src } : { __name__: 'testmetric', dst, src };
  return [row('source-value-10', dst10), row('source-value-20', dst20)];
}

function assertExecutionError(fn: () => unknown, message: string): void {
  assert.throws(
    fn,
    (error: unknown) =>
      error instanceof PromQLError && error.type === 'execution' && error.message === message,
  );
}

describe('label_replace', () => {
  // prettier-ignore
  for (const [name, [dst, replacement, src, regex], expected] of [
    ['full-string match', ['dst', 'destination-value-$1', 'src', 'source-value-(.*)'], withDst('destination-value-10', 'destination-value-20')],
    ['no sub-string match', ['dst', 'destination-value-$1', 'src', 'value-(.*)'], withDst('original-destination-value')],
    ['several groups', ['dst', '$1-value-$2', 'src', '(.*)-value-(.*)'], withDst('source-value-10', 'source-value-20')],
    ['missing source does not match', ['dst', 'value-$1', 'nonexistent-src', 'source-value-(.*)'], withDst('original-destination-value')],
    ['missing source matches as empty', ['dst', 'value-$1', 'nonexistent-src', '(.*)'], withDst('value-')],
    ['no match keeps the label', ['dst', 'value-$1', 'src', 'non-matching-regex'], withDst('original-destination-value')],
    ['empty value removes the label', ['dst', '', 'dst', '.*'], withDst(undefined)],
    ['named groups, RE2 syntax', ['dst', '${n}', 'src', 'source-value-(?P<n>\\d+)'], withDst('10', '20')],
    ['$1x is the group named "1x"', ['dst', '$1x', 'src', 'source-value-(.*)'], withDst(undefined)],
    ['only the first series matches', ['dst', 'yes', 'src', 'source.value.1.'], withDst('yes', 'original-destination-value')],
  ] as const) {
    test(name, () => assert.deepEqual(replace(TESTMETRIC, dst, replacement, src, regex), expected));
  }

  test('the dot matches a newline, as with RE2 (?s)', () => {
    assert.deepEqual(replace(vectorOf(sample({ a: 'x\ny' }, 1)), 'b', '$1', 'a', 'x(.)y'), [
      { a: 'x\ny', b: '\n' },
    ]);
  });

  test('can set and keeps the metric name', () => {
    const renamed = replace(
      vectorOf(sample({ __name__: 'a', x: 'b' }, 1)),
      '__name__',
      'rate_$1',
      '__name__',
      '(.+)',
    );
    assert.deepEqual(renamed, [{ __name__: 'rate_a', x: 'b' }]);
  });

  test('fails for an invalid regex before looking at samples', () => {
    assertExecutionError(
      () => replace(vectorOf(), 'dst', 'value-$1', 'src', '(.*'),
      'invalid regular expression in label_replace(): (.*',
    );
  });

  test('fails for an invalid destination label name', () => {
    assertExecutionError(
      () => replace(TESTMETRIC, '\uDCFF', '', 'src', '(.*)'),
      'invalid destination label name in label_replace(): \uFFFD',
    );
    assertExecutionError(
      () => replace(TESTMETRIC, '', '', 'src', '(.*)'),
      'invalid destination label name in label_replace(): ',
    );
  });

  test('fails when two results share a label set', () => {
    assertExecutionError(
      () => replace(TESTMETRIC, 'src', '', '', ''),
      'vector cannot contain metrics with the same labelset',
    );
  });

  test('results take the step time', () => {
    const [result] = callVectorSamples(
      'label_replace',
      [vectorOf(sample({ a: 'b' }, 1, 5)), stringOf('c'), stringOf('d'), stringOf('a'), stringOf('b')],
      recordingContext(60_000),
    );
    assert.equal(result?.timestampMs, 60_000);
  });
});

describe('label_join', () => {
  const input = vectorOf(
    sample({ __name__: 'testmetric', src: 'a', src1: 'b', src2: 'c', dst: 'original-destination-value' }, 0),
    sample({ __name__: 'testmetric', src: 'd', src1: 'e', src2: 'f', dst: 'original-destination-value' }, 1),
  );
  const join = (arg: FunctionArg, ...strings: string[]): Record<string, string>[] =>
    labelRecords(callVectorSamples('label_join', [arg, ...strings.map(stringOf)]));
  const rows = (dst1?: string, dst2?: string): Record<string, string>[] => [
    { __name__: 'testmetric', ...(dst1 === undefined ? {} : { dst: dst1 }), src: 'a', src1: 'b', src2: 'c' },
    { __name__: 'testmetric', ...(dst2 === undefined ? {} : { dst: dst2 }), src: 'd', src1: 'e', src2: 'f' },
  ];

  test('joins the sources in order', () =>
    assert.deepEqual(join(input, 'dst', '-', 'src', 'src1', 'src2'), rows('a-b-c', 'd-e-f')));
  test('missing sources are empty', () =>
    assert.deepEqual(join(input, 'dst', '-', 'src', 'src3', 'src1'), rows('a--b', 'd--e')));
  test('an empty result removes the label', () =>
    assert.deepEqual(join(input, 'dst', '', 'emptysrc', 'emptysrc1'), rows()));
  test('no sources removes the label', () => assert.deepEqual(join(input, 'dst', ', '), rows()));

  test('fails for duplicate results and invalid names', () => {
    const dup = vectorOf(
      sample({ __name__: 'dup', label: 'a', this: 'a' }, 1),
      sample({ __name__: 'dup', label: 'b', this: 'a' }, 1),
    );
    assertExecutionError(
      () => join(dup, 'label', '', 'this'),
      'vector cannot contain metrics with the same labelset',
    );
    assertExecutionError(
      () => join(input, 'dst', '-', 'src', ''),
      'invalid source label name in label_join(): ',
    );
    assertExecutionError(
      () => join(input, '', '-', 'src'),
      'invalid destination label name in label_join(): ',
    );
  });
});

describe('isValidLabelName', () => {
  test('accepts any non-empty well-formed text', () => {
    // U+FFFD is a valid character; invalid bytes reach here as lone surrogates (\xff → U+DCFF).
    assert.deepEqual(['a', 'läbel', 'with space', '0', '', '\uD800', 'a\uDCFFz', 'a\uFFFDz'].map(isValidLabelName), [
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      true,
    ]);
  });
});

describe('expandTemplate (Go regexp.Expand)', () => {
  const match = /^(?<first>a)(b)?(c)$/su.exec('ac');
  assert.ok(match);
  // prettier-ignore
  for (const [template, expected] of [
    ['$1', 'a'],
    ['${1}x', 'ax'],
    ['$1x', ''],
    ['$first-$3', 'a-c'],
    ['${first}', 'a'],
    ['$2', ''],
    ['$9', ''],
    ['$$1', '$1'],
    ['cost: $', 'cost: $'],
    ['${1', '${1'],
    ['$01', ''],
    ['$0', 'ac'],
    ['$-', '$-'],
  ] as const) {
    test(`${template} → ${expected}`, () => assert.equal(expandTemplate(template, match), expected));
  }
});
