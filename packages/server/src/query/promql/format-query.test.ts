import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AggregateExpr, BinaryExpr, Expr, MatrixSelector, VectorSelector } from './ast.ts';
import { formatDuration, formatExpr, prettifyExpr, quoteGoString } from './format-query.ts';
import type { LabelMatcher } from './matchers.ts';

const pos = { start: 0, end: 0 };

function selector(
  name: string | undefined,
  matchers: LabelMatcher[] = [],
  extra: Partial<VectorSelector> = {},
): VectorSelector {
  const nameMatcher: LabelMatcher[] =
    name === undefined ? [] : [{ name: '__name__', type: '=', value: name }];
  return {
    kind: 'vector_selector',
    name,
    matchers: [...nameMatcher, ...matchers],
    offsetMs: 0,
    at: undefined,
    pos,
    ...extra,
  };
}

function matrix(inner: VectorSelector, rangeMs: number): MatrixSelector {
  return { kind: 'matrix_selector', selector: inner, rangeMs, pos };
}

function call(name: string, ...args: Expr[]): Expr {
  return { kind: 'call', name, args, pos };
}

function aggregate(op: AggregateExpr['op'], expr: Expr, extra: Partial<AggregateExpr> = {}): AggregateExpr {
  return { kind: 'aggregate', op, expr, param: undefined, grouping: [], without: false, pos, ...extra };
}

function binary(op: BinaryExpr['op'], lhs: Expr, rhs: Expr, extra: Partial<BinaryExpr> = {}): BinaryExpr {
  return { kind: 'binary', op, lhs, rhs, returnBool: false, matching: undefined, pos, ...extra };
}

function num(value: number): Expr {
  return { kind: 'number', value, pos };
}

test('formatExpr prints the one-line form of Prometheus Expr.String()', () => {
  const rows: { expr: Expr; want: string }[] = [
    {
      expr: aggregate(
        'sum',
        call('rate', matrix(selector('x', [{ name: 'a', type: '=', value: 'b' }]), 300_000)),
        { grouping: ['job'] },
      ),
      want: 'sum by (job) (rate(x{a="b"}[5m]))',
    },
    { expr: aggregate('sum', selector('x')), want: 'sum(x)' },
    {
      expr: aggregate('avg', selector('x'), { without: true, grouping: ['instance', 'pod'] }),
      want: 'avg without (instance, pod) (x)',
    },
    {
      expr: aggregate('topk', selector('x'), { param: num(5), grouping: ['job'] }),
      want: 'topk by (job) (5, x)',
    },
    {
      expr: aggregate('count_values', selector('x'), { param: { kind: 'string', value: 'v', pos } }),
      want: 'count_values("v", x)',
    },
    {
      expr: selector('up', [
        { name: 'z', type: '!~', value: 'a.*' },
        { name: 'job', type: '=', value: 'api' },
      ]),
      want: 'up{job="api",z!~"a.*"}',
    },
    { expr: selector(undefined, [{ name: 'job', type: '=~', value: '.+' }]), want: '{job=~".+"}' },
    { expr: selector('my.metric'), want: '{__name__="my.metric"}' },
    {
      expr: selector('up', [{ name: 'service.name', type: '=', value: 'a' }]),
      want: 'up{"service.name"="a"}',
    },
    {
      expr: selector('x', [], { offsetMs: 3_600_000, at: { timestampMs: 1500 } }),
      want: 'x @ 1.500 offset 1h',
    },
    { expr: selector('x', [], { offsetMs: -300_000, at: 'start' }), want: 'x @ start() offset -5m' },
    {
      expr: matrix(selector('x', [], { offsetMs: 60_000, at: 'end' }), 90 * 86_400_000),
      want: 'x[90d] @ end() offset 1m',
    },
    {
      expr: {
        kind: 'subquery',
        expr: call('rate', matrix(selector('x'), 60_000)),
        rangeMs: 1_800_000,
        stepMs: 0,
        offsetMs: 0,
        at: undefined,
        pos,
      },
      want: 'rate(x[1m])[30m:]',
    },
    {
      expr: {
        kind: 'subquery',
        expr: selector('x'),
        rangeMs: 3_600_000,
        stepMs: 90_000,
        offsetMs: 604_800_000,
        at: undefined,
        pos,
      },
      want: 'x[1h:1m30s] offset 1w',
    },
    { expr: binary('+', num(1), num(1)), want: '1 + 1' },
    { expr: binary('*', num(1e21), num(-1.5e-7)), want: '1000000000000000000000 * -0.00000015' },
    { expr: binary('+', num(NaN), num(-Infinity)), want: 'NaN + -Inf' },
    { expr: binary('>', selector('a'), num(Infinity), { returnBool: true }), want: 'a > bool +Inf' },
    {
      expr: binary('*', selector('a'), selector('b'), {
        matching: { card: 'many-to-one', on: true, matchingLabels: ['job'], include: ['team'] },
      }),
      want: 'a * on (job) group_left (team) b',
    },
    {
      expr: binary('/', selector('a'), selector('b'), {
        matching: { card: 'one-to-one', on: false, matchingLabels: ['pod'], include: [] },
      }),
      want: 'a / ignoring (pod) b',
    },
    {
      expr: binary('and', selector('a'), selector('b'), {
        matching: { card: 'many-to-many', on: false, matchingLabels: [], include: [] },
      }),
      want: 'a and b',
    },
    {
      expr: binary('-', selector('a'), selector('b'), {
        matching: { card: 'one-to-one', on: true, matchingLabels: [], include: [] },
      }),
      want: 'a - on () b',
    },
    {
      expr: {
        kind: 'unary',
        op: '-',
        expr: { kind: 'paren', expr: binary('atan2', selector('a'), selector('b')), pos },
        pos,
      },
      want: '-(a atan2 b)',
    },
    {
      expr: { kind: 'string', value: 'tab\there "q" \\ \x00 é \u00a0', pos },
      want: '"tab\\there \\"q\\" \\\\ \\x00 é \\u00a0"',
    },
    { expr: call('time'), want: 'time()' },
    {
      expr: call(
        'label_replace',
        selector('up'),
        { kind: 'string', value: 'a', pos },
        { kind: 'string', value: 'b', pos },
      ),
      want: 'label_replace(up, "a", "b")',
    },
  ];
  for (const { expr, want } of rows) assert.equal(formatExpr(expr), want);
});

