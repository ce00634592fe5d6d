/**
 * Attribute and span names of the ML inference conventions Vigil understands out of the box
 * (DESIGN.md "ML conventions"; the names are the seed article's Python instrumentation).
 * Exported so services and tests spell them once.
 */

/** Resource attributes (OTel semantic conventions for service/deployment; `ml.model.*` from the seed). */
export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_SERVICE_VERSION = 'service.version';
export const ATTR_DEPLOYMENT_ENVIRONMENT = 'deployment.environment';
export const ATTR_ML_MODEL_NAME = 'ml.model.name';
export const ATTR_ML_MODEL_VERSION = 'ml.model.version';

/** Span attributes set by `traceInference` and its phase helpers. */
export const ATTR_ML_REQUEST_BATCH_SIZE = 'ml.request.batch_size';
export const ATTR_ML_PREPROCESS_FEATURE_COUNT = 'ml.preprocess.feature_count';
export const ATTR_ML_PREPROCESS_NULL_COUNT = 'ml.preprocess.null_count';
export const ATTR_ML_PREPROCESS_DURATION_MS = 'ml.preprocess.duration_ms';
export const ATTR_ML_INFERENCE_GPU_USED = 'ml.inference.gpu_used';
export const ATTR_ML_INFERENCE_DURATION_MS = 'ml.inference.duration_ms';
export const ATTR_ML_INFERENCE_MODEL_VERSION = 'ml.inference.model_version';
export const ATTR_ML_POSTPROCESS_FLAGGED_COUNT = 'ml.postprocess.flagged_count';
export const ATTR_ML_POSTPROCESS_DURATION_MS = 'ml.postprocess.duration_ms';
export const ATTR_ML_PREDICTION_SCORE = 'ml.prediction.score';
export const ATTR_ML_PREDICTION_CLASS = 'ml.prediction.class';
export const ATTR_ML_PREDICT_TOTAL_DURATION_MS = 'ml.predict.total_duration_ms';

/** Span names of an inference and its phases. */
export const SPAN_INFERENCE_PREDICT = 'inference.predict';
export const SPAN_INFERENCE_PREPROCESS = 'inference.preprocess';
export const SPAN_INFERENCE_FORWARD_PASS = 'inference.forward_pass';
export const SPAN_INFERENCE_POSTPROCESS = 'inference.postprocess';

/** Instrumentation scope name, as the seed's `trace.get_tracer("ml.inference")`. */
export const INSTRUMENTATION_SCOPE = 'ml.inference';
