import type { ServerResponse } from 'node:http';
import { readRequestBody } from '../receivers/otlp/body-reader.ts';
import {
  handleLokiPush,
  negotiateLokiPush,
  type LokiPushAnswer,
} from '../receivers/loki/loki-push-handler.ts';
import type { Store } from '../storage/store.ts';
import { toApiError } from './api-error.ts';
import type { RequestContext, Router } from './router.ts';

/** Options of POST /loki/api/v1/push. */
export interface LokiPushRouteOptions {
  /**
   * Largest body accepted, on the wire and again decoded (gunzip or snappy); default 32 MiB.
   * Promtail's batches are 1 MiB by default (`batchsize`), Alloy's loki.write the same.
   */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Registers Loki's push API, POST /loki/api/v1/push (JSON, or snappy-compressed protobuf as Promtail
 * and Grafana Alloy send), storing each line as an OTel log record. Answers as Loki does: 204 when
 * written, plain-text 400/413/415 errors, 429/503 with Retry-After when the store is overloaded or
 * unavailable so that clients retry.
 *
 * @example
 * registerLokiPushRoute(router, store);
 * // promtail: clients: [{ url: http://127.0.0.1:16700/loki/api/v1/push }]
 */
export function registerLokiPushRoute(
  router: Router,
  store: Pick<Store, 'writeLogs'>,
  options: LokiPushRouteOptions = {},
): void {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  router.post('/loki/api/v1/push', 'plain', (context) => serveLokiPush(context, store, maxBodyBytes));
}

async function serveLokiPush(
  context: RequestContext,
  store: Pick<Store, 'writeLogs'>,
  maxBodyBytes: number,
): Promise<void> {
  const { request, response } = context;
  const negotiation = negotiateLokiPush(request.headers['content-type'], request.headers['content-encoding']);
  if (!negotiation.ok) {
    // Drain the body so the client reads the answer instead of a reset connection.
    request.resume();
    writeAnswer(response, { status: 415, text: `${negotiation.message}\n` });
    return;
  }
  const read = await readRequestBody(request, negotiation.coding, maxBodyBytes);
  if (read.kind === 'aborted') return;
  if (read.kind === 'bad_compression') {
    writeAnswer(response, { status: 400, text: 'gzip: corrupt request body\n' });
    return;
  }
  if (read.kind === 'too_large') {
    writeAnswer(response, { status: 413, text: `request body exceeds the limit of ${maxBodyBytes} bytes\n` });
    return;
  }
  writeAnswer(response, await pushAnswer(store, negotiation.format, read.body, maxBodyBytes));
}

async function pushAnswer(
  store: Pick<Store, 'writeLogs'>,
  format: 'json' | 'protobuf',
  body: Buffer,
  maxBodyBytes: number,
): Promise<LokiPushAnswer & { retryAfterSeconds?: number }> {
  try {
    return await handleLokiPush(store, format, body, { maxDecodedBytes: maxBodyBytes });
  } catch (error: unknown) {
    // Overload (429) and unavailable storage (503) make clients retry; anything else is a 500 for
    // the central handler, which logs it once.
    const apiError = toApiError(error);
    if (apiError.status === 500) throw error;
    return {
      status: apiError.status,
      text: `${apiError.message}\n`,
      retryAfterSeconds: apiError.retryAfterSeconds,
    };
  }
}

function writeAnswer(
  response: ServerResponse,
  answer: LokiPushAnswer & { retryAfterSeconds?: number },
): void {
  if (answer.status === 204) {
    response.writeHead(204).end();
    return;
  }
  const headers: Record<string, string | number> = {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(answer.text),
  };
  if (answer.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(Math.ceil(answer.retryAfterSeconds));
  response.writeHead(answer.status, headers);
  response.end(answer.text);
}
