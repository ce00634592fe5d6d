import { InvalidParameterError } from '../query/traces/invalid-parameter-error.ts';
import { OverloadedError, UnavailableError } from '../pipeline/errors.ts';

/**
 * The one error type of the HTTP API: a status and a message safe to show the client (it never
 * contains query values, tokens or payload contents). Route handlers throw it, or errors that
 * {@link toApiError} maps to it; the central handler in api-server.ts writes it in the format of the
 * API the route belongs to (Vigil JSON or Jaeger's envelope).
 *
 * @example
 * throw new ApiError(404, 'trace not found');
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    /** Seconds for a Retry-After header (429/503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Maps anything a handler threw to an ApiError; unknown errors become a generic 500. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof InvalidParameterError) return new ApiError(400, error.message);
  if (error instanceof OverloadedError)
    return new ApiError(429, 'server overloaded; retry later', error.retryAfterSeconds);
  if (error instanceof UnavailableError)
    return new ApiError(503, 'storage unavailable; retry later', error.retryAfterSeconds);
  return new ApiError(500, 'internal error');
}
