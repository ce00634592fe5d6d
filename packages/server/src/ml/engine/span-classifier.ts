/**
 * Which model, version, phase and GenAI model a span belongs to, following the Vigil SDK's ML
 * conventions (packages/sdk/src/ml-attributes.ts, trace-inference.ts) and the OTel GenAI semantic
 * conventions (gen_ai.*). Runs for every received span, so it only reads attributes by key (no
 * iteration, no key strings built) and writes into a caller-owned object instead of returning one.
 */
import type { AttributeValue, Attributes } from '../../model/attributes.ts';
import type { Resource } from '../../model/resource.ts';
import type { Span } from '../../model/span.ts';

export const ATTR_MODEL_NAME = 'ml.model.name';
export const ATTR_MODEL_VERSION = 'ml.model.version';
export const ATTR_INFERENCE_MODEL_VERSION = 'ml.inference.model_version';
export const ATTR_PREDICTION_SCORE = 'ml.prediction.score';
export const ATTR_PREDICTION_CLASS = 'ml.prediction.class';
export const ATTR_NULL_COUNT = 'ml.preprocess.null_count';
export const ATTR_FEATURE_COUNT = 'ml.preprocess.feature_count';
export const ATTR_GPU_USED = 'ml.inference.gpu_used';
export const UNKNOWN_VERSION = 'unknown';

/** Inference phases, by span name (SDK SPAN_INFERENCE_*). */
export const Phase = { NONE: 0, PREPROCESS: 1, FORWARD_PASS: 2, POSTPROCESS: 3 } as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

export function phaseOf(spanName: string): Phase {
  switch (spanName) {
    case 'inference.preprocess':
      return Phase.PREPROCESS;
    case 'inference.forward_pass':
      return Phase.FORWARD_PASS;
    case 'inference.postprocess':
      return Phase.POSTPROCESS;
    default:
      return Phase.NONE;
  }
}

/**
 * Classifies spans one at a time into its public fields (model, version, phase, isRequest, endMs,
 * and durationMs on demand), which stay valid until the next `classify`. A class, not free functions: the hot
 * path then calls methods, not module exports (which the tsx loader reaches through getters), and
 * the resource's model is looked up once per resource object rather than once per span.
 *
 * @example
 * const classifier = new SpanClassifier();
 * if (classifier.classify(span) && classifier.isRequest) record(classifier.model, classifier.durationMs);
 */
export class SpanClassifier {
  model = '';
  version = '';
  phase: Phase = Phase.NONE;
  isRequest = false;
  /** End time in Unix ms: a request counts in the slot where it completed. */
  endMs = 0;
  private span: Span | undefined;
  private lastResource: Resource | undefined;
  private resourceModel: string | undefined;
  private resourceVersion: string | undefined;

  /** Sets endMs, then returns whether the span belongs to a model (modelOf). */
  classify(span: Span): boolean {
    this.span = span;
    // Rounded to whole µs: Number() of a 2^60 ns count is off by up to 128 ns (1234.9998 ms).
    this.endMs = Math.round(Number(span.endTimeUnixNano) / 1e3) / 1e3;
    if (!this.modelOf(span)) return false;
    this.phase = phaseOf(span.name);
    this.isRequest = isModelRequest(span, this.phase);
    return true;
  }

  /**
   * The classified span's duration in ms; 0 when the end precedes the start (as the spanmetrics
   * connector does). Computed when asked: most spans are neither a model's nor GenAI's.
   */
  get durationMs(): number {
    if (this.span === undefined) return 0;
    // Exact in bigint: float subtraction of the two times would be off by up to 256 ns, enough to
    // move a request across an Apdex threshold.
    const durationNanos = this.span.endTimeUnixNano - this.span.startTimeUnixNano;
    return durationNanos > 0n ? Number(durationNanos) / 1e6 : 0;
  }

