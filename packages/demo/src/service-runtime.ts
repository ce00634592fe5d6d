/**
 * What every demo service process shares: Vigil SDK set-up, an HTTP server whose requests get a
 * SERVER span (parent extracted from W3C traceparent), downstream calls with CLIENT spans and
 * injected traceparent, scenario state pushed by the orchestrator over IPC, and a clock that the
 * clock-skew scenario can push ahead.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { extractHttpHeaders, injectHttpHeaders, setupVigil, type VigilSdk } from '@vigil/sdk';
import { parsePayload, type DemoPayload } from './payload.ts';
import { parseParentMessage } from './protocol.ts';
import { CLOCK_SKEW_MILLIS, type ScenarioName } from './scenarios.ts';

/** A failure with the HTTP status the service answers. */
export class ServiceError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

export interface ServiceDefinition {
  serviceName: string;
  serviceVersion: string;
  /** host.name: the clock-skew adjuster compares hosts, so every service gets its own. */
  hostName: string;
  instanceId: string;
  model?: { name: string; version: string };
  /** Resource `gpu.id`: the GPU(s) this process runs on, so Vigil joins DCGM metrics to the model. */
  gpuIds?: string;
  /** This host's clock runs ahead while the clock-skew scenario is on. */
  clockSkewed?: boolean;
  route: string;
  /** Runs once the SDK is set up (e.g. to record a model-load gauge). */
  onStart?(runtime: ServiceRuntime): void;
  handle(payload: DemoPayload, runtime: ServiceRuntime): Promise<DemoPayload>;
}

export interface ServiceRuntime {
  readonly sdk: VigilSdk;
  hasScenario(name: ScenarioName): boolean;
  /** Wall-clock milliseconds as this host sees them (skewed under clock-skew). */
  nowMillis(): number;
  /** POSTs `payload` to another service with a CLIENT span; `propagate: false` drops traceparent. */
  call(
    target: string,
    path: string,
    payload: DemoPayload,
    options?: { propagation?: Propagation },
  ): Promise<DemoPayload>;
  log(severity: 'info' | 'warn' | 'error', message: string, attributes?: Attributes): void;
}

const SEVERITIES = {
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
} as const;

const DOWNSTREAM_TIMEOUT_MILLIS = 10_000;

/**
 * How a call carries trace context: `w3c` injects traceparent; `none` drops it (the callee starts a
 * new, disconnected trace); `unexported-hop` forwards the trace id under a span id nobody exports, as
 * an uninstrumented proxy or legacy hop that rewrites traceparent does (the callee's spans are orphans).
 */
export type Propagation = 'w3c' | 'none' | 'unexported-hop';

function viaUnexportedHop(span: Span): Context {
  const spanId = randomBytes(8).toString('hex');
  const hop = trace.wrapSpanContext({ ...span.spanContext(), spanId, isRemote: true });
  return trace.setSpan(context.active(), hop);
}

class Runtime implements ServiceRuntime {
  scenarios = new Set<ScenarioName>();
  serviceUrls: Record<string, string> = {};

  constructor(
    readonly sdk: VigilSdk,
    private readonly definition: ServiceDefinition,
  ) {}

  hasScenario(name: ScenarioName): boolean {
    return this.scenarios.has(name);
  }

  nowMillis(): number {
    const skewMillis = this.definition.clockSkewed && this.hasScenario('clock-skew') ? CLOCK_SKEW_MILLIS : 0;
    return performance.timeOrigin + performance.now() + skewMillis;
  }

  log(severity: 'info' | 'warn' | 'error', message: string, attributes: Attributes = {}): void {
    // The SDK's logger stamps the active span's trace and span ids (OTel logs data model, trace context fields).
    this.sdk.logger.emit({
      severityNumber: SEVERITIES[severity],
      severityText: severity.toUpperCase(),
      body: message,
      attributes,
      timestamp: this.nowMillis(),
    });
  }

  async call(
    target: string,
    path: string,
    payload: DemoPayload,
    options: { propagation?: Propagation } = {},
  ): Promise<DemoPayload> {
    const base = this.serviceUrls[target];
    if (base === undefined) throw new ServiceError(`no address for ${target}`, 502);
    const url = new URL(path, base);
    // HTTP client span per the OTel HTTP semantic conventions; peer.service names the logical service.
    const span = this.sdk.tracer.startSpan(`POST ${path}`, {
      kind: SpanKind.CLIENT,
      startTime: this.nowMillis(),
      attributes: {
        'http.request.method': 'POST',
        'server.address': url.hostname,
        'server.port': Number(url.port),
        'url.full': url.href,
        'peer.service': target.replace(/-v\d+\.\d+$/, ''),
      },
    });
    try {
      return await context.with(trace.setSpan(context.active(), span), () =>
        this.post(url, payload, span, options.propagation ?? 'w3c'),
      );
    } finally {
      span.end(this.nowMillis());
    }
  }

