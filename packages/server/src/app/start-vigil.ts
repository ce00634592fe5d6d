import { join } from 'node:path';
import { startApiServer } from '../api/api-server.ts';
import { isLoopback, type VigilConfig } from '../config/vigil-config.ts';
import { defaultRegistry } from '../pipeline/component-registry.ts';
import { GraphConfigError, PipelineGraph } from '../pipeline/graph/build-graph.ts';
import type { Consumer } from '../pipeline/graph/component.ts';
import { runtimeContextFactory } from '../pipeline/graph/runtime-context.ts';
import { storeConsumers } from '../pipeline/graph/store-consumers.ts';
import { TimerScheduler } from '../pipeline/graph/timer-scheduler.ts';
import { StorePipeline } from '../pipeline/store-pipeline.ts';
import { startOtlpGrpcServer } from '../receivers/otlp/grpc-server.ts';
import { startOtlpHttpServer } from '../receivers/otlp/http-server.ts';
import { parseExposition, SCRAPE_ACCEPT_HEADER } from '../receivers/prometheus/parse-exposition.ts';
import { ScrapeManager } from '../receivers/prometheus/scrape/scrape-manager.ts';
import type { WalReplay } from '../storage/duckdb/prom/sample-wal.ts';
import { openDuckDbStore } from '../storage/duckdb/duckdb-store.ts';
import type { Store } from '../storage/store.ts';
import { selfMetrics } from '../telemetry/self-metrics.ts';
import { prepareDataDir } from './data-dir.ts';
import { createAlerting } from './start-alerting.ts';
import { createMl, type MlRuntime } from './start-ml.ts';
import { RetentionScheduler } from './retention-scheduler.ts';

