import type { Attributes } from './attributes.ts';
import type { Resource, Scope } from './resource.ts';
import type { UnixNano } from './units.ts';

/** OTLP Span.SpanKind numbers. */
export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

/** OTLP Status.StatusCode numbers. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode];

export interface SpanEvent {
  timeUnixNano: UnixNano;
  name: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface SpanLink {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  traceState: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
}

/** One span as received; ids are lowercase hex, timestamps exact Unix nanoseconds. */
export interface Span {
  traceId: string;
  spanId: string;
  /** Empty string for a root span. */
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  kind: SpanKind;
  startTimeUnixNano: UnixNano;
  endTimeUnixNano: UnixNano;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  statusCode: StatusCode;
  statusMessage: string;
  resource: Resource;
  scope: Scope;
}

/**
 * Set by tail sampling on every kept span: how many traces it stands for, so counts and rates taken
 * from stored traces can be re-weighted.
 */
export const ADJUSTED_COUNT_ATTRIBUTE = 'sampling.adjusted_count';

export function spanDurationNanos(span: Span): bigint {
  return span.endTimeUnixNano - span.startTimeUnixNano;
}
