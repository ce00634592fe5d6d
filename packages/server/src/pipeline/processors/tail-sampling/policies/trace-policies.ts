import type { StatusCode } from '../../../../model/span.ts';
import { Decision, type PolicyEvaluator, type TraceUnderDecision } from '../decision.ts';

const NANOS_PER_MILLI = 1_000_000n;

/** `always_sample`. */
export class AlwaysSamplePolicy implements PolicyEvaluator {
  readonly adjustedCount = 1;
  evaluate(): Decision {
    return Decision.Sampled;
  }
}

/**
 * `latency`: the trace's duration, from its earliest span start to its latest span end (gaps
 * included), in whole milliseconds. Without `upper_threshold_ms` it samples duration ≥ threshold;
 * with it, threshold < duration ≤ upper (internal/sampling/latency.go). Upstream tests the bound as
 * the running min/max widen span by span, so it can sample on a prefix; Vigil tests the whole trace.
 */
export class LatencyPolicy implements PolicyEvaluator {
  readonly adjustedCount = 1;

  constructor(
    private readonly thresholdMs: number,
    private readonly upperThresholdMs: number,
  ) {}

  evaluate(trace: TraceUnderDecision): Decision {
    const durationMs = traceDurationMs(trace);
    if (durationMs === undefined) return Decision.NotSampled;
    const sampled =
      this.upperThresholdMs === 0
        ? durationMs >= this.thresholdMs
        : durationMs > this.thresholdMs && durationMs <= this.upperThresholdMs;
    return sampled ? Decision.Sampled : Decision.NotSampled;
  }
}

/** Whole milliseconds from the earliest start to the latest end (Go's Duration.Milliseconds truncates). */
export function traceDurationMs(trace: TraceUnderDecision): number | undefined {
  const first = trace.spans[0];
  if (first === undefined) return undefined;
  let minStart = first.startTimeUnixNano;
  let maxEnd = first.endTimeUnixNano;
  for (const span of trace.spans) {
    if (span.startTimeUnixNano < minStart) minStart = span.startTimeUnixNano;
    if (span.endTimeUnixNano > maxEnd) maxEnd = span.endTimeUnixNano;
  }
  return Number((maxEnd - minStart) / NANOS_PER_MILLI);
}

/** `status_code`: any span has one of the listed status codes (internal/sampling/status_code.go). */
export class StatusCodePolicy implements PolicyEvaluator {
  readonly adjustedCount = 1;

  constructor(private readonly statusCodes: readonly StatusCode[]) {}

  evaluate(trace: TraceUnderDecision): Decision {
    for (const span of trace.spans) {
      if (this.statusCodes.includes(span.statusCode)) return Decision.Sampled;
    }
    return Decision.NotSampled;
  }
}

/**
 * `span_count`: the trace has between min_spans and max_spans spans, inclusive; a max_spans of 0
 * means no upper bound (internal/sampling/span_count_sampler.go).
 */
export class SpanCountPolicy implements PolicyEvaluator {
  readonly adjustedCount = 1;

  constructor(
    private readonly minSpans: number,
    private readonly maxSpans: number,
  ) {}

  evaluate(trace: TraceUnderDecision): Decision {
    const count = trace.spans.length;
    const sampled = count >= this.minSpans && (this.maxSpans === 0 || count <= this.maxSpans);
    return sampled ? Decision.Sampled : Decision.NotSampled;
  }
}

/**
 * `trace_state`: any span's W3C tracestate has `key` with one of `values`
 * (internal/sampling/trace_state_filter.go). Upstream drops values whose `key=value` member would
 * exceed the W3C limit of 256 characters, and treats an unparsable tracestate as no match.
 */
export class TraceStatePolicy implements PolicyEvaluator {
  readonly adjustedCount = 1;
  private readonly values: ReadonlySet<string>;

  constructor(
    private readonly key: string,
    values: readonly string[],
  ) {
    this.values = new Set(values.filter((v) => v !== '' && key.length + v.length < 256));
  }

  evaluate(trace: TraceUnderDecision): Decision {
    for (const span of trace.spans) {
      if (span.traceState === '') continue;
      const value = traceStateValue(span.traceState, this.key);
      if (value !== undefined && this.values.has(value)) return Decision.Sampled;
    }
    return Decision.NotSampled;
  }
}

/** The value of `key` in a W3C tracestate header (`k1=v1,k2=v2`), or undefined. */
export function traceStateValue(traceState: string, key: string): string | undefined {
  for (const member of traceState.split(',')) {
    const trimmed = member.trim();
    const equals = trimmed.indexOf('=');
    if (equals > 0 && trimmed.slice(0, equals) === key) return trimmed.slice(equals + 1);
  }
  return undefined;
}