  private async post(
    url: URL,
    payload: DemoPayload,
    span: Span,
    propagation: Propagation,
  ): Promise<DemoPayload> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (propagation === 'w3c') injectHttpHeaders(headers);
    else if (propagation === 'unexported-hop') injectHttpHeaders(headers, viaUnexportedHop(span));
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(DOWNSTREAM_TIMEOUT_MILLIS),
      });
    } catch (error: unknown) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'connection failed' });
      span.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
      throw new ServiceError('downstream unreachable', 502);
    }
    span.setAttribute('http.response.status_code', response.status);
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute('error.type', String(response.status));
      throw new ServiceError(`downstream answered ${response.status}`, 502);
    }
    return parsePayload(body);
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let sizeBytes = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    sizeBytes += buffer.length;
    if (sizeBytes > 1_000_000) throw new ServiceError('body too large', 413);
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new ServiceError('body is not JSON', 400);
  }
}

async function serve(
  runtime: Runtime,
  definition: ServiceDefinition,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  const parent = extractHttpHeaders(request.headers);
  const span = runtime.sdk.tracer.startSpan(
    `${request.method ?? 'GET'} ${definition.route}`,
    {
      kind: SpanKind.SERVER,
      startTime: runtime.nowMillis(),
      attributes: {
        'http.request.method': request.method ?? 'GET',
        'url.path': path,
        'http.route': definition.route,
      },
    },
    parent,
  );
  const statusCode = await context.with(trace.setSpan(parent, span), () =>
    respond(runtime, definition, request, response, path),
  );
  span.setAttribute('http.response.status_code', statusCode);
  // Server spans are errors only for 5xx (OTel HTTP semconv, "Status").
  if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(runtime.nowMillis());
}

async function respond(
  runtime: Runtime,
  definition: ServiceDefinition,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
): Promise<number> {
  let statusCode = 200;
  let body: unknown;
  try {
    if (request.method !== 'POST' || path !== definition.route) throw new ServiceError('not found', 404);
    body = await definition.handle(parsePayload(await readJson(request)), runtime);
  } catch (error: unknown) {
    statusCode = error instanceof ServiceError ? error.statusCode : 500;
    const message = error instanceof Error ? error.message : 'failed';
    if (statusCode >= 500) runtime.log(statusCode === 502 ? 'warn' : 'error', `request failed: ${message}`);
    trace.getActiveSpan()?.recordException(error instanceof Error ? error : new Error(message));
    body = { error: message };
  }
  response.writeHead(statusCode, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  return statusCode;
}

/**
 * Runs one service in this process: sets up the SDK, listens on an ephemeral 127.0.0.1 port, reports
 * it to the orchestrator and serves until the orchestrator says stop (SIGTERM/SIGINT) or disappears.
 */
export function runService(definition: ServiceDefinition): void {
  const sdk = setupVigil({
    serviceName: definition.serviceName,
    serviceVersion: definition.serviceVersion,
    environment: 'demo',
    endpoint: process.env['VIGIL_DEMO_OTLP_ENDPOINT'] ?? 'http://127.0.0.1:4318',
    metricExportIntervalMillis: 5_000,
    resourceAttributes: {
      'host.name': definition.hostName,
      'service.instance.id': definition.instanceId,
      ...(definition.gpuIds === undefined ? {} : { 'gpu.id': definition.gpuIds }),
    },
    ...(definition.model ? { model: definition.model } : {}),
  });
  const runtime = new Runtime(sdk, definition);
  definition.onStart?.(runtime);
  const server = createServer((request, response) => {
    serve(runtime, definition, request, response).catch(() => response.destroy());
  });
  server.keepAliveTimeout = 30_000;
  process.on('message', (raw: unknown) => {
    const message = parseParentMessage(raw);
    if (!message) return;
    runtime.scenarios = new Set(message.scenarios);
    if (message.type === 'config') runtime.serviceUrls = message.serviceUrls;
  });
  const stop = (): void => void shutdown(server, sdk);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
  });
}

let stopping = false;

async function shutdown(server: ReturnType<typeof createServer>, sdk: VigilSdk): Promise<void> {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeIdleConnections();
  // Flush what is buffered, but never hang the demo's exit on an unreachable Vigil.
  await Promise.race([sdk.shutdown().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2_000))]);
  process.exit(0);
}
