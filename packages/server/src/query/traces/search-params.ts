import { SpanKind, StatusCode } from '../../model/span.ts';
import type { UnixNano } from '../../model/units.ts';
import type { TimeRange } from '../../storage/store.ts';
import { InvalidParameterError } from './invalid-parameter-error.ts';

/** Query-string limits shared by the trace and log searches. */
export const TRACE_LIMIT = { default: 20, max: 1500 } as const;
const MAX_TEXT_PARAM_LENGTH = 1024;

/** The first value of a query parameter, trimmed; undefined when absent or empty (Go's FormValue). */
export function firstParam(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name)?.trim();
  if (value === undefined || value === '') return undefined;
  if (value.length > MAX_TEXT_PARAM_LENGTH)
    throw new InvalidParameterError(name, `at most ${MAX_TEXT_PARAM_LENGTH} characters`);
  return value;
}

/** `limit`: an integer in [1, max]; absent → `defaultLimit`. `zeroMeansDefault` follows Jaeger (limit=0 is "unset"). */
export function parseLimit(
  params: URLSearchParams,
  limits: { default: number; max: number },
  zeroMeansDefault = false,
): number {
  const text = firstParam(params, 'limit');
  if (text === undefined) return limits.default;
  const expectation = `an integer between 1 and ${limits.max}`;
  if (!/^\d{1,9}$/.test(text)) throw new InvalidParameterError('limit', expectation);
  const limit = Number(text);
  if (limit === 0 && zeroMeansDefault) return limits.default;
  if (limit < 1 || limit > limits.max) throw new InvalidParameterError('limit', expectation);
  return limit;
}

const KIND_BY_NAME: Readonly<Record<string, SpanKind>> = {
  unspecified: SpanKind.UNSPECIFIED,
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

/** Span kind names as OTel and Jaeger's `span.kind` tag write them (lowercase). */
export function spanKindName(kind: SpanKind): string {
  return Object.keys(KIND_BY_NAME).find((name) => KIND_BY_NAME[name] === kind) ?? 'unspecified';
}

/** Parses a span kind name (server, client, producer, consumer, internal, unspecified; any case). */
export function parseSpanKind(parameter: string, text: string): SpanKind {
  const kind = KIND_BY_NAME[text.toLowerCase()];
  if (kind === undefined) {
    throw new InvalidParameterError(
      parameter,
      'one of server, client, producer, consumer, internal, unspecified',
    );
  }
  return kind;
}

const STATUS_BY_NAME: Readonly<Record<string, StatusCode>> = {
  unset: StatusCode.UNSET,
  ok: StatusCode.OK,
  error: StatusCode.ERROR,
};

/** Parses a span status (error, ok, unset; any case). */
export function parseStatusCode(parameter: string, text: string): StatusCode {
  const code = STATUS_BY_NAME[text.toLowerCase()];
  if (code === undefined) throw new InvalidParameterError(parameter, 'one of error, ok, unset');
  return code;
}

/** Rejects min > max for a pair of optional bounds. */
export function checkOrdered(minParameter: string, maxParameter: string, min?: bigint, max?: bigint): void {
  if (min !== undefined && max !== undefined && min > max) {
    throw new InvalidParameterError(maxParameter, `a value not less than '${minParameter}'`);
  }
}

/** A time range from optional bounds: end defaults to now, start to end − lookback. */
export function resolveRange(
  startUnixNano: UnixNano | undefined,
  endUnixNano: UnixNano | undefined,
  lookbackNanos: bigint,
  nowUnixNano: UnixNano,
): TimeRange {
  const end = endUnixNano ?? nowUnixNano;
  const start = startUnixNano ?? (end > lookbackNanos ? end - lookbackNanos : 0n);
  checkOrdered('start', 'end', start, end);
  return { startUnixNano: start, endUnixNano: end };
}

const TRACE_ID = /^[0-9a-f]{1,32}$/;

/**
 * Normalizes a trace ID as Jaeger does: 1–32 hex digits, any case, left-padded with zeros to 32
 * (a 64-bit Zipkin/Jaeger ID is the low half of a 128-bit one). The all-zero ID is invalid (OTLP).
 */
export function parseTraceId(parameter: string, text: string): string {
  const lower = text.trim().toLowerCase();
  if (!TRACE_ID.test(lower) || /^0+$/.test(lower)) {
    throw new InvalidParameterError(parameter, 'a trace ID of 1 to 32 hexadecimal digits, not all zero');
  }
  return lower.padStart(32, '0');
}