test('prettifyExpr keeps short expressions on one line and splits long ones as parser.Prettify does', () => {
  const long = selector('http_requests_total', [
    { name: 'job', type: '=', value: 'a-very-long-job-name-for-testing' },
    { name: 'instance', type: '=', value: 'some-host.example.com:9090' },
  ]);
  assert.equal(prettifyExpr(binary('+', selector('a'), selector('b'))), 'a + b');
  const sumExpr = aggregate('sum', call('rate', matrix(long, 300_000)), { grouping: ['job'] });
  assert.equal(
    prettifyExpr(binary('/', sumExpr, num(2))),
    [
      '  sum by (job) (',
      '    rate(',
      '      http_requests_total{instance="some-host.example.com:9090",job="a-very-long-job-name-for-testing"}[5m]',
      '    )',
      '  )',
      '/',
      '  2',
    ].join('\n'),
  );
  const topk = aggregate('topk', binary('+', long, long), { param: num(3) });
  assert.equal(
    prettifyExpr(topk),
    [
      'topk(',
      '  3,',
      '    http_requests_total{instance="some-host.example.com:9090",job="a-very-long-job-name-for-testing"}',
      '  +',
      '    http_requests_total{instance="some-host.example.com:9090",job="a-very-long-job-name-for-testing"}',
      ')',
    ].join('\n'),
  );
  const negated: Expr = {
    kind: 'unary',
    op: '-',
    expr: { kind: 'paren', expr: binary('*', long, long), pos },
    pos,
  };
  assert.match(prettifyExpr(negated), /^-\(\n {4}http_requests_total/);
});

test('formatDuration prints model.Duration.String(), years and weeks only when exact', () => {
  const rows: [number, string][] = [
    [0, '0s'],
    [1, '1ms'],
    [1500, '1s500ms'],
    [300_000, '5m'],
    [5_400_000, '1h30m'],
    [86_400_000, '1d'],
    [7 * 86_400_000, '1w'],
    [90 * 86_400_000, '90d'],
    [365 * 86_400_000, '1y'],
    [366 * 86_400_000, '366d'],
  ];
  for (const [ms, want] of rows) assert.equal(formatDuration(ms), want);
});

test('quoteGoString escapes as strconv.Quote', () => {
  assert.equal(quoteGoString('a\u0007\u007f\u0085😀\u200b'), '"a\\a\\x7f\\u0085😀\\u200b"');
});

test('format → parse round trip through the real parser', async () => {
  const { parseExpr } = await import('./parser.ts');
  const rows: [string, string][] = [
    ['sum(rate(x{a="b"}[300s]))by(job)', 'sum by (job) (rate(x{a="b"}[5m]))'],
    ['1+1', '1 + 1'],
    ['"x"', '"x"'],
    ['foo offset 5m @ 100', 'foo @ 100.000 offset 5m'],
    ['a * on(b) group_left(c) d', 'a * on (b) group_left (c) d'],
    ['rate(x[5m])[1h:]', 'rate(x[5m])[1h:]'],
  ];
  for (const [query, want] of rows) {
    assert.equal(formatExpr(parseExpr(query)), want, query);
    assert.equal(formatExpr(parseExpr(want)), want, `re-parse of ${want}`);
  }
});
