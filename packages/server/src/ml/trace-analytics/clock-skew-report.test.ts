import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeClockSkew, type ClockSkewReport } from './clock-skew-report.ts';
import { skewedPlatform, type SyntheticTrace } from './synthetic-traces.ts';
import type { WeightedTrace } from './trace-sample.ts';

function weighted(traces: SyntheticTrace[]): WeightedTrace[] {
  return traces.map((trace) => trace.weighted());
}

function assertOnlyGpuFlagged(report: ClockSkewReport, gpuAheadMs: number): void {
  const flagged = report.hosts.filter((host) => host.flagged);
  assert.deepEqual(flagged.map((host) => [host.host, host.services]), [['gpu-node-1', ['fraud-model']]]);
  // The centring estimate errs by half the difference of the two network legs (≤ 1 ms here).
  assert.ok(Math.abs(flagged[0]!.medianSkewMs - gpuAheadMs) < 1.5, `median ${flagged[0]!.medianSkewMs}`);
  assert.ok(Math.abs(flagged[0]!.offsetMs - gpuAheadMs) < 1.5, `offset ${flagged[0]!.offsetMs}`);
  for (const host of report.hosts.filter((candidate) => !candidate.flagged))
    assert.ok(Math.abs(host.medianSkewMs) < 1.5, `${host.host}: ${host.medianSkewMs}`);
}

void test('clock skew report: one host 250 ms ahead is flagged with ≈ 250 ms; its peers are not', () => {
  const report = analyzeClockSkew(weighted(skewedPlatform(200, 250)));
  assert.equal(report.crossHostPairs, 200 * 3);
  assert.deepEqual(
    report.hosts.map((host) => [host.host, host.pairs]).sort(),
    [['api-gateway-host', 400], ['gpu-node-1', 400], ['postprocess-host', 200], ['preprocess-host', 200]],
  );
  assertOnlyGpuFlagged(report, 250);
});

void test('clock skew report: a host behind is flagged with a negative skew; synced clocks flag nothing', () => {
  const behind = analyzeClockSkew(weighted(skewedPlatform(100, -120)));
  assert.equal(behind.hosts[0]?.host, 'gpu-node-1');
  assert.ok(Math.abs(behind.hosts[0].medianSkewMs + 120) < 1.5);
  const synced = analyzeClockSkew(weighted(skewedPlatform(100, 0)));
  assert.ok(synced.hosts.every((host) => !host.flagged && host.medianSkewMs === 0 && host.p90AbsSkewMs === 0));
  // 30 ms is under the default threshold and reported, not flagged; a lower threshold flags it.
  const small = analyzeClockSkew(weighted(skewedPlatform(100, 30)));
  assert.ok(small.hosts.every((host) => !host.flagged));
  assert.equal(analyzeClockSkew(weighted(skewedPlatform(100, 30)), { thresholdMs: 20 }).hosts[0]?.flagged, true);
});
