import type { Span } from '../../model/span.ts';
import type { UnixNano } from '../../model/units.ts';
import { adjustClockSkew, type ClockSkewOptions } from './clock-skew.ts';
import { hostKey } from './host-key.ts';

/** One span of an assembled trace, linked to its parent and children. */
export interface TraceSpanNode {
  /** The span as shown: after clock-skew adjustment when one was applied (a copy; the stored span is untouched). */
  span: Span;
  /** The span's timestamps as stored, before any adjustment. */
  originalStartTimeUnixNano: UnixNano;
  originalEndTimeUnixNano: UnixNano;
  /** How far the span (and its events) were shifted; 0n when not adjusted. */
  clockSkewDeltaNanos: bigint;
  parent: TraceSpanNode | undefined;
  children: TraceSpanNode[];
  /** 0 for roots (including orphans). */
  depth: number;
  /** The span names a parent that is not in the trace (the parent was lost, sampled out or not yet arrived). */
  orphan: boolean;
  /** Identity of the emitting host, used to decide when clock skew is possible (see host-key.ts). */
  hostKey: string;
  warnings: string[];
}

export interface AssembledTrace {
  traceId: string;
  /** Depth-first, parents before children, siblings by start time; roots (by start time) first. */
  spans: TraceSpanNode[];
  roots: TraceSpanNode[];
  warnings: string[];
  startTimeUnixNano: UnixNano;
  endTimeUnixNano: UnixNano;
}

export interface AssembleOptions {
  /** Clock-skew adjustment settings; `false` turns adjustment off (raw timestamps). */
  clockSkew?: ClockSkewOptions | false;
}

/**
 * Builds the span tree of one trace: links children to parents, flags orphans (a non-empty
 * parentSpanId that is not in the trace), breaks parent cycles, drops exact duplicate spans (an
 * at-least-once retry stores a span twice) and applies Jaeger-style clock-skew adjustment.
 *
 * @example
 * const trace = assembleTrace(await store.getTrace(traceId));
 * for (const node of trace.spans) console.log(' '.repeat(node.depth), node.span.name, node.orphan);
 */
export function assembleTrace(spans: readonly Span[], options: AssembleOptions = {}): AssembledTrace {
  const warnings: string[] = [];
  const nodes = toNodes(spans, warnings);
  const roots = linkParents(nodes, warnings);
  if (options.clockSkew !== false) {
    const adjusted = adjustClockSkew(roots, options.clockSkew ?? {});
    if (adjusted > 0) warnings.push(`clock skew adjustment applied to ${adjusted} span(s)`);
  }
  const ordered = depthFirst(roots);
  return {
    traceId: spans[0]?.traceId ?? '',
    spans: ordered,
    roots,
    warnings,
    ...timeBounds(ordered),
  };
}

function toNodes(spans: readonly Span[], warnings: string[]): Map<string, TraceSpanNode> {
  const nodes = new Map<string, TraceSpanNode>();
  let conflicting = 0;
  for (const span of spans) {
    const existing = nodes.get(span.spanId);
    if (existing) {
      if (!isSameSpan(existing.span, span)) conflicting++;
      continue;
    }
    nodes.set(span.spanId, newNode(span));
  }
  if (conflicting > 0)
    warnings.push(`${conflicting} span(s) share a span ID with a different span; only the first is shown`);
  return nodes;
}

function isSameSpan(a: Span, b: Span): boolean {
  return (
    a.name === b.name &&
    a.startTimeUnixNano === b.startTimeUnixNano &&
    a.endTimeUnixNano === b.endTimeUnixNano
  );
}

function newNode(span: Span): TraceSpanNode {
  return {
    span,
    originalStartTimeUnixNano: span.startTimeUnixNano,
    originalEndTimeUnixNano: span.endTimeUnixNano,
    clockSkewDeltaNanos: 0n,
    parent: undefined,
    children: [],
    depth: 0,
    orphan: false,
    hostKey: hostKey(span.resource),
    warnings: [],
  };
}

/** Links every node to its parent; returns the roots (true roots, orphans, and cycle breakers). */
function linkParents(nodes: Map<string, TraceSpanNode>, warnings: string[]): TraceSpanNode[] {
  const roots: TraceSpanNode[] = [];
  let orphans = 0;
  for (const node of nodes.values()) {
    const parentId = node.span.parentSpanId;
    const parent = parentId === '' ? undefined : nodes.get(parentId);
    if (parent && parent !== node) {
      node.parent = parent;
      parent.children.push(node);
    } else if (parentId !== '') {
      node.orphan = true;
      node.warnings.push(`parent span ID ${parentId} is not in the trace`);
      orphans++;
      roots.push(node);
    } else {
      roots.push(node);
    }
  }
  if (orphans > 0)
    warnings.push(`${orphans} span(s) reference a parent span that is not in the trace (incomplete trace)`);
  breakCycles(nodes, roots, warnings);
  return roots.sort(byStartTime);
}

/** Spans whose parent chain loops never reach a root; cut each loop once so every span is shown. */
function breakCycles(nodes: Map<string, TraceSpanNode>, roots: TraceSpanNode[], warnings: string[]): void {
  const reached = new Set<TraceSpanNode>();
  const visit = (start: TraceSpanNode): void => {
    const stack = [start];
    for (let node = stack.pop(); node; node = stack.pop()) {
      reached.add(node);
      stack.push(...node.children);
    }
  };
  roots.forEach(visit);
  let cut = 0;
  for (const node of nodes.values()) {
    if (reached.has(node) || !node.parent) continue;
    const parent = node.parent;
    parent.children.splice(parent.children.indexOf(node), 1);
    node.parent = undefined;
    node.warnings.push('span is part of a parent cycle; shown as a root');
    roots.push(node);
    visit(node);
    cut++;
  }
  if (cut > 0) warnings.push(`${cut} parent cycle(s) broken`);
}

function byStartTime(a: TraceSpanNode, b: TraceSpanNode): number {
  const diff = a.span.startTimeUnixNano - b.span.startTimeUnixNano;
  return diff < 0n ? -1 : diff > 0n ? 1 : a.span.spanId < b.span.spanId ? -1 : 1;
}

/** Pre-order walk without recursion (traces can be thousands of spans deep), setting depth. */
function depthFirst(roots: TraceSpanNode[]): TraceSpanNode[] {
  const ordered: TraceSpanNode[] = [];
  const stack = [...roots].reverse();
  for (let node = stack.pop(); node; node = stack.pop()) {
    node.depth = node.parent ? node.parent.depth + 1 : 0;
    ordered.push(node);
    node.children.sort(byStartTime);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as TraceSpanNode);
  }
  return ordered;
}

function timeBounds(nodes: TraceSpanNode[]): { startTimeUnixNano: UnixNano; endTimeUnixNano: UnixNano } {
  let start: UnixNano | undefined;
  let end: UnixNano | undefined;
  for (const { span } of nodes) {
    if (start === undefined || span.startTimeUnixNano < start) start = span.startTimeUnixNano;
    if (end === undefined || span.endTimeUnixNano > end) end = span.endTimeUnixNano;
  }
  return { startTimeUnixNano: start ?? 0n, endTimeUnixNano: end ?? 0n };
}
