/**
 * `traceInference`: the seed's inference span tree — `inference.predict` with the phases
 * `inference.preprocess`, `inference.forward_pass` and `inference.postprocess` as children — and
 * its attributes, in one call.
 *
 * Durations (`ml.*.duration_ms`) come from `performance.now()`, a monotonic clock, as the seed's
 * `time.perf_counter()`; wall-clock jumps (NTP steps) cannot make them negative. The span start and
 * end times are also monotonic: the OTel JS SDK derives them from `performance.timeOrigin` +
 * `performance.now()`.
 *
 * Hot path (issue 7: < 2 µs per span): no closures or attribute objects are built per phase beyond
 * what the OTel span needs, a synchronous phase completes without an await, and a span is made
 * active with a one-object context (linked-context.ts) instead of the API's Map copy.
 */
import { context, SpanStatusCode, type Attributes, type Context, type Histogram, type Span, type Tracer } from '@opentelemetry/api';
import { performance } from 'node:perf_hooks';
import {
  ATTR_ML_INFERENCE_DURATION_MS,
  ATTR_ML_INFERENCE_GPU_USED,
  ATTR_ML_INFERENCE_MODEL_VERSION,
  ATTR_ML_MODEL_NAME,
  ATTR_ML_MODEL_VERSION,
  ATTR_ML_POSTPROCESS_DURATION_MS,
  ATTR_ML_POSTPROCESS_FLAGGED_COUNT,
  ATTR_ML_PREDICT_TOTAL_DURATION_MS,
  ATTR_ML_PREDICTION_CLASS,
  ATTR_ML_PREDICTION_SCORE,
  ATTR_ML_PREPROCESS_DURATION_MS,
  ATTR_ML_PREPROCESS_FEATURE_COUNT,
  ATTR_ML_PREPROCESS_NULL_COUNT,
  ATTR_ML_REQUEST_BATCH_SIZE,
  SPAN_INFERENCE_FORWARD_PASS,
  SPAN_INFERENCE_POSTPROCESS,
  SPAN_INFERENCE_PREDICT,
  SPAN_INFERENCE_PREPROCESS,
} from './ml-attributes.ts';
import type { MlMetrics } from './ml-metrics.ts';
import { contextWithSpan } from './linked-context.ts';

export interface InferenceRequest {
  modelName: string;
  modelVersion: string;
  batchSize: number;
}

/** Optional: also record the seed's metrics from the same measurements. */
export interface TraceInferenceOptions {
  /** When set: forward pass → ml_inference_latency_seconds, preprocess → ml_preprocess_latency_seconds, setPrediction → ml_predictions_total. */
  metrics?: MlMetrics;
  /** The `endpoint` label of ml_inference_latency_seconds; default `/predict` as in the seed. */
  endpoint?: string;
}

export interface PreprocessSummary {
  featureCount: number;
  nullCount: number;
}
export interface PostprocessSummary {
  flaggedCount: number;
}

/** The running inference: its span and the phase helpers, each a child span of `inference.predict`. */
export interface InferenceSpan {
  span: Span;
  /** Runs `run` in span `inference.preprocess`; `result` maps its value to feature and null counts. */
  preprocess<T>(run: () => Promise<T> | T, result?: (value: T) => PreprocessSummary): Promise<T>;
  /** Runs `run` in span `inference.forward_pass`. */
  forwardPass<T>(run: () => Promise<T> | T, info?: { gpuUsed: boolean }): Promise<T>;
  /** Runs `run` in span `inference.postprocess`; `result` maps its value to the flagged count. */
  postprocess<T>(run: () => Promise<T> | T, result?: (value: T) => PostprocessSummary): Promise<T>;
  /** Sets ml.prediction.score and ml.prediction.class on `inference.predict`. */
  setPrediction(score: number, resultClass: string): void;
}

/**
 * Runs one inference in span `inference.predict` (attributes ml.model.name, ml.model.version,
 * ml.request.batch_size, ml.predict.total_duration_ms). A throw from `run` or from a phase sets
 * the span status to ERROR, records an `exception` event, and is rethrown unchanged.
 *
 * @example
 * const result = await traceInference(sdk.tracer, { modelName: 'fraud-detector', modelVersion: '3.1.0', batchSize: 32 },
 *   async (inference) => {
 *     const features = await inference.preprocess(() => preprocess(inputs), (f) => ({ featureCount: f.columns, nullCount: f.nulls }));
 *     const scores = await inference.forwardPass(() => model.predict(features), { gpuUsed: true });
 *     const flags = await inference.postprocess(() => threshold(scores, 0.85), (r) => ({ flaggedCount: r.flagged }));
 *     inference.setPrediction(scores[0], flags.classes[0]);
 *     return flags;
 *   });
 */
