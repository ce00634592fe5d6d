import { InvalidParameterError } from '../query/traces/invalid-parameter-error.ts';
import { OverloadedError, UnavailableError } from '../pipeline/errors.ts';
import { PromQLError, type PromErrorType } from '../query/promql/errors.ts';

/**
 * The one error type of the HTTP API: a status and a message safe to show the client (it never
 * contains query values, tokens or payload contents — except Prometheus API errors, which quote the
 * offending parameter as Prometheus does, because clients and users match on that wording). Route
 * handlers throw it, or errors that {@link toApiError} maps to it; the central handler in
 * api-server.ts writes it in the format of the API the route belongs to (Vigil JSON, Jaeger's
 * envelope or Prometheus's `{status:"error", errorType, error}`).
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
    /** The Prometheus API errorType; derived from the status when absent. */
    readonly errorType?: PromErrorType,
  ) {
    super(message);
  }
}

/** Maps anything a handler threw to an ApiError; unknown errors become a generic 500. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof InvalidParameterError) return new ApiError(400, error.message);
  if (error instanceof PromQLError)
    return new ApiError(PROM_STATUS_BY_TYPE[error.type], error.message, undefined, error.type);
  if (error instanceof OverloadedError)
    return new ApiError(429, 'server overloaded; retry later', error.retryAfterSeconds);
  if (error instanceof UnavailableError)
    return new ApiError(503, 'storage unavailable; retry later', error.retryAfterSeconds);
  return new ApiError(500, 'internal error');
}

/** HTTP status per errorType, as Prometheus's respondError (web/api/v1/api.go) writes them. */
const PROM_STATUS_BY_TYPE: Readonly<Record<PromErrorType, number>> = {
  bad_data: 400,
  execution: 422,
  // Non-standard 499 (nginx's "client closed request"), as Prometheus 3 answers a canceled query.
  canceled: 499,
  timeout: 503,
  internal: 500,
  not_found: 404,
  not_acceptable: 406,
  unavailable: 503,
};
