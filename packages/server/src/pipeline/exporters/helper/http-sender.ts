import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ExportError } from '../exporter-helper.ts';
import type { RequestSender } from '../exporter-helper.ts';
import { serverMessage } from './server-message.ts';

/** TLS client settings (the Collector's configtls.ClientConfig, as file contents). */
export interface HttpTlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** false = insecure_skip_verify. */
  rejectUnauthorized?: boolean;
}

export interface HttpSenderOptions {
  url: string;
  headers: Record<string, string>;
  /** Per-request deadline; 0 means none. */
  timeoutMs: number;
  tls?: HttpTlsOptions;
  /** Sees each successful answer (OTLP partial success); must not throw. */
  onResponse?: (body: Buffer, contentType: string) => void;
}

/**
 * Statuses worth retrying, as the Collector's otlphttp exporter decides (exporter/otlphttpexporter
 * otlp.go, isRetryableStatusCode): 429 Too Many Requests, 502 Bad Gateway, 503 Service
 * Unavailable, 504 Gateway Timeout. Every other failure status is permanent.
 */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Enough of an error answer for its message; the rest is not read. */
const MAX_ERROR_BODY_BYTES = 4096;
/** Success answers are tiny (ExportXxxServiceResponse); cap what we hold. */
const MAX_SUCCESS_BODY_BYTES = 64 * 1024;

/**
 * POSTs one body and maps the answer to ExportError: 429/502/503/504 and network errors are
 * retryable (Retry-After honoured, seconds or HTTP date); other statuses are permanent. The error
 * message carries the status and a short sanitized server message, never the body we sent, nor the
 * URL's query (it may hold a token).
 *
 * @example
 * const send = createHttpSender({ url: 'http://tempo:4318/v1/traces', headers: { 'content-type': 'application/x-protobuf' }, timeoutMs: 30_000 });
 * await send(body, AbortSignal.timeout(30_000));
 */
export function createHttpSender(options: HttpSenderOptions): RequestSender {
  const url = new URL(options.url);
  const target = `${url.origin}${url.pathname}`;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return async (body, signal) => {
    const signals = [signal];
    if (options.timeoutMs > 0) signals.push(AbortSignal.timeout(options.timeoutMs));
    const response = await post(request, url, options, body, AbortSignal.any(signals), target);
    const contentType = response.headers['content-type'] ?? '';
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) {
      const answer = await readBody(response, MAX_SUCCESS_BODY_BYTES);
      options.onResponse?.(answer, contentType);
      return;
    }
    const message = serverMessage(await readBody(response, MAX_ERROR_BODY_BYTES), contentType);
    const text = `HTTP ${status} from ${target}${message === '' ? '' : `: ${message}`}`;
    if (!RETRYABLE_STATUSES.has(status)) throw new ExportError(text, false);
    throw new ExportError(text, true, retryAfterMs(response.headers['retry-after']));
  };
}

function post(
  request: typeof httpRequest,
  url: URL,
  options: HttpSenderOptions,
  body: Uint8Array,
  signal: AbortSignal,
  target: string,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { ...options.headers, 'content-length': String(body.byteLength) },
      signal,
      ...options.tls,
    });
    req.on('response', resolve);
    req.on('error', (error: NodeJS.ErrnoException) => {
      const reason = signal.aborted ? 'timed out or was cancelled' : `failed (${error.code ?? error.name})`;
      reject(new ExportError(`request to ${target} ${reason}`, true));
    });
    req.end(body);
  });
}

/** Reads at most `limitBytes` of an answer, then lets the rest go. */
async function readBody(response: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response) {
      const bytes = chunk as Buffer;
      chunks.push(bytes);
      total += bytes.length;
      if (total >= limitBytes) break;
    }
  } catch {
    // A connection cut mid-answer: the status is what matters.
  }
  response.resume();
  return Buffer.concat(chunks).subarray(0, limitBytes);
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. */
export function retryAfterMs(header: string | undefined, nowMs = Date.now()): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const dateMs = Date.parse(header);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}
