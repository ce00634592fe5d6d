export { LeanTracerProvider, type LeanTracerProviderOptions } from './lean-tracer-provider.ts';
export { LeanBatchProcessor, type LeanBatchOptions } from './batch-processor.ts';
export { LeanSpan } from './lean-span.ts';
export { DEFAULT_SPAN_LIMITS, type LeanSpanLimits } from './attributes.ts';
