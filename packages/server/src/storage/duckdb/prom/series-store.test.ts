import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PromSeriesSamples, SeriesMatcher } from '../../../model/prom-series.ts';
import type { DuckDbStore, DuckDbStoreOptions } from '../duckdb-store.ts';
import { openDuckDbStore } from '../duckdb-store.ts';
import { withTempDir } from '../../../test-support/temp-dir.ts';

const HOUR = 3_600_000;
const STEP = 15_000;
/** 2 h windows are aligned to the epoch; start mid-window so data spans three of them. */
const START = 1_760_000_000_000 - (1_760_000_000_000 % (2 * HOUR)) + HOUR;

async function withDir(
  body: (open: (options?: Partial<DuckDbStoreOptions>) => Promise<DuckDbStore>, dir: string) => Promise<void>,
): Promise<void> {
  await withTempDir('vigil-prom-store-', async (dir) => {
    const opened: DuckDbStore[] = [];
    try {
      await body(async (options = {}) => {
        const store = await openDuckDbStore({ path: join(dir, 'vigil.duckdb'), threads: 2, ...options });
        opened.push(store);
        return store;
      }, dir);
    } finally {
      for (const store of opened) await store.close().catch(() => undefined);
    }
  });
}

/** 30 series × 6 h at 15 s; a stale marker and a signalling NaN in series 3; series 29 stops after 1 h. */
function dataset(): PromSeriesSamples[] {
  const stale = new Float64Array(BigUint64Array.of(0x7ff0000000000002n).buffer)[0] ?? NaN;
  return Array.from({ length: 30 }, (_, s) => {
    const count = s === 29 ? HOUR / STEP : (6 * HOUR) / STEP;
    const timestampsMs = Float64Array.from({ length: count }, (_, i) => START + i * STEP + (i % 3));
    const values = Float64Array.from({ length: count }, (_, i) => (s % 2 === 0 ? i * s : Math.sin(i + s)));
    if (s === 3) values[100] = stale;
    return {
      labels: new Map([
        ['__name__', `m_${s % 3}`],
        ['s', String(s)],
      ]),
      timestampsMs,
      values,
    };
  });
}

/** The sample WAL's segment files. */
async function walSegments(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'vigil.duckdb.prom-wal'))).filter((name) => name.endsWith('.wal')).sort();
}

const ALL_NAMES: SeriesMatcher[] = [{ name: '__name__', type: '=~', value: '.+' }];
const ALL: SeriesMatcher[] = [{ name: '__name__', type: '=~', value: 'm_.*' }];
const RANGES: [number, number][] = [
  [START, START + 6 * HOUR],
  [START - HOUR, START + 30 * 60_000],
  [START + HOUR + 7, START + 3 * HOUR + 1],
  [START + 5 * HOUR, START + 7 * HOUR],
];

/** Series as comparable rows with values as bit patterns (stale markers must match exactly). */
async function snapshot(
  store: DuckDbStore,
  matchers: SeriesMatcher[],
  minMs: number,
  maxMs: number,
): Promise<Record<string, [number, bigint][]>> {
  const series = await store.selectSeries(matchers, minMs, maxMs);
  const bits = (v: number): bigint => new BigUint64Array(Float64Array.of(v).buffer)[0] ?? 0n;
  const rows = series.map(
    (s) =>
      [
        JSON.stringify([...s.labels]),
        [...s.timestampsMs].map((t, i): [number, bigint] => [t, bits(s.values[i] ?? 0)]),
      ] as const,
  );
  return Object.fromEntries(rows.sort(([a], [b]) => a.localeCompare(b)));
}

async function allSnapshots(store: DuckDbStore): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const [min, max] of RANGES) {
    out.push(await snapshot(store, ALL, min, max));
    out.push(await snapshot(store, [{ name: 's', type: '=', value: '3' }], min, max));
  }
  return out;
}

