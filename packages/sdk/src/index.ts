/**
 * @vigil/sdk — instrumentation helpers for ML services on @opentelemetry/api, exporting to Vigil
 * over OTLP. See docs/sdk.md.
 */
export { setupVigil, type VigilSdk, type VigilSdkOptions } from './setup-vigil.ts';
export {
  markFailed,
  traceInference,
  type InferenceRequest,
  type InferenceSpan,
  type PostprocessSummary,
  type PreprocessSummary,
  type TraceInferenceOptions,
} from './trace-inference.ts';
export {
  createMlMetrics,
  INFERENCE_LATENCY_BUCKETS_SECONDS,
  METRIC_GPU_MEMORY_USED,
  METRIC_INFERENCE_LATENCY,
  METRIC_MODEL_LOAD_DURATION,
  METRIC_PREDICTIONS_TOTAL,
  METRIC_PREPROCESS_LATENCY,
  PREPROCESS_LATENCY_BUCKETS_SECONDS,
  type MlMetrics,
} from './ml-metrics.ts';
export {
  extractGrpcMetadata,
  extractHttpHeaders,
  extractMessageHeaders,
  injectGrpcMetadata,
  injectHttpHeaders,
  injectMessageHeaders,
  linkFromMessageHeaders,
} from './propagation.ts';
export { startGpuSampler, type GpuSampler, type GpuSamplerOptions } from './gpu-sampler.ts';
export { parseNvidiaSmiCsv, NVIDIA_SMI_QUERY_FIELDS, type GpuSample } from './nvidia-smi-csv.ts';
export { AsyncLocalStorageContextManager } from './context-manager.ts';
export { DEFAULT_ID_POOL_BYTES, PooledIdGenerator } from './pooled-id-generator.ts';
export { ParentBasedAlwaysOnSampler } from './parent-based-always-on-sampler.ts';
export {
  DEFAULT_OTLP_GRPC_ENDPOINT,
  DEFAULT_OTLP_HTTP_ENDPOINT,
  resolveOtlpTarget,
  type OtlpProtocol,
} from './otlp-exporters.ts';
export * from './ml-attributes.ts';
export { setupInMemoryVigil, type InMemoryVigil } from './in-memory-sdk.ts';
