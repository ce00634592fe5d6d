import { SpanKind, StatusCode } from '../../model/span.ts';
import { Temporality } from '../../model/metric-point.ts';

/**
 * OTLP enum numbers → model enums. proto3 enums are open, so a sender may use a number this version
 * does not know; it maps to the UNSPECIFIED/UNSET value instead of leaking into the model.
 */
export function toSpanKind(value: number): SpanKind {
  return value >= SpanKind.UNSPECIFIED && value <= SpanKind.CONSUMER
    ? (value as SpanKind)
    : SpanKind.UNSPECIFIED;
}

export function toStatusCode(value: number): StatusCode {
  return value === StatusCode.OK || value === StatusCode.ERROR ? value : StatusCode.UNSET;
}

export function toTemporality(value: number): Temporality {
  return value === Temporality.DELTA || value === Temporality.CUMULATIVE ? value : Temporality.UNSPECIFIED;
}

/** Enum names OTLP/JSON senders may use although the spec asks for numbers (proto3 JSON mapping allows both). */
export const SPAN_KIND_NAMES: Readonly<Record<string, number>> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};

export const STATUS_CODE_NAMES: Readonly<Record<string, number>> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};

export const TEMPORALITY_NAMES: Readonly<Record<string, number>> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

const SEVERITY_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** SEVERITY_NUMBER_UNSPECIFIED = 0, SEVERITY_NUMBER_TRACE = 1 … SEVERITY_NUMBER_FATAL4 = 24 (logs.proto). */
export const SEVERITY_NUMBER_NAMES: Readonly<Record<string, number>> = Object.fromEntries([
  ['SEVERITY_NUMBER_UNSPECIFIED', 0],
  ...SEVERITY_LEVELS.flatMap((level, i) =>
    ['', '2', '3', '4'].map((suffix, j) => [`SEVERITY_NUMBER_${level}${suffix}`, i * 4 + j + 1] as const),
  ),
]);