  /**
   * The model is the span attribute ml.model.name with the span's ml.model.version (else
   * ml.inference.model_version, which the SDK puts on forward passes); else the resource's
   * ml.model.name / ml.model.version. The resource version also fills in a span that names the
   * resource's own model without a version. An empty or missing version reads "unknown".
   */
  private modelOf(span: Span): boolean {
    if (span.resource !== this.lastResource) {
      this.lastResource = span.resource;
      this.resourceModel = text(span.resource.attributes[ATTR_MODEL_NAME]);
      this.resourceVersion = text(span.resource.attributes[ATTR_MODEL_VERSION]);
    }
    const attributes = span.attributes;
    const model = text(attributes[ATTR_MODEL_NAME]) ?? this.resourceModel;
    if (model === undefined || model === '') return false;
    let version = text(attributes[ATTR_MODEL_VERSION]) ?? text(attributes[ATTR_INFERENCE_MODEL_VERSION]);
    if (version === undefined && model === this.resourceModel) version = this.resourceVersion;
    this.model = model;
    this.version = version === undefined || version === '' ? UNKNOWN_VERSION : version;
    return true;
  }

  /** GenAI semconv: gen_ai.response.model (what served it), else gen_ai.request.model. */
  genAiModel(attributes: Attributes): string | undefined {
    const model = text(attributes['gen_ai.response.model']) ?? text(attributes['gen_ai.request.model']);
    return model === '' ? undefined : model;
  }

  /**
   * Whether a numeric span attribute counts as a model feature for drift: every int/double attribute
   * except timings (ml.*duration*: they describe the service, not the input), identifiers (`*.id`,
   * `*_id`: unique per request, so their distribution always "drifts") and the prediction score (a
   * feature of its own). Memoised: attribute keys repeat across spans.
   */
  isFeatureKey(key: string): boolean {
    let decision = featureKeyCache.get(key);
    if (decision === undefined) {
      decision = !(
        (key.startsWith('ml.') && key.includes('duration')) ||
        key === 'id' ||
        key.endsWith('.id') ||
        key.endsWith('_id') ||
        key === ATTR_PREDICTION_SCORE
      );
      if (featureKeyCache.size >= MAX_CACHED_KEYS) featureKeyCache.clear();
      featureKeyCache.set(key, decision);
    }
    return decision;
  }

  /** numericValue, as a method for the hot path. */
  numeric(value: AttributeValue | undefined): number | undefined {
    return numericValue(value);
  }
}

/**
 * A request of the model: span `inference.predict`, or any non-phase span carrying ml.model.name
 * as a span attribute (a service that names its model per request without the SDK's helper).
 * Phase spans are never requests, even when they repeat ml.model.name (bench/ml-spans.ts does).
 */
export function isModelRequest(span: Span, phase: Phase): boolean {
  if (phase !== Phase.NONE) return false;
  return span.name === 'inference.predict' || typeof span.attributes[ATTR_MODEL_NAME] === 'string';
}

const featureKeyCache = new Map<string, boolean>();
const MAX_CACHED_KEYS = 10_000;

/** An int (bigint) or double attribute as a number; undefined for any other type. */
export function numericValue(value: AttributeValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** gen_ai.system (semconv ≤ 1.36), else its successor gen_ai.provider.name, else "unknown". */
export function genAiSystemOf(attributes: Attributes): string {
  return text(attributes['gen_ai.system']) ?? text(attributes['gen_ai.provider.name']) ?? 'unknown';
}

const FIRST_TOKEN_EVENTS = ['gen_ai.content.completion', 'gen_ai.choice'];

/**
 * Time to first token in ms: span attribute gen_ai.server.time_to_first_token (seconds, as the
 * semconv metric of that name), else the first completion event (`gen_ai.content.completion`,
 * `gen_ai.choice`, or a name starting with either) relative to the span start; else undefined.
 */
export function timeToFirstTokenMs(span: Span): number | undefined {
  const seconds = numericValue(span.attributes['gen_ai.server.time_to_first_token']);
  if (seconds !== undefined && seconds >= 0) return seconds * 1000;
  for (const event of span.events) {
    if (!FIRST_TOKEN_EVENTS.some((prefix) => event.name.startsWith(prefix))) continue;
    const offsetNanos = event.timeUnixNano - span.startTimeUnixNano;
    return offsetNanos >= 0n ? Number(offsetNanos) / 1e6 : undefined;
  }
  return undefined;
}

function text(value: AttributeValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  return undefined;
}
