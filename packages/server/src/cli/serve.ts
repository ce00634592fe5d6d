import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeCollectorConfig } from '../config/collector/analyze-collector-config.ts';
import { formatProblem } from '../config/collector/problem.ts';
import { startVigil } from '../app/start-vigil.ts';
import { parseSizeBytes } from '../config/duration.ts';
import { ConfigError, loadConfigFile } from '../config/load-config.ts';
import { defaultConfig, parseEndpoint, type Endpoint, type VigilConfig } from '../config/vigil-config.ts';
import { CliError, type Command } from './command.ts';
import { applyHeapGrowth, parseHeapGrowthPercent } from './heap-growth.ts';

function heapGrowthPercent(text: unknown): number {
  try {
    return parseHeapGrowthPercent(typeof text === 'string' ? text : undefined);
  } catch (error: unknown) {
    throw new CliError((error as Error).message);
  }
}

const USAGE = `Usage: vigil serve [--config FILE] [--data DIR] [flags]

Starts Vigil in one process: OTLP receivers, the embedded DuckDB store and the query API.

Flags:
  --config FILE            YAML config (Collector-style receivers.otlp…, plus a vigil: section)
  --data DIR               data directory for the embedded store (default ./data)
  --otlp-grpc HOST:PORT    OTLP/gRPC listen address (default 127.0.0.1:4317; 'off' disables)
  --otlp-http HOST:PORT    OTLP/HTTP listen address (default 127.0.0.1:4318; 'off' disables)
  --api HOST:PORT          query API, UI and /metrics (default 127.0.0.1:16700)
  --max-size SIZE          total store size cap, e.g. 10GiB (default: none)
  --rules FILE             Prometheus rule file or glob (repeatable; adds to vigil.alerting.rule_files)
  --notifications FILE     Alertmanager-format config: routes, receivers, inhibit_rules
  --heap-growth PERCENT    how far a JS heap may grow past its live data before a full GC,
                           like GOGC (e.g. 20: less RSS, more CPU; default 0 keeps V8's own)
  -h, --help               show this help

Stop with Ctrl-C (SIGINT) or SIGTERM: in-flight data is flushed first. SIGHUP (or POST /-/reload)
re-reads the rule files.`;

export const serveCommand: Command = {
  usage: USAGE,
  options: {
    config: { type: 'string' },
    data: { type: 'string' },
    'otlp-grpc': { type: 'string' },
    'otlp-http': { type: 'string' },
    api: { type: 'string' },
    'max-size': { type: 'string' },
    rules: { type: 'string', multiple: true },
    notifications: { type: 'string' },
    'heap-growth': { type: 'string' },
  },
  run: async (values) => {
    const config = buildConfig(values);
    applyHeapGrowth(heapGrowthPercent(values['heap-growth']));
    const log = (line: string): void => console.error(line);
    if (typeof values['config'] === 'string') reportConfigNotes(values['config'], log);
    let vigil;
    try {
      vigil = await startVigil(config, log);
    } catch (error: unknown) {
      throw new CliError(error instanceof Error ? error.message : 'failed to start');
    }
    const { otlpGrpc, otlpHttp, api } = vigil.ports;
    console.log(
      [
        'Vigil is running.',
        otlpGrpc !== undefined ? `  OTLP/gRPC  ${config.otlpGrpc.host}:${otlpGrpc}` : '  OTLP/gRPC  off',
        otlpHttp !== undefined
          ? `  OTLP/HTTP  http://${config.otlpHttp.host}:${otlpHttp}/v1/{traces,metrics,logs}`
          : '  OTLP/HTTP  off',
        `  API        http://${config.api.host}:${api}/api/vigil/v1/  (Jaeger API at /api/traces, metrics at /metrics)`,
        `  data       ${config.dataDir}`,
      ].join('\n'),
    );
    const reload = (): void => {
      vigil.reload().then(
        () => log('vigil: rules reloaded'),
        (error: unknown) => log(`vigil: reload failed, keeping the old rules: ${(error as Error).message}`),
      );
    };
    process.on('SIGHUP', reload);
    await waitForStopSignal();
    process.off('SIGHUP', reload);
    console.error('vigil: stopping, flushing in-flight data…');
    await vigil.close();
    return 0;
  },
};

/**
 * The Collector-shaped parts of the config Vigil does not run (planned or unsupported components,
 * service discovery this host cannot do) in one start-up message; pipeline errors the Collector
 * would refuse to start with stop Vigil too (config/collector/analyze-collector-config.ts).
 */
export function reportConfigNotes(path: string, log: (line: string) => void): void {
  const analysis = analyzeCollectorConfig(readFileSync(path, 'utf8'), process.env);
  if (analysis.errors.length > 0)
    throw new CliError(analysis.errors.map((problem) => formatProblem(problem, path)).join('\n'));
  if (analysis.notes.length === 0) return;
  log(
    [
      `config: ${analysis.notes.length} note(s) — parts of ${path} that will not run as written:`,
      ...analysis.notes.map((problem) => `  ${formatProblem(problem, path)}`),
    ].join('\n'),
  );
}

/** Builds the config from defaults, `--config` and the flags (shared with `vigil demo`). */
export function buildConfig(values: Record<string, unknown>): VigilConfig {
  let config = defaultConfig();
  try {
    if (typeof values['config'] === 'string') config = loadConfigFile(values['config'], config);
  } catch (error: unknown) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
  if (typeof values['data'] === 'string') config.dataDir = values['data'];
  applyEndpointFlag(values['otlp-grpc'], '--otlp-grpc', config.otlpGrpc);
  applyEndpointFlag(values['otlp-http'], '--otlp-http', config.otlpHttp);
  if (typeof values['api'] === 'string')
    Object.assign(
      config.api,
      flagValue('--api', () => parseEndpoint(values['api'] as string)),
    );
  if (Array.isArray(values['rules']))
    config.alerting.ruleFiles.push(...(values['rules'] as string[]).map((file) => resolve(file)));
  if (typeof values['notifications'] === 'string')
    config.alerting.notificationConfigFile = resolve(values['notifications']);
  if (typeof values['max-size'] === 'string') {
    config.retention.maxSizeBytes = flagValue('--max-size', () =>
      parseSizeBytes(values['max-size'] as string),
    );
  }
  return config;
}

function applyEndpointFlag(value: unknown, flag: string, target: Endpoint & { enabled: boolean }): void {
  if (typeof value !== 'string') return;
  if (value === 'off') {
    target.enabled = false;
    return;
  }
  Object.assign(
    target,
    flagValue(flag, () => parseEndpoint(value)),
  );
}

export function flagValue<T>(flag: string, parse: () => T): T {
  try {
    return parse();
  } catch (error: unknown) {
    throw new CliError(`${flag}: ${(error as Error).message}`, 2);
  }
}

/** Resolves on the first SIGINT or SIGTERM. */
export function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