void test('duckdb prom: head, head replayed from the sample WAL and compacted blocks give the same answers, bit for bit', () =>
  withDir(async (open, dir) => {
    const store = await open();
    const input = dataset();
    assert.deepStrictEqual(await store.writeSamples(input), {
      samplesWritten: 30 * 1_440 - 1_200,
      samplesRejected: 0,
    });
    const fromHead = await allSnapshots(store);
    const expected = snapshot(store, ALL, -Infinity, Infinity);
    assert.equal(Object.keys(await expected).length, 30);
    // The worker compacted the windows that ended an hour before the newest sample on its own.
    assert.equal((await store.stats()).promSamples, 30 * 1_440 - 1_200);
    await store.close();

    const reopened = await open();
    assert.deepStrictEqual(await allSnapshots(reopened), fromHead, 'blocks + head replayed from the WAL');
    assert.ok((await reopened.compactPromSamples()) > 0, 'the head had samples left to compact');
    assert.deepStrictEqual(await allSnapshots(reopened), fromHead, 'everything compacted');
    assert.equal((await reopened.stats()).promSamples, 30 * 1_440 - 1_200);
    assert.deepStrictEqual(await walSegments(dir), [], 'segments of compacted samples are deleted');
    // New samples after compaction land in the head; reads still come out in order.
    const later = dataset().map((s) => ({
      ...s,
      timestampsMs: s.timestampsMs.map((t) => t + 6 * HOUR),
      values: s.values.slice(),
    }));
    await reopened.writeSamples(later.slice(0, 29));
    await reopened.close();
    const third = await open();
    const [series3] = await third.selectSeries(
      [{ name: 's', type: '=', value: '3' }],
      START,
      START + 12 * HOUR,
    );
    const times = [...(series3?.timestampsMs ?? [])];
    assert.equal(times.length, 2 * 1_440);
    assert.ok(
      times.every((t, i) => i === 0 || t > (times[i - 1] ?? 0)),
      'ascending across blocks and head',
    );
    assert.equal((await third.stats()).promSamples, 2 * (30 * 1_440 - 1_200) - 240);
  }));

void test('duckdb prom: retention drops whole chunk rows and hides older samples that share a row', () =>
  withDir(async (open) => {
    const store = await open();
    const nowMs = Date.now();
    const start = nowMs - 3 * 86_400_000;
    const count = Math.floor((3 * 86_400_000) / 60_000);
    const timestampsMs = Float64Array.from({ length: count }, (_, i) => start + i * 60_000);
    await store.writeSamples([
      { labels: new Map([['__name__', 'r']]), timestampsMs, values: timestampsMs.map((_, i) => i) },
    ]);
    await store.compactPromSamples();
    const result = await store.applyRetention({
      maxAgeMillis: { traces: 0, metrics: 86_400_000, logs: 0 },
      maxSizeBytes: 0,
    });
    assert.ok(result.deletedPromSamples > 0);
    const [series] = await store.selectSeries([{ name: '__name__', type: '=', value: 'r' }], 0, nowMs);
    const oldest = series?.timestampsMs[0] ?? 0;
    assert.ok(
      oldest >= nowMs - 86_400_000 - 1,
      `no sample older than the cutoff is visible (${nowMs - oldest} ms old)`,
    );
    assert.ok(oldest <= nowMs - 86_400_000 + 60_000, 'samples after the cutoff are kept');
  }));

void test('duckdb prom: a series deleted by retention never lends its ref, or its logged samples, to a new series', () =>
  withDir(async (open) => {
    const nowMs = Date.now();
    const series = (name: string, startMs: number, count: number): PromSeriesSamples => ({
      labels: new Map([['__name__', name]]),
      timestampsMs: Float64Array.from({ length: count }, (_, i) => startMs + i * STEP),
      values: Float64Array.from({ length: count }, (_, i) => i),
    });
    const first = await open();
    // One write, so one WAL record holds both: the live series' samples keep its segment alive.
    await first.writeSamples([series('alive', nowMs - HOUR, 10), series('dead', nowMs - 3 * 86_400_000, 10)]);
    await first.applyRetention({
      maxAgeMillis: { traces: 0, metrics: 86_400_000, logs: 0 },
      maxSizeBytes: 0,
    });
    await first.close();
    const second = await open();
    await second.writeSamples([series('newcomer', nowMs - 60_000, 2)]);
    await second.close();
    const third = await open();
    const [newcomer] = await third.selectSeries(
      [{ name: '__name__', type: '=', value: 'newcomer' }],
      0,
      Infinity,
    );
    assert.deepStrictEqual([...(newcomer?.timestampsMs ?? [])], [nowMs - 60_000, nowMs - 60_000 + STEP]);
    const names = (await third.selectSeries(ALL_NAMES, 0, Infinity))
      .map((s) => s.labels.get('__name__'))
      .sort();
    assert.deepStrictEqual(names, ['alive', 'newcomer']);
  }));
