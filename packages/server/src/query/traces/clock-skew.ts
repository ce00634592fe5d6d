import type { Span } from '../../model/span.ts';
import type { TraceSpanNode } from './trace-tree.ts';

export interface ClockSkewOptions {
  /**
   * Largest shift applied; a larger computed delta is reported as a warning and not applied
   * (Jaeger's `--query.max-clock-skew-adjustment`). Undefined: no cap.
   */
  maxDeltaNanos?: bigint;
}

interface Skew {
  hostKey: string;
  deltaNanos: bigint;
}

/**
 * Jaeger's clock-skew adjuster (jaeger model/adjuster/clockskew.go), on Vigil's span tree: a child
 * span from a different host than its parent that starts before the parent or ends after it is
 * shifted, with its whole same-host subtree, so that it fits inside the parent:
 * - child longer than parent (async work, or the parent timed out): only make sure it does not start
 *   before the parent;
 * - otherwise center it, assuming network latency is split equally between request and response:
 *   `parentStart + (parentDuration - childDuration) / 2 = childStart + delta`.
 * Spans from the same host are never adjusted against each other (one clock). Roots and orphans are
 * the reference points and are never shifted. Unlike Jaeger v2 (which moves only the start), the
 * end moves with the start so durations stay as measured. Mutates the nodes (each shifted node gets
 * a span copy); returns how many spans were shifted.
 *
 * @example
 * const shifted = adjustClockSkew(trace.roots, { maxDeltaNanos: 60_000_000_000n });
 */
export function adjustClockSkew(roots: readonly TraceSpanNode[], options: ClockSkewOptions): number {
  let shifted = 0;
  const stack: { node: TraceSpanNode; skew: Skew }[] = roots.map((node) => ({
    node,
    skew: { hostKey: node.hostKey, deltaNanos: 0n },
  }));
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const { node } = entry;
    let skew = entry.skew;
    // The parent was adjusted before its children are visited, so compare against its new times.
    if (node.parent && (node.hostKey !== skew.hostKey || node.hostKey === '')) {
      skew = { hostKey: node.hostKey, deltaNanos: calculateSkewNanos(node.span, node.parent.span) };
    }
    if (applySkew(node, skew.deltaNanos, options)) shifted++;
    for (const child of node.children) stack.push({ node: child, skew });
  }
  return shifted;
}

/** The shift that makes `child` fit inside `parent` (0n when it already does). */
export function calculateSkewNanos(child: Span, parent: Span): bigint {
  const parentDurationNanos = parent.endTimeUnixNano - parent.startTimeUnixNano;
  const childDurationNanos = child.endTimeUnixNano - child.startTimeUnixNano;
  if (childDurationNanos > parentDurationNanos) {
    return child.startTimeUnixNano < parent.startTimeUnixNano
      ? parent.startTimeUnixNano - child.startTimeUnixNano
      : 0n;
  }
  if (child.startTimeUnixNano >= parent.startTimeUnixNano && child.endTimeUnixNano <= parent.endTimeUnixNano)
    return 0n;
  const latencyNanos = (parentDurationNanos - childDurationNanos) / 2n;
  return parent.startTimeUnixNano + latencyNanos - child.startTimeUnixNano;
}

function applySkew(node: TraceSpanNode, deltaNanos: bigint, options: ClockSkewOptions): boolean {
  if (deltaNanos === 0n) return false;
  const absDeltaNanos = deltaNanos < 0n ? -deltaNanos : deltaNanos;
  if (options.maxDeltaNanos !== undefined && absDeltaNanos > options.maxDeltaNanos) {
    node.warnings.push(
      `clock skew adjustment not applied: shift of ${formatMicros(deltaNanos)} µs exceeds the maximum of ${formatMicros(options.maxDeltaNanos)} µs`,
    );
    return false;
  }
  const span = node.span;
  node.span = {
    ...span,
    startTimeUnixNano: span.startTimeUnixNano + deltaNanos,
    endTimeUnixNano: span.endTimeUnixNano + deltaNanos,
    events: span.events.map((event) => ({ ...event, timeUnixNano: event.timeUnixNano + deltaNanos })),
  };
  node.clockSkewDeltaNanos = deltaNanos;
  node.warnings.push(`clock skew adjustment applied: shifted by ${formatMicros(deltaNanos)} µs`);
  return true;
}

/** Nanoseconds as microseconds text, exact: 1500n → "1.5", -2000n → "-2". */
export function formatMicros(nanos: bigint): string {
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  const fraction = (abs % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  return `${sign}${abs / 1000n}${fraction ? `.${fraction}` : ''}`;
}
