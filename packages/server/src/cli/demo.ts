/**
 * `vigil demo`: Vigil with the embedded store plus the simulated ML platform (`@vigil/demo`) sending
 * it traces, metrics and logs, with failure scenarios switchable by flag or live over HTTP.
 */
import { parseScenarioList, SCENARIOS, startDemoPlatform, type DemoPlatform } from '@vigil/demo';
import { startVigil, type RunningVigil } from '../app/start-vigil.ts';
import { fileURLToPath } from 'node:url';
import { parseEndpoint, type VigilConfig } from '../config/vigil-config.ts';
import { parseSloSpec } from '../rules/slo/parse-slo-spec.ts';
import { parseScrapeConfigs } from '../receivers/prometheus/scrape/scrape-config.ts';
import { CliError, type Command } from './command.ts';
import { buildConfig, flagValue, reportConfigNotes, serveCommand, waitForStopSignal } from './serve.ts';

const scenarioHelp = Object.entries(SCENARIOS)
  .map(([name, description]) => `  ${name.padEnd(20)} ${description}`)
  .join('\n');

const USAGE = `Usage: vigil demo [--scenario a,b] [--rate N] [--data DIR] [serve's flags]

Starts Vigil (as 'vigil serve' does) plus a simulated ML platform of separate processes —
api-gateway → preprocess → feature-store → embedding → vector-store → fraud-model (v3.1, v3.2
canary on 10%) → postprocess — instrumented with the Vigil SDK and exporting OTLP to this Vigil.

Flags:
  --scenario LIST          failure scenarios to start with, comma-separated (default: none)
  --rate N                 scoring requests per second (default 20)
  --control HOST:PORT      scenario control API (default 127.0.0.1:16701)
  --dcgm HOST:PORT         simulated dcgm-exporter /metrics (default 127.0.0.1:9400)
  --config, --data, --otlp-grpc, --otlp-http, --api, --max-size   as for 'vigil serve'
  -h, --help               show this help

Scenarios:
${scenarioHelp}

Stop with Ctrl-C: the platform's processes stop, then Vigil flushes and closes.`;

function parseRate(value: unknown): number {
  if (typeof value !== 'string') return 20;
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1000)
    throw new CliError('--rate: expected a number from 0 to 1000', 2);
  return rate;
}

function endpointFlag(value: unknown, flag: string, fallbackPort: number): { host: string; port: number } {
  if (typeof value !== 'string') return { host: '127.0.0.1', port: fallbackPort };
  return flagValue(flag, () => parseEndpoint(value));
}

/** The seed's alert rules, verbatim (docs/examples/rules/). */
const SEED_RULES_PATH = fileURLToPath(
  new URL('../../../../docs/examples/rules/ml-inference-slos.rules.yaml', import.meta.url),
);

/** The seed's rules and a latency SLO on the fraud model, so alerts and burn rates have something to show. */
function addDemoAlerting(config: VigilConfig): void {
  config.alerting.ruleFiles.push(SEED_RULES_PATH);
  if (config.slos.some((slo) => slo.name === 'fraud-latency')) return;
  config.slos.push(
    parseSloSpec({
      name: 'fraud-latency',
      service: 'fraud-model',
      objective: 99,
      latency: {
        metric: 'ml_inference_latency_seconds',
        matchers: '{model_name="fraud-detector"}',
        threshold: '500ms',
      },
    }),
  );
}

/** The seed's p99 latency alert expression per model version: the canary regression shows here. */
const CANARY_P99 =
  'histogram_quantile(0.99, sum by (le, model_version) (rate(ml_inference_latency_seconds_bucket[5m])))';

