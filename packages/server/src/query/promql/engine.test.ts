import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PromQLEngine } from './engine.ts';
import { PromQLError } from './errors.ts';
import { labelsFrom, labelsToRecord } from './labels.ts';
import { MemorySeriesSource } from './memory-series-source.ts';
import { STALE_NAN, type PromValue } from './values.ts';

const MINUTE_MS = 60_000;

/** http_requests_total for two jobs, +10 per minute over an hour, and a gauge that goes stale. */
function fixture(): MemorySeriesSource {
  const source = new MemorySeriesSource();
  for (let minute = 0; minute <= 60; minute++) {
    source.add(
      labelsFrom({ __name__: 'http_requests_total', job: 'api', code: '200' }),
      minute * MINUTE_MS,
      minute * 10,
    );
    source.add(
      labelsFrom({ __name__: 'http_requests_total', job: 'api', code: '500' }),
      minute * MINUTE_MS,
      minute,
    );
    source.add(
      labelsFrom({ __name__: 'http_requests_total', job: 'web', code: '200' }),
      minute * MINUTE_MS,
      minute * 20,
    );
  }
  source.add(labelsFrom({ __name__: 'gpu_temp', gpu: '0' }), 0, 60);
  source.add(labelsFrom({ __name__: 'gpu_temp', gpu: '0' }), 2 * MINUTE_MS, STALE_NAN);
  return source;
}

function vectorOf(value: PromValue): { labels: Record<string, string>; value: number }[] {
  assert.equal(value.type, 'vector');
  if (value.type !== 'vector') return [];
  return value.samples
    .map((s) => ({ labels: labelsToRecord(s.labels), value: s.value }))
    .sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
}

describe('PromQLEngine', () => {
  const engine = new PromQLEngine(fixture());

  test('instant selector returns the latest sample within the lookback', async () => {
    const { value } = await engine.instantQuery('http_requests_total{job="web"}', 30 * MINUTE_MS + 30_000);
    assert.deepEqual(vectorOf(value), [
      { labels: { __name__: 'http_requests_total', code: '200', job: 'web' }, value: 600 },
    ]);
  });

  test('a stale marker ends the series before the lookback would', async () => {
    const before = await engine.instantQuery('gpu_temp', MINUTE_MS);
    const after = await engine.instantQuery('gpu_temp', 3 * MINUTE_MS);
    assert.equal(vectorOf(before.value).length, 1);
    assert.equal(vectorOf(after.value).length, 0);
  });

  test('sum by, with binary arithmetic and a scalar', async () => {
    const { value } = await engine.instantQuery('sum by (job) (http_requests_total) * 2', 10 * MINUTE_MS);
    assert.deepEqual(vectorOf(value), [
      { labels: { job: 'api' }, value: 220 },
      { labels: { job: 'web' }, value: 400 },
    ]);
  });

  test('error ratio with on() matching', async () => {
    const query =
      'sum by (job) (http_requests_total{code="500"}) / on(job) sum by (job) (http_requests_total)';
    const { value } = await engine.instantQuery(query, 10 * MINUTE_MS);
    assert.deepEqual(vectorOf(value), [{ labels: { job: 'api' }, value: 10 / 110 }]);
  });

  test('comparison filters and bool returns 0/1', async () => {
    const filtered = await engine.instantQuery('http_requests_total > 150', 10 * MINUTE_MS);
    assert.deepEqual(
      vectorOf(filtered.value).map((s) => s.value),
      [200],
    );
    const asBool = await engine.instantQuery('http_requests_total > bool 150', 10 * MINUTE_MS);
    assert.deepEqual(
      vectorOf(asBool.value).map((s) => s.value),
      [0, 1, 0],
    );
  });

  test('range query steps every point and sorts series', async () => {
    const { value } = await engine.rangeQuery('sum(http_requests_total)', 0, 2 * MINUTE_MS, MINUTE_MS);
    assert.equal(value.type, 'matrix');
    if (value.type !== 'matrix') return;
    assert.deepEqual(value.series[0]?.values, [0, 31, 62]);
    assert.deepEqual(value.series[0]?.timestampsMs, [0, MINUTE_MS, 2 * MINUTE_MS]);
  });

  test('offset and @ move the evaluation time', async () => {
    const offset = await engine.instantQuery('http_requests_total{job="web"} offset 10m', 30 * MINUTE_MS);
    assert.equal(vectorOf(offset.value)[0]?.value, 400);
    const at = await engine.instantQuery('http_requests_total{job="web"} @ 300', 30 * MINUTE_MS);
    assert.equal(vectorOf(at.value)[0]?.value, 100);
  });

  test('set operators', async () => {
    const { value } = await engine.instantQuery(
      'http_requests_total unless http_requests_total{code="500"}',
      5 * MINUTE_MS,
    );
    assert.equal(vectorOf(value).length, 2);
    const or = await engine.instantQuery('gpu_temp or http_requests_total{job="web"}', MINUTE_MS);
    assert.equal(vectorOf(or.value).length, 2);
  });

  test('instant query of a range selector returns the window, left-open', async () => {
    const { value } = await engine.instantQuery('http_requests_total{job="web"}[2m]', 10 * MINUTE_MS);
    assert.equal(value.type, 'matrix');
    if (value.type !== 'matrix') return;
    assert.deepEqual(value.series[0]?.timestampsMs, [9 * MINUTE_MS, 10 * MINUTE_MS]);
  });

  test('topk orders the instant result', async () => {
    const { value } = await engine.instantQuery('topk(2, http_requests_total)', 10 * MINUTE_MS);
    assert.equal(value.type, 'vector');
    if (value.type !== 'vector') return;
    assert.deepEqual(
      value.samples.map((s) => s.value),
      [200, 100],
    );
  });

  test('parse errors are bad_data with a position', async () => {
    await assert.rejects(engine.instantQuery('sum(', 0), (error: unknown) => {
      assert.ok(error instanceof PromQLError);
      assert.equal(error.type, 'bad_data');
      assert.match(error.message, /^1:\d+: parse error: /);
      return true;
    });
  });

  test('many-to-many matching is an execution error', async () => {
    await assert.rejects(
      engine.instantQuery('http_requests_total + on(job) http_requests_total', MINUTE_MS),
      /many-to-many matching not allowed/,
    );
  });

  test('a query past its timeout fails as Prometheus words it', async () => {
    const hurried = new PromQLEngine(fixture(), { timeoutMs: -1 });
    await assert.rejects(
      hurried.rangeQuery('sum(rate(http_requests_total[5m]))', 0, 60 * MINUTE_MS, 15_000),
      (error: unknown) => {
        assert.ok(error instanceof PromQLError);
        assert.equal(error.type, 'timeout');
        assert.equal(error.message, 'query timed out in expression evaluation');
        return true;
      },
    );
  });

  test('the series limit is enforced', async () => {
    const limited = new PromQLEngine(fixture(), { maxSeries: 2 });
    await assert.rejects(limited.instantQuery('http_requests_total', MINUTE_MS), /too many series/);
    assert.equal((await limited.instantQuery('gpu_temp', MINUTE_MS)).value.type, 'vector');
  });

  test('the sample limit is enforced', async () => {
    const limited = new PromQLEngine(fixture(), { maxSamples: 10 });
    await assert.rejects(limited.instantQuery('http_requests_total[1h]', 60 * MINUTE_MS), /too many samples/);
  });
});
