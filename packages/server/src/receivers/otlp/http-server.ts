import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Signal } from '../../model/signal.ts';
import type { Pipeline } from '../../pipeline/pipeline.ts';
import { parseContentCoding, readRequestBody, type ContentCoding } from './body-reader.ts';
import { CorsPolicy } from './cors.ts';
import type { OtlpEncoding } from './decode.ts';
import { countRefusal, exportToPipeline, type ExportOutcome } from './export-request.ts';
import { GrpcCode } from './grpc-codes.ts';
import {
  DEFAULT_HEADERS_TIMEOUT_MILLIS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_OTLP_HTTP_PORT,
  DEFAULT_RECEIVER_HOST,
  DEFAULT_REQUEST_TIMEOUT_MILLIS,
  validateMaxBodyBytes,
  type OtlpHttpReceiverOptions,
  type RunningReceiver,
} from './receiver-options.ts';
import { encodeExportResponse, encodeRpcStatus } from './response.ts';

/** Default URL paths (otlp-specification.md, "OTLP/HTTP Request"). */
const SIGNAL_BY_PATH: ReadonlyMap<string, Signal> = new Map([
  ['/v1/traces', 'traces'],
  ['/v1/metrics', 'metrics'],
  ['/v1/logs', 'logs'],
]);

const MEDIA_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

interface HttpReceiverContext {
  pipeline: Pipeline;
  maxBodyBytes: number;
  cors: CorsPolicy;
}

/**
 * Starts the OTLP/HTTP receiver: POST /v1/traces, /v1/metrics and /v1/logs with binary protobuf
 * or JSON bodies, optionally gzip-compressed, answered only after the pipeline made the records
 * durable.
 *
 * @example
 * const receiver = await startOtlpHttpServer({ pipeline, port: 4318, cors: { allowedOrigins: ['https://*.example.com'] } });
 * // ... later
 * await receiver.close();
 */
export async function startOtlpHttpServer(options: OtlpHttpReceiverOptions): Promise<RunningReceiver> {
  const context: HttpReceiverContext = {
    pipeline: options.pipeline,
    maxBodyBytes: validateMaxBodyBytes(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
    cors: new CorsPolicy(options.cors),
  };
  const headersTimeoutMillis = options.headersTimeoutMillis ?? DEFAULT_HEADERS_TIMEOUT_MILLIS;
  const server = createServer(
    {
      headersTimeout: headersTimeoutMillis,
      requestTimeout: options.requestTimeoutMillis ?? DEFAULT_REQUEST_TIMEOUT_MILLIS,
      // Node checks both timeouts only this often (default 30 s), which would triple a 15 s limit.
      connectionsCheckingInterval: Math.min(1000, headersTimeoutMillis),
    },
    (req, res) => void handleRequest(context, req, res),
  );
  const port = await listen(
    server,
    options.host ?? DEFAULT_RECEIVER_HOST,
    options.port ?? DEFAULT_OTLP_HTTP_PORT,
  );
  return { port, close: () => closeServer(server) };
}

async function handleRequest(
  context: HttpReceiverContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    await routeRequest(context, req, res);
  } catch {
    // Only a bug gets here; the client still gets a Status, never the error's text.
    if (!res.headersSent) sendStatus(res, 500, 'json', GrpcCode.INTERNAL, 'internal error');
    else res.destroy();
  }
}

async function routeRequest(
  context: HttpReceiverContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const signal = SIGNAL_BY_PATH.get(pathOf(req.url));
  if (signal === undefined) {
    sendStatus(
      res,
      404,
      'json',
      GrpcCode.NOT_FOUND,
      'not found; OTLP/HTTP paths are /v1/traces, /v1/metrics, /v1/logs',
    );
    return;
  }
  if (req.method === 'OPTIONS' && context.cors.enabled) {
    context.cors.answerPreflight(req, res);
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', context.cors.enabled ? 'POST, OPTIONS' : 'POST');
    sendStatus(res, 405, 'json', GrpcCode.UNIMPLEMENTED, 'method not allowed; OTLP/HTTP requests use POST');
    return;
  }
  context.cors.decorate(req, res);
  await handleExport(context, signal, req, res);
}

