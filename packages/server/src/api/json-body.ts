import { parseContentCoding, readRequestBody } from '../receivers/otlp/body-reader.ts';
import { ApiError } from './api-error.ts';
import type { RequestContext } from './router.ts';

/** JSON request bodies of the management APIs (silences, SLOs, acknowledgements) are small. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/**
 * Reads and parses a JSON request body (gzip allowed). Errors are 4xx ApiErrors that never quote
 * the body: 415 for another content type, 413 when too large, 400 when not JSON.
 *
 * @example
 * const body = await readJsonBody(context); // unknown: validate before use
 */
export async function readJsonBody(context: RequestContext): Promise<unknown> {
  const { request } = context;
  const mediaType = (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') throw new ApiError(415, 'expected Content-Type: application/json');
  const coding = parseContentCoding(request.headers['content-encoding']);
  if (coding === undefined) throw new ApiError(415, 'unsupported Content-Encoding');
  const result = await readRequestBody(request, coding, MAX_JSON_BODY_BYTES);
  if (result.kind === 'too_large') throw new ApiError(413, `request body over ${MAX_JSON_BODY_BYTES} bytes`);
  if (result.kind === 'bad_compression') throw new ApiError(400, 'invalid gzip body');
  if (result.kind === 'aborted') throw new ApiError(400, 'request body was not received completely');
  try {
    return JSON.parse(result.body.toString('utf8')) as unknown;
  } catch {
    throw new ApiError(400, 'request body is not valid JSON');
  }
}