export function traceInference<T>(
  tracer: Tracer,
  request: InferenceRequest,
  run: (inference: InferenceSpan) => Promise<T> | T,
  options?: TraceInferenceOptions,
): Promise<T> {
  const parent = context.active();
  // One clock reading is the span's start and the start of ml.predict.total_duration_ms, so the
  // attribute equals the span's duration (a `performance.now()` number is a valid API TimeInput).
  const startMillis = performance.now();
  const span = tracer.startSpan(
    SPAN_INFERENCE_PREDICT,
    {
      // At start, not set later: samplers see them (OTel trace API, "Span Creation").
      attributes: {
        [ATTR_ML_MODEL_NAME]: request.modelName,
        [ATTR_ML_MODEL_VERSION]: request.modelVersion,
        [ATTR_ML_REQUEST_BATCH_SIZE]: request.batchSize,
      },
      startTime: startMillis,
    },
    parent,
  );
  const inference = new RecordingInferenceSpan(tracer, span, parent, request, options, startMillis);
  let outcome: Promise<T> | T;
  try {
    outcome = context.with(inference.context, run, undefined, inference);
  } catch (error: unknown) {
    return Promise.reject(inference.fail(error));
  }
  // Not an async function: a synchronous `run` then costs no extra await, and an async one only
  // this `then` (each await is a promise plus AsyncLocalStorage hook work, per span budget 2 µs).
  if (!isThenable(outcome)) return Promise.resolve(inference.finish(outcome));
  return Promise.resolve(outcome).then(
    (value) => inference.finish(value),
    (error: unknown) => {
      throw inference.fail(error);
    },
  );
}

function isThenable<T>(value: Promise<T> | T): value is Promise<T> {
  return value instanceof Promise || (typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function');
}

class RecordingInferenceSpan implements InferenceSpan {
  readonly span: Span;
  readonly context: Context;
  readonly #tracer: Tracer;
  readonly #request: InferenceRequest;
  readonly #metrics: MlMetrics | undefined;
  readonly #endpoint: string;
  readonly #startMillis: number;
  /** Reused by every phase: a tracer reads SpanOptions while starting the span and keeps nothing of it. */
  readonly #phaseOptions = { startTime: 0 };

  constructor(
    tracer: Tracer,
    span: Span,
    parent: Context,
    request: InferenceRequest,
    options: TraceInferenceOptions | undefined,
    startMillis: number,
  ) {
    this.span = span;
    this.context = contextWithSpan(parent, span);
    this.#tracer = tracer;
    this.#request = request;
    this.#metrics = options?.metrics;
    this.#endpoint = options?.endpoint ?? '/predict';
    this.#startMillis = startMillis;
  }

  /** Ends inference.predict after `run` succeeded. */
  finish<T>(value: T): T {
    this.#end();
    return value;
  }

  /** Records `error` on inference.predict, ends it, and returns `error` for the caller to rethrow. */
  fail(error: unknown): Error {
    markFailed(this.span, error);
    this.#end();
    return error as Error;
  }

  #end(): void {
    const endMillis = performance.now();
    this.span.setAttribute(ATTR_ML_PREDICT_TOTAL_DURATION_MS, endMillis - this.#startMillis);
    this.span.end(endMillis);
  }

  preprocess<T>(run: () => Promise<T> | T, result?: (value: T) => PreprocessSummary): Promise<T> {
    const latency = this.#metrics?.preprocessLatencySeconds;
    const labels = latency && { model_name: this.#request.modelName };
    const startMillis = performance.now();
    this.#phaseOptions.startTime = startMillis;
    const span = this.#tracer.startSpan(SPAN_INFERENCE_PREPROCESS, this.#phaseOptions, this.context);
    const phase = new PhaseRecording(span, startMillis, ATTR_ML_PREPROCESS_DURATION_MS, result, setPreprocessSummary, latency, labels);
    return runPhase(this.context, phase, run);
  }

  forwardPass<T>(run: () => Promise<T> | T, info?: { gpuUsed: boolean }): Promise<T> {
    const latency = this.#metrics?.inferenceLatencySeconds;
    const labels = latency && {
      model_name: this.#request.modelName,
      model_version: this.#request.modelVersion,
      endpoint: this.#endpoint,
    };
    const startMillis = performance.now();
    this.#phaseOptions.startTime = startMillis;
    const span = this.#tracer.startSpan(SPAN_INFERENCE_FORWARD_PASS, this.#phaseOptions, this.context);
    span.setAttribute(ATTR_ML_INFERENCE_MODEL_VERSION, this.#request.modelVersion);
    if (info !== undefined) span.setAttribute(ATTR_ML_INFERENCE_GPU_USED, info.gpuUsed);
    const phase = new PhaseRecording<T, void>(span, startMillis, ATTR_ML_INFERENCE_DURATION_MS, undefined, ignoreSummary, latency, labels);
    return runPhase(this.context, phase, run);
  }

  postprocess<T>(run: () => Promise<T> | T, result?: (value: T) => PostprocessSummary): Promise<T> {
    const startMillis = performance.now();
    this.#phaseOptions.startTime = startMillis;
    const span = this.#tracer.startSpan(SPAN_INFERENCE_POSTPROCESS, this.#phaseOptions, this.context);
    const phase = new PhaseRecording(span, startMillis, ATTR_ML_POSTPROCESS_DURATION_MS, result, setPostprocessSummary, undefined, undefined);
    return runPhase(this.context, phase, run);
  }

  setPrediction(score: number, resultClass: string): void {
    this.span.setAttribute(ATTR_ML_PREDICTION_SCORE, score);
    this.span.setAttribute(ATTR_ML_PREDICTION_CLASS, resultClass);
    this.#metrics?.predictionsTotal.add(1, {
      model_name: this.#request.modelName,
      model_version: this.#request.modelVersion,
      result_class: resultClass,
    });
  }
}

/**
 * Runs one phase (a child span of the inference context), then sets its duration and summary
 * and ends it. A synchronous `run` finishes without an extra await: each await costs a promise
 * and, under AsyncLocalStorage, async-hook callbacks — measurable against a 2 µs/span budget.
 */
function runPhase<T, S>(parent: Context, phase: PhaseRecording<T, S>, run: () => Promise<T> | T): Promise<T> {
  let outcome: Promise<T> | T;
  try {
    outcome = context.with(contextWithSpan(parent, phase.span), run);
  } catch (error: unknown) {
    return Promise.reject(phase.fail(error));
  }
  if (isThenable(outcome)) {
    // Closures only on the asynchronous path; the synchronous one allocates none.
    return Promise.resolve(outcome).then(
      (value) => phase.succeed(value),
      (error: unknown) => {
        throw phase.fail(error);
      },
    );
  }
  try {
    return Promise.resolve(phase.succeed(outcome));
  } catch (error: unknown) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller's own value, rethrown unchanged
    return Promise.reject(error);
  }
}

