/**
 * The Tracer: parent resolution, ParentBased(AlwaysOn) sampling, ids, and a LeanSpan.
 *
 * Sampling (trace SDK spec, "ParentBased" with its default delegates): no valid parent → record
 * and sample; a valid parent, local or remote → sample exactly when its `sampled` flag is set. A
 * span that is not sampled is a non-recording span that carries the parent's trace id, a new span
 * id and flags 00, so that context still propagates (as the OTel JS SDK does). Inside
 * `suppressTracing` (the exporters' own requests) no span is made.
 */
import {
  context as contextApi,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  SpanKind,
  trace,
  TraceFlags,
  type Context,
  type Span,
  type SpanContext,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';
import { contextWithSpan } from '../linked-context.ts';
import { toSpanTime } from './clock.ts';
import { LeanSpan, type SpanShared } from './lean-span.ts';

export class LeanTracer implements Tracer {
  readonly #shared: SpanShared;
  readonly #ids: IdGenerator;

  constructor(shared: SpanShared, ids: IdGenerator) {
    this.#shared = shared;
    this.#ids = ids;
  }

  startSpan(name: string, options?: SpanOptions, ctx: Context = contextApi.active()): Span {
    if (isTracingSuppressed(ctx)) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const parent = options?.root === true ? undefined : validParent(ctx);
    const spanId = this.#ids.generateSpanId();
    if (parent !== undefined && (parent.traceFlags & TraceFlags.SAMPLED) === 0) {
      return trace.wrapSpanContext(childContext(parent.traceId, spanId, TraceFlags.NONE, parent));
    }
    const traceId = parent === undefined ? this.#ids.generateTraceId() : parent.traceId;
    const span = new LeanSpan(
      this.#shared,
      name,
      childContext(traceId, spanId, TraceFlags.SAMPLED, parent),
      options?.kind ?? SpanKind.INTERNAL,
      parent,
      toSpanTime(options?.startTime),
    );
    if (options?.attributes !== undefined) span.setAttributes(options.attributes);
    if (options?.links !== undefined) span.addLinks(options.links);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, ctx: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    optionsOrFn: SpanOptions | F,
    ctxOrFn?: Context | F,
    maybeFn?: F,
  ): ReturnType<F> {
    const fn = (maybeFn ?? (typeof ctxOrFn === 'function' ? ctxOrFn : optionsOrFn)) as F;
    const options = typeof optionsOrFn === 'function' ? undefined : optionsOrFn;
    const parentContext = ctxOrFn === undefined || typeof ctxOrFn === 'function' ? contextApi.active() : ctxOrFn;
    const span = this.startSpan(name, options, parentContext);
    const run = fn as (span: Span) => ReturnType<F>;
    return contextApi.with(contextWithSpan(parentContext, span), run, undefined, span);
  }
}

/** The parent span context when valid. A LeanSpan's own context is valid by construction. */
function validParent(ctx: Context): SpanContext | undefined {
  const parentSpan = trace.getSpan(ctx);
  if (parentSpan === undefined) return undefined;
  const parent = parentSpan.spanContext();
  if (parentSpan instanceof LeanSpan) return parent;
  return isSpanContextValid(parent) ? parent : undefined;
}

function childContext(traceId: string, spanId: string, traceFlags: number, parent: SpanContext | undefined): SpanContext {
  // tracestate is carried from the parent (W3C Trace Context, "tracestate"); isRemote is left unset.
  return parent?.traceState === undefined ? { traceId, spanId, traceFlags } : { traceId, spanId, traceFlags, traceState: parent.traceState };
}
