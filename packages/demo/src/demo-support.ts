/** Test helpers for the demo's end-to-end tests: Vigil + platform start/stop, span windows, percentiles. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVigil, type RunningVigil } from '../../server/src/app/start-vigil.ts';
import { defaultConfig } from '../../server/src/config/vigil-config.ts';
import type { Span } from '../../server/src/model/span.ts';
import type { TimeRange } from '../../server/src/storage/store.ts';
import { parseScrapeConfigs } from '../../server/src/receivers/prometheus/scrape/scrape-config.ts';
import { startDemoPlatform, type DemoPlatform } from './platform.ts';

export interface DemoUnderTest {
  vigil: RunningVigil;
  platform: DemoPlatform;
  apiUrl: string;
  close(): Promise<void>;
}

/** Vigil on ephemeral ports in a temp data dir, plus the platform exporting to it. */
export async function startDemoUnderTest(ratePerSecond: number): Promise<DemoUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-demo-test-'));
  const config = defaultConfig();
  config.dataDir = dataDir;
  config.otlpGrpc.enabled = false;
  config.otlpHttp.port = 0;
  config.api.port = 0;
  // Vigil scrapes the simulated DCGM exporter, as `vigil demo` does (cli/demo.ts), every second here.
  const dcgmPort = await freePort();
  config.prometheusScrapeConfigs = parseScrapeConfigs({
    scrape_configs: [
      {
        job_name: 'dcgm-exporter',
        scrape_interval: '1s',
        static_configs: [{ targets: [`127.0.0.1:${dcgmPort}`] }],
      },
    ],
  });
  const vigil = await startVigil(config);
  const close = async (): Promise<void> => {
    await platform?.close();
    await vigil.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  let platform: DemoPlatform | undefined;
  try {
    platform = await startDemoPlatform({
      otlpHttpEndpoint: `http://127.0.0.1:${vigil.ports.otlpHttp}`,
      ratePerSecond,
      // Half the traffic on the canary so version comparisons have enough samples in a short test.
      canaryFraction: 0.5,
      dcgmPort,
    });
  } catch (error: unknown) {
    await close();
    throw error;
  }
  return { vigil, platform, apiUrl: `http://127.0.0.1:${vigil.ports.api}`, close };
}

export async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${new URL(url).pathname} answered ${response.status}`);
  const body = (await response.json()) as { data: unknown };
  return body.data;
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMillis: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** Every span of every trace touching one of `services` that started in `range`. */
export async function spansIn(vigil: RunningVigil, range: TimeRange, services: string[]): Promise<Span[]> {
  const traceIds = new Set<string>();
  for (const service of services) {
    for (const summary of await vigil.store.searchTraces({ range, service, limit: 1500 }))
      traceIds.add(summary.traceId);
  }
  const spans: Span[] = [];
  for (const traceId of traceIds) spans.push(...(await vigil.store.getTrace(traceId)));
  return spans.filter(
    (span) => span.startTimeUnixNano >= range.startUnixNano && span.startTimeUnixNano < range.endUnixNano,
  );
}

export function durationMillis(span: Span): number {
  return Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6;
}

/** Nearest-rank quantile (q in 0..1) of a non-empty sample. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  const value = sorted[index];
  if (value === undefined) throw new Error('quantile of an empty sample');
  return value;
}

export function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

/** Reads one gauge from Prometheus text for the series whose labels include `gpu="<gpu>"`. */
export function dcgmValue(text: string, metric: string, gpu: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${metric}{gpu="${gpu}"`));
  if (line === undefined) throw new Error(`${metric} for gpu ${gpu} missing`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** A loopback port the OS just handed out (released again, so a tiny race remains). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
