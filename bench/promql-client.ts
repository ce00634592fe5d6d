/**
 * HTTP plumbing shared by both sides of the PromQL benchmark: a free port, a readiness poll, and a
 * timed GET /api/v1/query_range whose clock covers request, evaluation, JSON encoding and the full
 * body, the latency a Grafana panel sees. JSON parsing happens after the clock stops.
 */
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RangeQuery {
  query: string;
  startMs: number;
  endMs: number;
  stepMs: number;
}

export interface TimedResponse {
  elapsedMs: number;
  status: number;
  bodyText: string;
}

/**
 * Runs one range query against a Prometheus-compatible API at `baseUrl`. Times go as decimal seconds,
 * which both Prometheus and Vigil accept (api.go parseTime).
 *
 * @example
 * const range = { query: 'up', startMs, endMs, stepMs: 15_000 };
 * const { elapsedMs, bodyText } = await timedQueryRange('http://127.0.0.1:9090', range);
 */
export async function timedQueryRange(baseUrl: string, range: RangeQuery): Promise<TimedResponse> {
  const params = new URLSearchParams({
    query: range.query,
    start: String(range.startMs / 1000),
    end: String(range.endMs / 1000),
    step: String(range.stepMs / 1000),
  });
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/v1/query_range?${params.toString()}`);
  const bodyText = await response.text();
  return { elapsedMs: performance.now() - started, status: response.status, bodyText };
}

/** A port the OS just handed out on loopback (released again, so a tiny race remains). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200 or `timeoutMs` passes. */
export async function waitUntilReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await sleep(200);
  }
}