/** A running Vigil: the ports it actually bound (0 in config means "any free port") and how to stop it. */
export interface RunningVigil {
  ports: { otlpGrpc: number | undefined; otlpHttp: number | undefined; api: number };
  store: Store;
  /** The ML analytics (undefined when `vigil.ml.enabled` is false). */
  ml: MlRuntime | undefined;
  /** Re-reads the rule files (SIGHUP); rejects, keeping the old rules, when one is broken. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

interface Closable {
  close(): Promise<void>;
}

/**
 * Starts every component of `vigil serve` in data-flow order: store, pipeline, receivers, rules and
 * notifications, query API. Stops in reverse: the API and receivers first so nothing new arrives,
 * rules after their last evaluation, then the store flushes what is in flight.
 */
export async function startVigil(
  config: VigilConfig,
  log: (line: string) => void = () => {},
): Promise<RunningVigil> {
  prepareDataDir(config.dataDir);
  const store = await openDuckDbStore({
    path: join(config.dataDir, 'vigil.duckdb'),
    seriesLimits: config.seriesLimits,
  });
  const started: Closable[] = [];
  try {
    logSampleWalReplay((await store.promHeadStatus()).replay, log);
    const pipeline = new StorePipeline(store, {
      maxPendingRecords: config.maxPendingRecords,
      retryAfterSeconds: config.retryAfterSeconds,
    });
    started.push({ close: () => Promise.resolve(pipeline.close()) });
    const ml = await createMl(config, store, log);
    if (ml) started.push(ml);
    const graph = buildPipelineGraph(config, pipeline, log, ml ? [ml.engine] : []);
    // Closed after the receivers (pushed later, closed earlier): flushes batches, pending traces, queues.
    started.push({ close: () => graph.shutdown() });
    const otlp = graph.receiver('otlp');
    const grpc = config.otlpGrpc.enabled
      ? await startOtlpGrpcServer({
          ...config.otlpGrpc,
          pipeline: otlp,
          maxBodyBytes: config.maxRequestBodyBytes,
        })
      : undefined;
    if (grpc) started.push(grpc);
    const http = config.otlpHttp.enabled
      ? await startOtlpHttpServer({
          ...config.otlpHttp,
          pipeline: otlp,
          maxBodyBytes: config.maxRequestBodyBytes,
          cors: {
            allowedOrigins: config.otlpHttp.corsAllowedOrigins,
            allowedHeaders: config.otlpHttp.corsAllowedHeaders,
          },
        })
      : undefined;
    if (http) started.push(http);
    let scrapes: ScrapeManager | undefined;
    if (config.prometheusScrapeConfigs.length > 0) {
      // Scrapes write straight to the store, as Prometheus's scrape loop appends to its TSDB.
      scrapes = new ScrapeManager(config.prometheusScrapeConfigs, {
        store,
        parse: (body, contentType) => parseExposition(body, contentType),
        acceptHeader: SCRAPE_ACCEPT_HEADER,
        log,
      });
      started.push(scrapes);
      await scrapes.start();
    }
    const alerting = await createAlerting(config, store, log);
    started.push(alerting);
    const api = await startApiServer({
      ...config.api,
      store,
      metricsText: () => selfMetrics.render(),
      scrapeTargets: () => scrapes?.targets() ?? [],
      apdex: config.apdex,
      lokiPush: { writeLogs: (records) => graph.receiver('loki').consume('logs', records) },
      extraRoutes: (router) => {
        alerting.registerRoutes(router);
        ml?.registerRoutes(router);
      },
    });
    started.push(api);
    alerting.start();
    ml?.start();
    const retention = new RetentionScheduler(store, config.retention, log);
    started.push(retention);
    warnIfExposed(config, log);
    const close = async (): Promise<void> => {
      for (const component of started.reverse()) await component.close();
      await store.close();
    };
    const ports = { otlpGrpc: grpc?.port, otlpHttp: http?.port, api: api.port };
    return { ports, store, ml, reload: () => alerting.reload(), close };
  } catch (error: unknown) {
    for (const component of started.reverse()) await component.close().catch(() => {});
    await store.close();
    throw error;
  }
}

/** service.pipelines as running components; without pipelines every receiver writes to the store. */
function buildPipelineGraph(
  config: VigilConfig,
  storePipeline: StorePipeline,
  log: (line: string) => void,
  spanObservers: readonly Consumer<'traces'>[],
): PipelineGraph {
  const { spanMetrics, serviceGraph } = config.implicitConnectors;
  const implicitConnectors = [
    ...(spanMetrics.enabled ? [{ type: 'spanmetrics', settings: spanMetrics.settings }] : []),
    ...(serviceGraph.enabled ? [{ type: 'servicegraph', settings: serviceGraph.settings }] : []),
  ];
  const contextFor = runtimeContextFactory({
    dataDir: config.dataDir,
    log,
    scheduler: new TimerScheduler((error) => log(`pipeline task failed: ${(error as Error).name}`)),
    nowMs: () => Date.now(),
    extensions: config.collector?.extensions ?? {},
  });
  try {
    const graph = new PipelineGraph({
      config: config.collector,
      registry: defaultRegistry(),
      store: storeConsumers(storePipeline),
      contextFor,
      implicitConnectors,
      spanObservers,
    });
    for (const line of graph.describe()) log(line);
    return graph;
  } catch (error: unknown) {
    if (error instanceof GraphConfigError) throw new Error(error.message);
    throw error;
  }
}

/** What the open replayed from the sample WAL; a torn tail (a crash mid-append) is said plainly. */
function logSampleWalReplay(replay: WalReplay, log: (line: string) => void): void {
  if (replay.records > 0)
    log(`sample WAL: replayed ${replay.samples} Prometheus samples from ${replay.records} records`);
  if (replay.truncatedBytes > 0)
    log(
      `sample WAL: cut off ${replay.truncatedBytes} bytes of a torn or corrupt record ` +
        '(a crash during a write; that write was never acknowledged)',
    );
}

function warnIfExposed(config: VigilConfig, log: (line: string) => void): void {
  const exposed = [config.otlpGrpc, config.otlpHttp, config.api].filter((e) => !isLoopback(e.host));
  if (exposed.length > 0) {
    log(
      `warning: listening on non-loopback address(es) ${exposed.map((e) => `${e.host}:${e.port}`).join(', ')} ` +
        'without authentication: anyone who can reach them can send and read telemetry',
    );
  }
}
