import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDuckDbStore } from '../../storage/duckdb/duckdb-store.ts';
import { labelsFrom, labelsKey } from './labels.ts';
import type { LabelMatcher } from './matchers.ts';
import { MemorySeriesSource } from './memory-series-source.ts';
import type { StoredSeries } from './series-source.ts';
import { StoreSeriesSource } from './store-series-source.ts';
import { isStaleNaN, STALE_NAN } from './values.ts';

/** http_requests_total for 3 jobs × 2 instances, 40 samples at 15 s; a stale marker ends api/1. */
function fixture(): { labels: Record<string, string>; samples: [number, number][] }[] {
  const out: { labels: Record<string, string>; samples: [number, number][] }[] = [];
  for (const job of ['api', 'web', 'batch']) {
    for (const instance of ['1', '2']) {
      const samples: [number, number][] = Array.from({ length: 40 }, (_, i) => [
        i * 15_000,
        i * 3 + instance.length,
      ]);
      if (job === 'api' && instance === '1') samples.push([40 * 15_000, STALE_NAN]);
      out.push({ labels: { __name__: 'http_requests_total', job, instance }, samples });
    }
  }
  out.push({
    labels: { __name__: 'up', job: 'api', instance: '1' },
    samples: [
      [0, 1],
      [300_000, 0],
    ],
  });
  return out;
}

const CASES: { name: string; matchers: LabelMatcher[]; range: [number, number] }[] = [
  {
    name: 'by name',
    matchers: [{ name: '__name__', type: '=', value: 'http_requests_total' }],
    range: [0, 1_000_000],
  },
  {
    name: 'job regex, window',
    matchers: [{ name: 'job', type: '=~', value: 'api|web' }],
    range: [100_000, 200_000],
  },
  {
    name: 'negative matchers',
    matchers: [
      { name: '__name__', type: '=~', value: '.+' },
      { name: 'job', type: '!=', value: 'api' },
      { name: 'instance', type: '!~', value: '2' },
    ],
    range: [0, 1_000_000],
  },
  {
    name: 'stale marker at the end',
    matchers: [
      { name: 'job', type: '=', value: 'api' },
      { name: 'instance', type: '=', value: '1' },
    ],
    range: [590_000, 700_000],
  },
  { name: 'nothing in range', matchers: [{ name: '__name__', type: '=', value: 'up' }], range: [1, 299_999] },
];

function normalise(series: StoredSeries[]): [string, number[], string[]][] {
  return series
    .map((s): [string, number[], string[]] => [
      labelsKey(s.labels),
      [...s.timestampsMs],
      [...s.values].map((v) => (isStaleNaN(v) ? 'stale' : String(v))),
    ])
    .sort(([a], [b]) => a.localeCompare(b));
}

void test('StoreSeriesSource answers as MemorySeriesSource does for the same series', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-store-source-'));
  const store = await openDuckDbStore({ path: join(dir, 'vigil.duckdb'), threads: 2 });
  try {
    const memory = new MemorySeriesSource();
    const data = fixture();
    for (const { labels, samples } of data)
      for (const [t, v] of samples) memory.add(labelsFrom(labels), t, v);
    memory.setMetadata('http_requests_total', { type: 'counter', help: 'Requests.', unit: '' });
    await store.writeSamples(
      data.map(({ labels, samples }) => ({
        labels: labelsFrom(labels),
        timestampsMs: Float64Array.from(samples, ([t]) => t),
        values: Float64Array.from(samples, ([, v]) => v),
      })),
      [{ metricFamily: 'http_requests_total', type: 'counter', help: 'Requests.', unit: '' }],
    );
    const source = new StoreSeriesSource(store);
    for (const c of CASES) {
      assert.deepStrictEqual(
        normalise(await source.select(c.matchers, ...c.range)),
        normalise(await memory.select(c.matchers, ...c.range)),
        c.name,
      );
    }
    const selectors = [
      [{ name: 'job', type: '=' as const, value: 'web' }],
      [{ name: '__name__', type: '=' as const, value: 'up' }],
    ];
    const keys = (labels: ReadonlyMap<string, string>[]): string[] => labels.map(labelsKey).sort();
    assert.deepStrictEqual(
      keys(await source.series(selectors, 0, 1_000_000, 100)),
      keys(await memory.series(selectors, 0, 1_000_000, 100)),
    );
    assert.deepStrictEqual(
      await source.labelNames([], 0, 1_000_000, 100),
      await memory.labelNames([], 0, 1_000_000, 100),
    );
    assert.deepStrictEqual(
      await source.labelValues('job', [], 0, 1_000_000, 100),
      await memory.labelValues('job', [], 0, 1_000_000, 100),
    );
    assert.deepStrictEqual(await source.metadata(undefined, 10), await memory.metadata(undefined, 10));
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
