import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatReportTable, formatVerdict, type QueryReport } from './promql-report.ts';

const reports: QueryReport[] = [
  {
    name: 'topk',
    prometheusMedianMs: 100,
    vigilMedianMs: 80,
    resultSeries: 5,
    resultSamples: 1205,
    verdict: 'equal',
  },
  {
    name: 'histogram_quantile p99',
    prometheusMedianMs: 558,
    vigilMedianMs: 600.25,
    resultSeries: 3,
    resultSamples: 722,
    verdict: 'DIFFERENT',
  },
  { name: 'sum', prometheusMedianMs: 50, resultSeries: 1, resultSamples: 241, verdict: '-' },
];

test('formatReportTable aligns columns and prints the ratio', () => {
  assert.equal(
    formatReportTable(reports),
    [
      'query                   prometheus ms  vigil ms  vigil/prom  series  samples  result',
      '----------------------  -------------  --------  ----------  ------  -------  ---------',
      'topk                            100.0      80.0       0.80x       5     1205  equal',
      'histogram_quantile p99          558.0     600.3       1.08x       3      722  DIFFERENT',
      'sum                              50.0         -           -       1      241  -',
    ].join('\n'),
  );
});

test('formatVerdict counts queries at or under 1.0x and equal results', () => {
  assert.equal(formatVerdict(reports), 'latency <= 1.0x prometheus on 1/2 queries; results equal on 1/2');
  const failed = { ...reports[2]!, verdict: 'ERROR HTTP 404: no such route' };
  assert.equal(formatVerdict([failed]), 'latency <= 1.0x prometheus on 0/1 queries; results equal on 0/1');
  assert.equal(formatVerdict(reports.slice(2)), 'vigil not measured');
});
