/**
 * Refusals a pipeline can answer with. Receivers map them to the transport's words
 * (otlp-specification.md, "Failures"): both are retryable.
 */

/** Too much in flight: HTTP 429 / gRPC RESOURCE_EXHAUSTED, with a retry delay. */
export class OverloadedError extends Error {
  override readonly name = 'OverloadedError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The store cannot take data now (closing, failing): HTTP 503 / gRPC UNAVAILABLE. */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
