import { registerMlRoutes } from '../api/ml-routes.ts';
import type { Router } from '../api/router.ts';
import type { VigilConfig } from '../config/vigil-config.ts';
import { MlAnalytics } from '../ml/engine/ml-analytics.ts';
import { MlService } from '../ml/ml-service.ts';
import { ML_SERIES_METADATA } from '../ml/ml-series-metadata.ts';
import type { Store } from '../storage/store.ts';
import { selfMetrics } from '../telemetry/self-metrics.ts';

/** A crash loses at most this much of the engine's aggregates; the save pauses ingest ~0.1 s per MB. */
const SNAPSHOT_INTERVAL_MS = 5 * 60_000;

const counters = selfMetrics.gauge(
  'vigil_ml_engine_spans',
  'Spans the ML analytics engine attributed to a model, or left out (reason: dropped_version past max_versions, late past retention)',
);
const seriesWrites = selfMetrics.counter(
  'vigil_ml_series_writes_total',
  'Writes of the vigil_ml_* derived series to the store, by result',
);

/** The ML analytics of a running Vigil: the engine every span reaches, its API and series writer. */
export interface MlRuntime {
  /** Sees every received span, before any processor (PipelineGraph spanObservers). */
  engine: MlAnalytics;
  service: MlService;
  registerRoutes(router: Router): void;
  /** Writes the current vigil_ml_* series to the store now; resolves to the number of series. */
  writeSeries(): Promise<number>;
  start(): void;
  close(): Promise<void>;
}

/** Undefined when `vigil.ml.enabled` is false. */
export async function createMl(
  config: VigilConfig,
  store: Store,
  log: (line: string) => void,
): Promise<MlRuntime | undefined> {
  const settings = config.ml;
  if (!settings.enabled) return undefined;
  const engine = new MlAnalytics({
    nowMs: () => Date.now(),
    slotMs: settings.slotMs,
    retentionMs: settings.retentionMs,
    limits: { maxVersions: settings.maxVersions },
    // Apdex T per model follows the service T when a service of that name is configured.
    apdexThresholdMs: (model) => config.apdex.byServiceMs[model] ?? config.apdex.defaultMs,
    genAiPrices: settings.genAiPrices,
    seriesWindowMs: settings.seriesWindowMs,
  });
  const service = new MlService({ engine, store, dataDir: config.dataDir });
  try {
    await service.loadBaselines();
  } catch (error: unknown) {
    // A damaged baselines file must not stop Vigil; the pins are lost, and the log says so.
    log(`ml: pinned baselines not loaded (${(error as Error).name}); pin them again`);
  }
  await restoreSnapshot(service, log);
  registerCounters(engine);
  let timer: NodeJS.Timeout | undefined;
  let snapshotTimer: NodeJS.Timeout | undefined;
  const saveSnapshot = (): Promise<void> =>
    service.saveSnapshot().catch((error: unknown) => {
      log(`ml: saving the engine snapshot failed (${(error as Error).name})`);
    });
  let inFlight: Promise<number> | undefined;
  const writeSeries = async (): Promise<number> => {
    const series = engine.derivedSeries(Date.now());
    if (series.length === 0) return 0;
    await store.writeSamples(series, [...ML_SERIES_METADATA]);
    return series.length;
  };
  const tick = (): void => {
    if (inFlight) return; // a slow store: skip a beat rather than pile up writes
    inFlight = writeSeries()
      .then((n) => (seriesWrites.inc({ result: 'success' }), n))
      .catch((error: unknown) => {
        seriesWrites.inc({ result: 'failure' });
        log(`ml: writing vigil_ml_* series failed (${(error as Error).name})`);
        return 0;
      })
      .finally(() => (inFlight = undefined));
  };
  return {
    engine,
    service,
    registerRoutes: (router) => registerMlRoutes(router, service),
    writeSeries,
    start: () => {
      timer = setInterval(tick, settings.seriesIntervalMs);
      timer.unref();
      snapshotTimer = setInterval(() => void saveSnapshot(), SNAPSHOT_INTERVAL_MS);
      snapshotTimer.unref();
    },
    close: async () => {
      clearInterval(timer);
      clearInterval(snapshotTimer);
      await inFlight;
      await saveSnapshot();
    },
  };
}

/** A damaged or foreign snapshot must not stop Vigil: it starts empty and the log says why. */
async function restoreSnapshot(service: MlService, log: (line: string) => void): Promise<void> {
  try {
    const result = await service.loadSnapshot();
    if (result === undefined) return;
    if (result.slotMsMismatch)
      log(
        `ml: engine snapshot not restored: its slot is ${result.slotMsMismatch.snapshotSlotMs} ms, ` +
          `vigil.ml.slot is ${result.slotMsMismatch.engineSlotMs} ms`,
      );
    else
      log(
        `ml: restored ${result.versionsRestored} model versions and ${result.slotsRestored} slots ` +
          `(${result.slotsDropped} past the retention dropped)`,
      );
  } catch (error: unknown) {
    log(
      `ml: engine snapshot not restored (${(error as Error).name}: ${(error as Error).message}); starting empty`,
    );
  }
}

function registerCounters(engine: MlAnalytics): void {
  counters.collect({ result: 'attributed' }, () => engine.counters.modelSpans);
  counters.collect({ result: 'dropped_version' }, () => engine.counters.droppedVersionSpans);
  counters.collect({ result: 'late' }, () => engine.counters.lateSpans);
}
