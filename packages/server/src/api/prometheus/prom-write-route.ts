import type { ServerResponse } from 'node:http';
import { readRequestBody } from '../../receivers/otlp/body-reader.ts';
import {
  handleRemoteWrite,
  type RemoteWriteAnswer,
} from '../../receivers/prometheus/remote-write/remote-write-handler.ts';
import type { Store } from '../../storage/store.ts';
import { toApiError } from '../api-error.ts';
import type { RequestContext, Router } from '../router.ts';

/** Options of POST /api/v1/write. */
export interface RemoteWriteRouteOptions {
  /**
   * Largest body accepted, compressed on the wire and again decoded; default 32 MiB. Prometheus's
   * own senders cut batches at max_samples_per_send (2,000 by default), well below a MiB.
   */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Registers the Prometheus remote-write receiver, POST /api/v1/write (remote-write 1.0 and 2.0;
 * documented in docs/api.md, "Remote write"). Answers are plain text like Prometheus's
 * (net/http's http.Error), not the JSON envelope of the query API: senders log the body as is.
 *
 * @example
 * registerRemoteWriteRoute(router, store);
 * // prometheus.yml: remote_write: [{ url: http://127.0.0.1:16700/api/v1/write }]
 */
export function registerRemoteWriteRoute(
  router: Router,
  store: Store,
  options: RemoteWriteRouteOptions = {},
): void {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  router.post('/api/v1/write', 'prometheus', (context) => serveRemoteWrite(context, store, maxBodyBytes));
}

async function serveRemoteWrite(context: RequestContext, store: Store, maxBodyBytes: number): Promise<void> {
  const { request, response } = context;
  // Snappy is the remote-write body format, not an HTTP content coding: the body is read as is.
  const read = await readRequestBody(request, 'identity', maxBodyBytes);
  if (read.kind === 'aborted') return;
  if (read.kind !== 'body') {
    writeAnswer(response, {
      status: 413,
      headers: {},
      text: `request body exceeds the limit of ${maxBodyBytes} bytes\n`,
    });
    return;
  }
  let answer: RemoteWriteAnswer;
  try {
    answer = await handleRemoteWrite(
      store,
      {
        contentType: request.headers['content-type'],
        contentEncoding: request.headers['content-encoding'],
        body: read.body,
      },
      { maxDecodedBytes: maxBodyBytes },
    );
  } catch (error: unknown) {
    // Overload (429) and unavailable storage (503) make senders retry; other failures are 500s and
    // go to the central handler, which logs them once.
    const apiError = toApiError(error);
    if (apiError.status === 500) throw error;
    const headers: Record<string, string> = {};
    if (apiError.retryAfterSeconds !== undefined)
      headers['retry-after'] = String(Math.ceil(apiError.retryAfterSeconds));
    answer = { status: apiError.status, headers, text: `${apiError.message}\n` };
  }
  writeAnswer(response, answer);
}

function writeAnswer(response: ServerResponse, answer: RemoteWriteAnswer): void {
  if (answer.status === 204) {
    response.writeHead(204, answer.headers).end();
    return;
  }
  response.writeHead(answer.status, {
    ...answer.headers,
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(answer.text),
  });
  response.end(answer.text);
}