function banner(vigil: RunningVigil, platform: DemoPlatform, apiHost: string): string {
  const api = `http://${apiHost}:${vigil.ports.api}`;
  return [
    'Vigil demo is running: a simulated ML platform is sending traces, metrics and logs.',
    `  Vigil API     ${api}/api/vigil/v1/services`,
    `  traces        ${api}/api/vigil/v1/traces?service=api-gateway&lookback=5m`,
    `  Jaeger API    ${api}/api/traces?service=fraud-model  (point Jaeger UI or Grafana here)`,
    `  PromQL        ${api}/api/v1/query?query=${encodeURIComponent(CANARY_P99)}`,
    `                (Prometheus API: point Grafana's Prometheus data source at ${api})`,
    `  models        ${api}/api/vigil/v1/ml/models?lookback=15m  (versions, traffic share, RED, Apdex)`,
    `  canary        ${api}/api/vigil/v1/ml/compare?model=fraud-detector&lookback=15m  (verdict in words)`,
    `  drift         ${api}/api/vigil/v1/ml/drift?model=fraud-detector&version=3.1.0&lookback=10m`,
    `  ML reports    ${api}/api/vigil/v1/ml/phases  …/ml/gpu  …/ml/reports/propagation-gaps  (docs/ml-analytics.md)`,
    `  alerts        ${api}/api/v1/alerts  (the seed's rules; SLO status: ${api}/api/vigil/v1/slos)`,
    `  DCGM metrics  ${platform.dcgmUrl}  (scraped every 15 s; try DCGM_FI_DEV_GPU_TEMP)`,
    `  scenarios     ${platform.controlUrl}  (active: ${platform.scenarios().join(', ') || 'none'})`,
    `    switch on:  curl -X PUT ${platform.controlUrl}/canary-regression`,
    `    switch off: curl -X DELETE ${platform.controlUrl}/canary-regression`,
    `    set all:    curl -X PUT -d '{"active":["gpu-throttling","error-burst"]}' ${platform.controlUrl}`,
    'Stop with Ctrl-C.',
  ].join('\n');
}

export const demoCommand: Command = {
  usage: USAGE,
  options: {
    ...serveCommand.options,
    scenario: { type: 'string' },
    rate: { type: 'string' },
    control: { type: 'string' },
    dcgm: { type: 'string' },
  },
  run: async (values) => {
    const config = buildConfig(values);
    if (typeof values['config'] === 'string')
      reportConfigNotes(values['config'], (line) => console.error(line));
    const scenarios = flagValue('--scenario', () =>
      parseScenarioList(typeof values['scenario'] === 'string' ? values['scenario'] : ''),
    );
    const ratePerSecond = parseRate(values['rate']);
    const control = endpointFlag(values['control'], '--control', 16701);
    const dcgm = endpointFlag(values['dcgm'], '--dcgm', 9400);
    if (!config.otlpHttp.enabled)
      throw new CliError('the demo exports OTLP/HTTP: --otlp-http cannot be off', 2);
    // Vigil scrapes the simulated DCGM exporter as it would a real one on each GPU node.
    config.prometheusScrapeConfigs.push(
      ...parseScrapeConfigs({
        scrape_configs: [
          {
            job_name: 'dcgm-exporter',
            scrape_interval: '15s',
            static_configs: [{ targets: [`${dcgm.host}:${dcgm.port}`] }],
          },
        ],
      }),
    );
    addDemoAlerting(config);
    let vigil: RunningVigil;
    try {
      vigil = await startVigil(config, (line) => console.error(line));
    } catch (error: unknown) {
      throw new CliError(error instanceof Error ? error.message : 'failed to start');
    }
    let platform: DemoPlatform;
    try {
      console.error('vigil demo: starting the platform services…');
      platform = await startDemoPlatform({
        otlpHttpEndpoint: `http://${config.otlpHttp.host}:${vigil.ports.otlpHttp ?? config.otlpHttp.port}`,
        scenarios,
        ratePerSecond,
        host: control.host,
        controlPort: control.port,
        dcgmPort: dcgm.port,
      });
    } catch (error: unknown) {
      await vigil.close();
      throw new CliError(
        `demo platform failed to start: ${error instanceof Error ? error.message : 'unknown error'}`,
      );
    }
    console.log(banner(vigil, platform, config.api.host));
    await waitForStopSignal();
    console.error('vigil demo: stopping the platform, then flushing Vigil…');
    await platform.close();
    await vigil.close();
    return 0;
  },
};