async function handleExport(
  context: HttpReceiverContext,
  signal: Signal,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const encoding = parseMediaType(req.headers['content-type']);
  if (encoding === undefined) {
    countRefusal(signal, 'http', 'unsupported_media_type');
    const message = 'unsupported content type; use application/x-protobuf or application/json';
    sendStatus(res, 415, 'json', GrpcCode.INVALID_ARGUMENT, message);
    return;
  }
  const coding = parseContentCoding(req.headers['content-encoding']);
  if (coding === undefined) {
    countRefusal(signal, 'http', 'unsupported_media_type');
    sendStatus(
      res,
      415,
      encoding,
      GrpcCode.INVALID_ARGUMENT,
      'unsupported content encoding; use gzip or identity',
    );
    return;
  }
  const body = await receiveBody(context, signal, encoding, coding, req, res);
  if (body === undefined) return;
  sendOutcome(
    res,
    signal,
    encoding,
    await exportToPipeline(context.pipeline, signal, encoding, body, 'http'),
  );
}

/** The decompressed body, or undefined once the request has been answered (413, 400) or abandoned. */
async function receiveBody(
  context: HttpReceiverContext,
  signal: Signal,
  encoding: OtlpEncoding,
  coding: ContentCoding,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Buffer | undefined> {
  const read = await readRequestBody(req, coding, context.maxBodyBytes);
  switch (read.kind) {
    case 'body':
      return read.body;
    case 'aborted':
      res.destroy();
      return undefined;
    case 'too_large': {
      countRefusal(signal, 'http', 'too_large');
      // Closing the connection stops a client from streaming the rest of an oversized body to us.
      res.setHeader('Connection', 'close');
      const message = `request body exceeds ${context.maxBodyBytes} bytes`;
      sendStatus(res, 413, encoding, GrpcCode.RESOURCE_EXHAUSTED, message);
      return undefined;
    }
    case 'bad_compression':
      countRefusal(signal, 'http', 'bad_compression');
      sendStatus(res, 400, encoding, GrpcCode.INVALID_ARGUMENT, 'request body is not valid gzip');
      return undefined;
  }
}

/**
 * Maps an export outcome to OTLP/HTTP (otlp-specification.md, "OTLP/HTTP Response"): 200 with an
 * Export*ServiceResponse (partial_success set when records were rejected), 400 for bad data,
 * 429/503 with Retry-After for throttling, 500 otherwise; failures carry a google.rpc.Status.
 */
function sendOutcome(
  res: ServerResponse,
  signal: Signal,
  encoding: OtlpEncoding,
  outcome: ExportOutcome,
): void {
  switch (outcome.kind) {
    case 'accepted':
      send(
        res,
        200,
        encoding,
        encodeExportResponse(signal, encoding, outcome.rejected, outcome.errorMessage),
      );
      return;
    case 'bad_data':
      sendStatus(res, 400, encoding, GrpcCode.INVALID_ARGUMENT, outcome.message);
      return;
    case 'overloaded':
    case 'unavailable': {
      const [httpStatus, grpcCode] =
        outcome.kind === 'overloaded' ? [429, GrpcCode.RESOURCE_EXHAUSTED] : [503, GrpcCode.UNAVAILABLE];
      res.setHeader('Retry-After', String(outcome.retryAfterSeconds));
      sendStatus(res, httpStatus, encoding, grpcCode, outcome.message, outcome.retryAfterSeconds);
      return;
    }
    case 'internal':
      sendStatus(res, 500, encoding, GrpcCode.INTERNAL, outcome.message);
  }
}

function sendStatus(
  res: ServerResponse,
  httpStatus: number,
  encoding: OtlpEncoding,
  grpcCode: GrpcCode,
  message: string,
  retryDelaySeconds?: number,
): void {
  send(res, httpStatus, encoding, encodeRpcStatus(encoding, grpcCode, message, retryDelaySeconds));
}

function send(res: ServerResponse, httpStatus: number, encoding: OtlpEncoding, body: Uint8Array): void {
  res.statusCode = httpStatus;
  res.setHeader('Content-Type', MEDIA_TYPES[encoding]);
  res.setHeader('Content-Length', body.byteLength);
  res.end(body);
}

/**
 * The encoding named by Content-Type, ignoring parameters such as `charset`
 * (RFC 9110 §8.3.1: type and subtype are case-insensitive).
 */
export function parseMediaType(header: string | undefined): OtlpEncoding | undefined {
  const mediaType = (header ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType === MEDIA_TYPES.protobuf) return 'protobuf';
  if (mediaType === MEDIA_TYPES.json) return 'json';
  return undefined;
}

function pathOf(url: string | undefined): string {
  const path = url ?? '/';
  const queryStart = path.indexOf('?');
  return queryStart === -1 ? path : path.slice(0, queryStart);
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(isAddressInfo(address) ? address.port : port);
    });
  });
}

function isAddressInfo(address: string | AddressInfo | null): address is AddressInfo {
  return typeof address === 'object' && address !== null;
}

/** Stops accepting connections, closes idle keep-alive ones, and waits for in-flight requests. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
