/**
 * A recording span that is at once the API's `Span` (what instrumentation writes) and
 * sdk-trace-base's `ReadableSpan` (what the OTLP exporters and their transformer read:
 * otlp-transformer `sdkSpanToOtlpSpan`). Nothing is copied when the span ends: the processor
 * queues the span itself.
 *
 * Semantics follow the trace API/SDK spec (https://opentelemetry.io/docs/specs/otel/trace/api/):
 * after end() every mutation is ignored and end() is idempotent; status OK is final, UNSET is
 * ignored and a description is kept only with ERROR; limits drop and count.
 */
import {
  diag,
  SpanStatusCode,
  type Attributes,
  type AttributeValue,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  type TimeInput,
} from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { acceptValue, isValidKey, sanitizeAttributes, warnInvalid, writeAttribute, type LeanSpanLimits } from './attributes.ts';
import { hrTimeDuration, isTimeInput, nowHrTime, spanTimeBefore, spanTimeToHrTime, toHrTime, toSpanTime, type SpanTime } from './clock.ts';

/** Where an ended span goes (the batch processor). */
export interface EndedSpanSink {
  onEnd(span: ReadableSpan): void;
}

/** What a tracer shares with all of its spans. */
export interface SpanShared {
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  readonly limits: LeanSpanLimits;
  readonly sink: EndedSpanSink;
}

const UNSET_STATUS: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });
const NOT_ENDED: HrTime = Object.freeze([0, 0]) as unknown as HrTime;
/** Shared by every span without links or events until its first one: most spans have none. */
const NO_LINKS: Link[] = Object.freeze([]) as unknown as Link[];
const NO_EVENTS: TimedEvent[] = Object.freeze([]) as unknown as TimedEvent[];

export class LeanSpan implements Span, ReadableSpan {
  name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  ended = false;
  status: SpanStatus = UNSET_STATUS;
  readonly attributes: Attributes = {};
  links: Link[] = NO_LINKS;
  events: TimedEvent[] = NO_EVENTS;
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  readonly #context: SpanContext;
  readonly #shared: SpanShared;
  /** An upper bound of the distinct attribute keys: exact counting (hasOwn) only near the limit. */
  #attributeSlots = 0;
  // Times as recorded; HrTimes are made when an exporter reads them (off the instrumented path).
  readonly #start: SpanTime;
  #end: SpanTime | undefined;

  constructor(
    shared: SpanShared,
    name: string,
    spanContext: SpanContext,
    kind: SpanKind,
    parentSpanContext: SpanContext | undefined,
    start: SpanTime,
  ) {
    this.#shared = shared;
    this.#context = spanContext;
    this.name = name;
    this.kind = kind;
    this.parentSpanContext = parentSpanContext;
    this.#start = start;
    this.resource = shared.resource;
    this.instrumentationScope = shared.instrumentationScope;
  }

  get startTime(): HrTime {
    return spanTimeToHrTime(this.#start);
  }

  get endTime(): HrTime {
    return this.#end === undefined ? NOT_ENDED : spanTimeToHrTime(this.#end);
  }

  get duration(): HrTime {
    return this.#end === undefined ? NOT_ENDED : hrTimeDuration(this.startTime, this.endTime);
  }

  spanContext(): SpanContext {
    return this.#context;
  }

  setAttribute(key: string, value: AttributeValue): this {
    if (this.ended) return this;
    const accepted = acceptValue(value);
    if (accepted === undefined || !isValidKey(key)) {
      if (value != null) warnInvalid(key);
      return this;
    }
    if (this.#attributeSlots < this.#shared.limits.attributeCountLimit) {
      this.#attributeSlots++;
      writeAttribute(this.attributes, key, accepted);
      return this;
    }
    this.#setNearLimit(key, accepted);
    return this;
  }

  #setNearLimit(key: string, value: AttributeValue): void {
    this.#attributeSlots = Object.keys(this.attributes).length;
    if (Object.hasOwn(this.attributes, key)) {
      writeAttribute(this.attributes, key, value);
    } else if (this.#attributeSlots < this.#shared.limits.attributeCountLimit) {
      this.#attributeSlots++;
      writeAttribute(this.attributes, key, value);
    } else {
      this.droppedAttributesCount++;
    }
  }

  setAttributes(attributes: Attributes): this {
    for (const key of Object.keys(attributes)) this.setAttribute(key, attributes[key] as AttributeValue);
    return this;
  }

  addEvent(name: string, attributesOrStartTime?: Attributes | TimeInput, startTime?: TimeInput): this {
    if (this.ended) return this;
    if (this.events.length >= this.#shared.limits.eventCountLimit) {
      this.droppedEventsCount++;
      return this;
    }
    const timeInput = isTimeInput(attributesOrStartTime) ? attributesOrStartTime : startTime;
    const input = isTimeInput(attributesOrStartTime) ? undefined : attributesOrStartTime;
    const { attributes, dropped } = sanitizeAttributes(input, this.#shared.limits.attributePerEventCountLimit);
    const time = timeInput === undefined ? nowHrTime() : toHrTime(timeInput);
    if (this.events === NO_EVENTS) this.events = [];
    this.events.push({ name, attributes, time, droppedAttributesCount: dropped });
    return this;
  }

  addLink(link: Link): this {
    if (this.ended) return this;
    if (this.links.length >= this.#shared.limits.linkCountLimit) {
      this.droppedLinksCount++;
      return this;
    }
    const { attributes, dropped } = sanitizeAttributes(link.attributes, this.#shared.limits.attributePerLinkCountLimit);
    if (this.links === NO_LINKS) this.links = [];
    this.links.push({ context: link.context, attributes, droppedAttributesCount: dropped });
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.ended || status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK) return this;
    this.status =
      status.code === SpanStatusCode.ERROR && typeof status.message === 'string'
        ? { code: status.code, message: status.message }
        : { code: status.code };
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    let end = toSpanTime(endTime);
    if (spanTimeBefore(end, this.#start)) {
      diag.warn('Inconsistent start and end time, startTime > endTime. Setting span duration to 0ms.');
      end = this.#start;
    }
    this.#end = end;
    this.ended = true;
    this.#shared.sink.onEnd(this);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  /** An `exception` event (semantic conventions, "Exceptions"): exception.type, .message, .stacktrace. */
  recordException(exception: Exception, time?: TimeInput): void {
    const attributes = exceptionAttributes(exception);
    if (attributes === undefined) {
      diag.warn(`Failed to record an exception of type ${typeof exception}`);
      return;
    }
    this.addEvent('exception', attributes, time);
  }
}

function exceptionAttributes(exception: Exception): Attributes | undefined {
  if (typeof exception === 'string') return { 'exception.message': exception };
  if (exception === null || typeof exception !== 'object') return undefined;
  const attributes: Attributes = {};
  const type = exception.name ?? (exception.code === undefined ? undefined : String(exception.code));
  if (type) attributes['exception.type'] = type;
  if (exception.message) attributes['exception.message'] = exception.message;
  if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
  if (attributes['exception.type'] === undefined && attributes['exception.message'] === undefined) return undefined;
  return attributes;
}