/**
 * The bookkeeping of one phase. Its start and end clock readings are the span's start and end
 * too, so the duration attribute equals the span's duration (and costs no extra clock reads).
 */
class PhaseRecording<T, S> {
  constructor(
    readonly span: Span,
    readonly startMillis: number,
    readonly durationAttribute: string,
    readonly summarize: ((value: T) => S) | undefined,
    readonly setSummary: (span: Span, summary: S) => void,
    readonly latencySeconds: Histogram | undefined,
    readonly labels: Attributes | undefined,
  ) {}

  /** Sets the summary, ends the span and returns `value`; a throwing summary fails the phase. */
  succeed(value: T): T {
    try {
      if (this.summarize !== undefined) this.setSummary(this.span, this.summarize(value));
    } catch (error: unknown) {
      throw this.fail(error);
    }
    this.#end();
    return value;
  }

  /** Records `error` on the span, ends it, and returns `error` for the caller to rethrow. */
  fail(error: unknown): Error {
    markFailed(this.span, error);
    this.#end();
    return error as Error;
  }

  #end(): void {
    const endMillis = performance.now();
    const durationMillis = endMillis - this.startMillis;
    this.span.setAttribute(this.durationAttribute, durationMillis);
    this.latencySeconds?.record(durationMillis / 1000, this.labels);
    this.span.end(endMillis);
  }
}

function setPreprocessSummary(span: Span, summary: PreprocessSummary): void {
  span.setAttribute(ATTR_ML_PREPROCESS_FEATURE_COUNT, summary.featureCount);
  span.setAttribute(ATTR_ML_PREPROCESS_NULL_COUNT, summary.nullCount);
}

function setPostprocessSummary(span: Span, summary: PostprocessSummary): void {
  span.setAttribute(ATTR_ML_POSTPROCESS_FLAGGED_COUNT, summary.flaggedCount);
}

function ignoreSummary(): void {}

/**
 * Error status plus an `exception` event (OTel trace semantic conventions, "Recording exceptions").
 * A non-Error throw is recorded by its type only: its value may be payload data.
 */
export function markFailed(span: Span, error: unknown): void {
  if (error instanceof Error) {
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else {
    span.recordException({ name: 'NonErrorThrown', message: `thrown value of type ${typeof error}` });
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}
