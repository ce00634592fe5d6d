import { PromQLError } from '../../query/promql/errors.ts';
import { parseContentCoding, readRequestBody } from '../../receivers/otlp/body-reader.ts';
import type { RequestContext } from '../router.ts';

/**
 * POST bodies are bounded well below Go's 10 MB ParseForm limit: a form holds queries and
 * selectors, and 1 MiB fits the longest dashboards generate (Grafana POSTs to avoid URL limits).
 */
export const MAX_FORM_BODY_BYTES = 1024 * 1024;

/**
 * The request's parameters as Go's `r.Form` holds them: for a POST with an
 * `application/x-www-form-urlencoded` body, the body's values first, then the URL's, so that
 * {@link formValue} (first value) prefers the body as `r.FormValue` does. Other requests and
 * other content types: the URL's parameters only (ParseForm ignores such bodies).
 *
 * @example
 * const params = await readPromForm(context);
 * params.getAll('match[]');
 */
export async function readPromForm(context: RequestContext): Promise<URLSearchParams> {
  const { request, query } = context;
  if (request.method !== 'POST' || !isFormContentType(request.headers['content-type'])) return query;
  const coding = parseContentCoding(request.headers['content-encoding']);
  if (coding === undefined)
    throw new PromQLError('bad_data', 'error parsing form values: unsupported Content-Encoding');
  const result = await readRequestBody(request, coding, MAX_FORM_BODY_BYTES);
  if (result.kind === 'too_large')
    throw new PromQLError('bad_data', 'error parsing form values: http: POST too large');
  if (result.kind === 'bad_compression')
    throw new PromQLError('bad_data', 'error parsing form values: invalid gzip body');
  if (result.kind === 'aborted')
    throw new PromQLError('canceled', 'request body was not received completely');
  const merged = new URLSearchParams(result.body.toString('utf8'));
  for (const [name, value] of query) merged.append(name, value);
  return merged;
}

function isFormContentType(header: string | undefined): boolean {
  const mediaType = (header ?? '').split(';', 1)[0]?.trim().toLowerCase();
  return mediaType === 'application/x-www-form-urlencoded';
}
