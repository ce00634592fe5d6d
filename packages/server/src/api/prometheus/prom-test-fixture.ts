import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ENGINE_OPTIONS, PromQLEngine, type QueryResult } from '../../query/promql/engine.ts';
import { PromQLError } from '../../query/promql/errors.ts';
import { labelsFrom } from '../../query/promql/labels.ts';
import { MemorySeriesSource } from '../../query/promql/memory-series-source.ts';
import { openDuckDbStore } from '../../storage/duckdb/duckdb-store.ts';
import { selfMetrics } from '../../telemetry/self-metrics.ts';
import type { Store } from '../../storage/store.ts';
import { startApiServer, type ApiServer } from '../api-server.ts';
import type { PromQueryEngine } from './prom-api-context.ts';

/**
 * Test servers for the Prometheus API tests: `real` runs the PromQL engine over in-memory series;
 * `stub` has a stand-in engine (deterministic results, queries that wait until released), one
 * evaluation slot, a queue of one and a catalog cap of two.
 */
export type Json = Record<string, unknown>;

export const T0_SECONDS = 1_700_000_000;
const T0_MS = T0_SECONDS * 1000;

export interface PromFixture {
  /** For servers a test starts itself. */
  store: Store;
  real: ApiServer;
  stub: ApiServer;
  /** [startMs, endMs, stepMs] of every rangeQuery the stub engine received. */
  rangeCalls: number[][];
  /** Finishes the stub's `slow` queries that have started. */
  releaseSlow(): void;
  close(): Promise<void>;
}

export async function startPromFixture(): Promise<PromFixture> {
  const source = new MemorySeriesSource();
  fillSource(source);
  const rangeCalls: number[][] = [];
  const pendingSlow: (() => void)[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'vigil-prom-api-'));
  const store = await openDuckDbStore({ path: join(dir, 'vigil.duckdb') });
  const common = { port: 0, store, metricsText: () => selfMetrics.render(), logError: () => undefined };
  const real = await startApiServer({
    ...common,
    promql: { engine: new PromQLEngine(source), catalog: source },
  });
  const engine = stubEngine(rangeCalls, pendingSlow);
  const stub = await startApiServer({
    ...common,
    promql: { engine, catalog: source, maxConcurrentQueries: 1, maxQueuedQueries: 1, maxCatalogResults: 2 },
  });
  const releaseSlow = (): void => pendingSlow.splice(0).forEach((release) => release());
  return {
    store,
    real,
    stub,
    rangeCalls,
    releaseSlow,
    close: async () => {
      releaseSlow();
      await real.close();
      await stub.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function stubEngine(rangeCalls: number[][], pendingSlow: (() => void)[]): PromQueryEngine {
  return {
    options: DEFAULT_ENGINE_OPTIONS,
    instantQuery(query: string, timeMs: number): Promise<QueryResult> {
      if (query === 'slow')
        return new Promise((resolve) => pendingSlow.push(() => resolve(scalarResult(timeMs))));
      if (query === 'annotated') return Promise.resolve(annotatedResult());
      if (query === 'failing')
        return Promise.reject(new PromQLError('execution', 'expanding series: storage said no'));
      if (query === 'broken') return Promise.reject(new Error('secret internal detail'));
      return Promise.reject(new PromQLError('bad_data', '1:1: parse error: unexpected identifier'));
    },
    rangeQuery(_query: string, startMs: number, endMs: number, stepMs: number): Promise<QueryResult> {
      rangeCalls.push([startMs, endMs, stepMs]);
      return Promise.resolve({ value: { type: 'matrix', series: [] }, warnings: [], infos: [] });
    },
  };
}

function scalarResult(timeMs: number): QueryResult {
  return { value: { type: 'scalar', timestampMs: timeMs, value: 1 }, warnings: [], infos: [] };
}

function annotatedResult(): QueryResult {
  const samples = ['a', 'b', 'c'].map((job, i) => ({
    labels: labelsFrom({ job }),
    timestampMs: 1500,
    value: [Infinity, -0.5, 1e-7][i] ?? 0,
  }));
  const warnings = Array.from({ length: 11 }, (_, i) => `PromQL warning: w${i}`);
  return { value: { type: 'vector', samples }, warnings, infos: ['PromQL info: i'] };
}

function fillSource(source: MemorySeriesSource): void {
  for (let t = 0; t <= 600; t += 15) {
    source.add(labelsFrom({ __name__: 'up', job: 'api', instance: 'a:9090' }), T0_MS + t * 1000, 1);
    source.add(labelsFrom({ __name__: 'up', job: 'db', instance: 'b:9090' }), T0_MS + t * 1000, 0);
    source.add(
      labelsFrom({ __name__: 'http_requests_total', job: 'api', 'service.name': 'checkout' }),
      T0_MS + t * 1000,
      t,
    );
  }
  source.setMetadata('up', { type: 'gauge', help: 'Whether the target is up.', unit: '' });
  source.setMetadata('http_requests_total', { type: 'counter', help: 'Requests.', unit: '' });
}

export async function request(
  server: ApiServer,
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Json) };
}

export function postForm(
  server: ApiServer,
  path: string,
  form: string,
): Promise<{ status: number; body: Json }> {
  return request(server, path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
}

export async function expectError(
  server: ApiServer,
  path: string,
  status: number,
  errorType: string,
  error: string | RegExp,
): Promise<void> {
  const { status: actual, body } = await request(server, path);
  assert.equal(actual, status, path);
  assert.equal(body.status, 'error', path);
  assert.equal(body.errorType, errorType, path);
  if (typeof error === 'string') assert.equal(body.error, error, path);
  else assert.match(String(body.error), error, path);
}

export const q = encodeURIComponent;
