import { SpanKind } from '../../model/span.ts';
import type { TraceSpanNode } from '../../query/traces/trace-tree.ts';

/** Where an ML request's wall time goes. */
export const PHASES = [
  'preprocess',
  'featureFetch',
  'retrieval',
  'forwardPass',
  'postprocess',
  'queueing',
  'other',
] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseRule {
  phase: Phase;
  /** What the rule matches, for docs and the API. */
  description: string;
  matches(node: TraceSpanNode): boolean;
}

const nameOrService = (pattern: RegExp) => (node: TraceSpanNode): boolean =>
  pattern.test(node.span.name) || pattern.test(node.span.resource.serviceName);

/**
 * The first matching rule names the phase of a span's self-time. Order matters: the forward pass
 * is named by its span (the Vigil SDK's `inference.forward_pass`) wherever it runs; a CLIENT or
 * PRODUCER span whose remote side is traced spends its self-time waiting on the network and the
 * remote's queue (the gap between the client span and its server span), whatever service sends
 * it; only then do name or service patterns apply. A CLIENT span without a traced child falls
 * through to the patterns: its time is the uninstrumented remote's work. `other` is the own work
 * of spans no rule names (a gateway's routing, the `inference.predict` span's bookkeeping).
 */
export const PHASE_RULES: readonly PhaseRule[] = [
  {
    phase: 'forwardPass',
    description: 'span inference.forward_pass',
    matches: (node) => node.span.name === 'inference.forward_pass',
  },
  {
    phase: 'queueing',
    description: 'CLIENT/PRODUCER span with a traced child: time not covered by the remote side',
    matches: (node) =>
      (node.span.kind === SpanKind.CLIENT || node.span.kind === SpanKind.PRODUCER) && node.children.length > 0,
  },
  { phase: 'preprocess', description: 'span or service name matches /preprocess/', matches: nameOrService(/preprocess/i) },
  { phase: 'featureFetch', description: 'span or service name matches /feature/', matches: nameOrService(/feature/i) },
  { phase: 'postprocess', description: 'span or service name matches /postprocess/', matches: nameOrService(/postprocess/i) },
  { phase: 'retrieval', description: 'span or service name matches /embedding|vector/', matches: nameOrService(/embedding|vector/i) },
];

export function phaseOf(node: TraceSpanNode): Phase {
  return PHASE_RULES.find((rule) => rule.matches(node))?.phase ?? 'other';
}

export type PhaseTimesMs = Record<Phase, number>;

export function emptyPhaseTimes(): PhaseTimesMs {
  return Object.fromEntries(PHASES.map((phase) => [phase, 0])) as PhaseTimesMs;
}

/**
 * The root's wall time split by phase, from self-times: each span's interval (clipped to its
 * parent's, so async work past the request's end is not charged to it) minus the union of its
 * children's clipped intervals. Every instant of the root is charged to exactly one span, the
 * deepest one running then, so the phases add up to the root's duration and nothing counts twice.
 *
 * @example
 * const times = phaseTimesMs(requestRoot(trace)!); // { forwardPass: 31.2, queueing: 4.1, ... }
 */
export function phaseTimesMs(root: TraceSpanNode): PhaseTimesMs {
  const times = emptyPhaseTimes();
  const stack = [{ node: root, start: root.span.startTimeUnixNano, end: root.span.endTimeUnixNano }];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const { node, start, end } = entry;
    const children = node.children
      .map((child) => ({ node: child, start: max(child.span.startTimeUnixNano, start), end: min(child.span.endTimeUnixNano, end) }))
      .filter((child) => child.end > child.start);
    const selfNanos = end - start - unionNanos(children);
    times[phaseOf(node)] += Number(selfNanos) / 1e6;
    stack.push(...children);
  }
  return times;
}

/** Length of the union of intervals. */
function unionNanos(intervals: readonly { start: bigint; end: bigint }[]): bigint {
  const sorted = [...intervals].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  let covered = 0n;
  let reach: bigint | undefined;
  for (const { start, end } of sorted) {
    if (reach === undefined || start >= reach) {
      covered += end - start;
      reach = end;
    } else if (end > reach) {
      covered += end - reach;
      reach = end;
    }
  }
  return covered;
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
