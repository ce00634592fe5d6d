/**
 * The Vigil side of the PromQL benchmark: an in-process Vigil (startVigil, as `vigil serve` runs it)
 * on a temp data dir, loaded with the benchmark's samples through the Store's Prometheus-sample write,
 * queried over its /api/v1/query_range like Prometheus.
 */
import { join } from 'node:path';
import { startVigil, type RunningVigil } from '../packages/server/src/app/start-vigil.ts';
import { defaultConfig } from '../packages/server/src/config/vigil-config.ts';
import type { PromFamilyMetadata, PromSeriesSamples } from '../packages/server/src/model/prom-series.ts';
import type { Store } from '../packages/server/src/storage/store.ts';
import type { Dataset, GeneratedSeries } from './promql-data.ts';

/** Series per writeSamples call: ~240k samples at 2 h × 15 s. */
const SERIES_PER_BATCH = 500;

/**
 * Starts Vigil with only its query API (OTLP receivers off) on a free loopback port.
 *
 * @example
 * const vigil = await startBenchVigil(workDir);
 * await loadVigil(vigil.store, dataset);
 */
export async function startBenchVigil(workDir: string): Promise<RunningVigil> {
  const config = defaultConfig();
  config.dataDir = join(workDir, 'vigil');
  config.otlpGrpc.enabled = false;
  config.otlpHttp.enabled = false;
  config.api.port = 0;
  // No retention pass during the run: it would compete with the queries being timed.
  config.retention.checkIntervalMillis = 24 * 3_600_000;
  return startVigil(config);
}

/**
 * Writes every sample of the dataset into Vigil's store through `Store.writeSamples` (the path
 * scrape and remote write take), with each family's metadata. Throws unless every sample was stored.
 */
export async function loadVigil(store: Store, dataset: Dataset): Promise<void> {
  const metadata: PromFamilyMetadata[] = dataset.families.map((family) => ({
    metricFamily: family.name,
    type: family.type,
    help: family.help,
    unit: '',
  }));
  let written = 0;
  let batch: PromSeriesSamples[] = [];
  const flush = async (): Promise<void> => {
    const result = await store.writeSamples(batch, written === 0 ? metadata : undefined);
    if (result.samplesRejected > 0) throw new Error(`vigil rejected ${result.samplesRejected} samples`);
    written += result.samplesWritten;
    batch = [];
  };
  for (const series of dataset.families.flatMap((family) => family.series)) {
    batch.push(toPromSeries(series, dataset.stepMs));
    if (batch.length >= SERIES_PER_BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  if (written !== dataset.sampleCount) {
    throw new Error(`vigil stored ${written} of ${dataset.sampleCount} samples`);
  }
}

export function toPromSeries(series: GeneratedSeries, stepMs: number): PromSeriesSamples {
  const timestampsMs = new Float64Array(series.values.length);
  for (let i = 0; i < timestampsMs.length; i++) timestampsMs[i] = series.startMs + i * stepMs;
  return { labels: new Map(Object.entries(series.labels)), timestampsMs, values: series.values };
}
