import type { Pipeline } from '../../pipeline/pipeline.ts';

/**
 * Request body limit, applied to the bytes on the wire and again after decompression.
 * The OTLP spec recommends 64 MiB (otlp-specification.md, "OTLP/HTTP Request"); Vigil follows
 * the OpenTelemetry Collector's confighttp default of 20 MiB instead: a single-process server
 * decodes several requests at once and a decoded request is several times its wire size, so a
 * smaller bound keeps a burst of large requests from exhausting memory. SDK exporters batch
 * 512 spans (~200 KiB) by default, far below either number.
 */
export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

/** OTLP default ports (otlp-specification.md, "OTLP/gRPC Default Port", "OTLP/HTTP Default Port"). */
export const DEFAULT_OTLP_GRPC_PORT = 4317;
export const DEFAULT_OTLP_HTTP_PORT = 4318;

/** DESIGN.md "Ports": bind loopback unless told otherwise. */
export const DEFAULT_RECEIVER_HOST = '127.0.0.1';

/**
 * Request headers a browser may send cross-origin without listing them in `allowedHeaders`;
 * the same defaults as the Collector's CORS middleware (rs/cors) plus Content-Encoding, which
 * browser exporters set when they compress.
 */
export const DEFAULT_CORS_ALLOWED_HEADERS: readonly string[] = [
  'Accept',
  'Content-Type',
  'Content-Encoding',
  'Origin',
  'X-Requested-With',
];

/** How long a browser may cache a preflight answer; Chromium caps this at 7200. */
export const DEFAULT_CORS_MAX_AGE_SECONDS = 7200;

/**
 * Cross-origin access for browser SDKs, shaped like the Collector's `cors:` block.
 * No allowed origins (the default) means CORS is off: no CORS headers are ever sent.
 */
export interface CorsOptions {
  /** Origins such as `https://app.example.com`; `*` matches any run of characters (`https://*.example.com`, or `*` for all). */
  allowedOrigins?: readonly string[];
  /** Extra request headers to allow besides DEFAULT_CORS_ALLOWED_HEADERS; `*` allows any. */
  allowedHeaders?: readonly string[];
  maxAgeSeconds?: number;
}

/** What the CLI passes to startOtlpHttpServer / startOtlpGrpcServer. */
export interface OtlpReceiverOptions {
  pipeline: Pipeline;
  host?: string;
  /** 0 picks a free port; the chosen port is returned by the start function. */
  port?: number;
  maxBodyBytes?: number;
}

export interface OtlpHttpReceiverOptions extends OtlpReceiverOptions {
  cors?: CorsOptions;
  /** Time allowed to receive the request headers (slowloris guard); at most requestTimeoutMillis. */
  headersTimeoutMillis?: number;
  /** Time allowed to receive the whole request, body included; waiting for the pipeline is not counted. */
  requestTimeoutMillis?: number;
}

export const DEFAULT_HEADERS_TIMEOUT_MILLIS = 15_000;
export const DEFAULT_REQUEST_TIMEOUT_MILLIS = 60_000;

/** A running receiver. `close()` stops accepting connections and waits for in-flight requests. */
export interface RunningReceiver {
  port: number;
  close(): Promise<void>;
}

/** Rejects limits that would silently turn into "no limit" or "refuse everything". */
export function validateMaxBodyBytes(maxBodyBytes: number): number {
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new RangeError('maxBodyBytes must be a positive integer');
  }
  return maxBodyBytes;
}
