/**
 * The demo orchestrator: starts the simulated ML platform's service processes, tells each where
 * the others listen, then runs the load generator, the control API and the DCGM endpoint in this
 * process. Scenario changes are pushed to every service at once over IPC.
 */
import { startControlServer } from './control-server.ts';
import { DcgmSimulator, startDcgmServer } from './dcgm-exporter.ts';
import { startLoad, type LoadGenerator, type LoadStats } from './load-generator.ts';
import type { ScenarioName } from './scenarios.ts';
import {
  startServiceProcess,
  stopServiceProcess,
  type ServiceProcess,
  type ServiceSpec,
} from './service-process.ts';

/** The platform's processes, in call order (fraud-model twice: the stable version and the canary). */
export const SERVICE_SPECS: readonly ServiceSpec[] = [
  { key: 'api-gateway', script: 'api-gateway' },
  { key: 'preprocess', script: 'preprocess' },
  { key: 'feature-store', script: 'feature-store' },
  { key: 'embedding', script: 'embedding' },
  { key: 'vector-store', script: 'vector-store' },
  { key: 'fraud-model-v3.1', script: 'fraud-model', env: { VIGIL_DEMO_MODEL_VERSION: '3.1.0' } },
  { key: 'fraud-model-v3.2', script: 'fraud-model', env: { VIGIL_DEMO_MODEL_VERSION: '3.2.0' } },
  { key: 'postprocess', script: 'postprocess' },
];

/** The service.name values the platform reports (both fraud-model processes are one service, two versions). */
export const SERVICE_NAMES = [
  'api-gateway',
  'preprocess',
  'feature-store',
  'embedding',
  'vector-store',
  'fraud-model',
  'postprocess',
] as const;

export interface DemoPlatformOptions {
  /** OTLP/HTTP base URL of the Vigil the services export to, e.g. http://127.0.0.1:4318. */
  otlpHttpEndpoint: string;
  scenarios?: ScenarioName[];
  /** Scoring requests per second (default 20; 0 starts without load). */
  ratePerSecond?: number;
  /** Share of traffic routed to the v3.2 canary (default 0.1). */
  canaryFraction?: number;
  host?: string;
  /** Control API port (default 0: any free port). */
  controlPort?: number;
  /** DCGM exporter port (default 0; `vigil demo` uses dcgm-exporter's 9400). */
  dcgmPort?: number;
}

export interface DemoPlatform {
  gatewayUrl: string;
  controlUrl: string;
  dcgmUrl: string;
  scenarios(): ScenarioName[];
  setScenarios(scenarios: ScenarioName[]): void;
  load: LoadGenerator;
  loadStats(): LoadStats;
  /** Stops the load, then every process (each flushes its telemetry), then the servers. Idempotent. */
  close(): Promise<void>;
}

async function startServices(options: DemoPlatformOptions): Promise<ServiceProcess[]> {
  const env = {
    // Export every second (OTel SDK env vars; defaults are 5 s) so the demo's data is fresh.
    OTEL_BSP_SCHEDULE_DELAY: process.env['OTEL_BSP_SCHEDULE_DELAY'] ?? '1000',
    OTEL_BLRP_SCHEDULE_DELAY: process.env['OTEL_BLRP_SCHEDULE_DELAY'] ?? '1000',
    VIGIL_DEMO_OTLP_ENDPOINT: options.otlpHttpEndpoint,
    VIGIL_DEMO_CANARY_FRACTION: String(options.canaryFraction ?? 0.1),
  };
  const results = await Promise.allSettled(SERVICE_SPECS.map((spec) => startServiceProcess(spec, env)));
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(started.map((service) => stopServiceProcess(service.child)));
    throw failure.reason instanceof Error ? failure.reason : new Error('a service failed to start');
  }
  return started;
}

export async function startDemoPlatform(options: DemoPlatformOptions): Promise<DemoPlatform> {
  const host = options.host ?? '127.0.0.1';
  let active: ScenarioName[] = [...(options.scenarios ?? [])];
  const services = await startServices(options);
  const serviceUrls = Object.fromEntries(
    services.map((service) => [service.key, `http://127.0.0.1:${service.port}`]),
  );
  for (const service of services) service.send({ type: 'config', serviceUrls, scenarios: active });
  const setScenarios = (scenarios: ScenarioName[]): void => {
    active = [...scenarios];
    for (const service of services) service.send({ type: 'scenarios', scenarios: active });
  };
  const load = startLoad({ url: `${serviceUrls['api-gateway']}/predict`, ratePerSecond: 0 });
  const simulator = new DcgmSimulator({
    isThrottling: () => active.includes('gpu-throttling'),
    ratePerSecond: () => load.rate(),
  });
  const servers: { close(): Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    await load.stop();
    await Promise.all(services.map((service) => stopServiceProcess(service.child)));
    await Promise.all(servers.map((server) => server.close()));
  };
  try {
    const control = await startControlServer(
      { active: () => [...active], set: setScenarios },
      host,
      options.controlPort ?? 0,
    );
    servers.push(control);
    const dcgm = await startDcgmServer(simulator, host, options.dcgmPort ?? 0);
    servers.push(dcgm);
    load.setRate(options.ratePerSecond ?? 20);
    let closing: Promise<void> | undefined;
    return {
      gatewayUrl: `${serviceUrls['api-gateway']}/predict`,
      controlUrl: `http://${host}:${control.port}/scenarios`,
      dcgmUrl: `http://${host}:${dcgm.port}/metrics`,
      scenarios: () => [...active],
      setScenarios,
      load,
      loadStats: () => load.stats(),
      close: () => (closing ??= stopAll()),
    };
  } catch (error: unknown) {
    await stopAll();
    throw error;
  }
}
