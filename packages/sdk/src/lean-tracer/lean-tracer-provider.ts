/**
 * A TracerProvider that implements the @opentelemetry/api interfaces directly, for lower per-span
 * cost than the OTel JS SDK's BasicTracerProvider (docs/sdk.md, "Overhead"), and feeds the same
 * SpanExporters (the OTLP exporters read LeanSpans as ReadableSpans).
 *
 * Fixed choices: ParentBased(AlwaysOn) sampling, one batching processor, W3C ids from
 * PooledIdGenerator. For other samplers or processors use the stock SDK
 * (`setupVigil({ tracerProvider: 'otel-sdk' })`).
 */
import type { Tracer, TracerProvider } from '@opentelemetry/api';
import { defaultResource, type Resource } from '@opentelemetry/resources';
import type { IdGenerator, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { PooledIdGenerator } from '../pooled-id-generator.ts';
import { DEFAULT_SPAN_LIMITS, type LeanSpanLimits } from './attributes.ts';
import { LeanBatchProcessor, type LeanBatchOptions } from './batch-processor.ts';
import { LeanTracer } from './lean-tracer.ts';

export interface LeanTracerProviderOptions {
  exporter: SpanExporter;
  /** Default: the OTel SDK's defaultResource(). */
  resource?: Resource;
  batch?: LeanBatchOptions;
  limits?: Partial<LeanSpanLimits>;
  /** Default: a PooledIdGenerator. */
  idGenerator?: IdGenerator;
}

export class LeanTracerProvider implements TracerProvider {
  readonly resource: Resource;
  readonly processor: LeanBatchProcessor;
  readonly #limits: LeanSpanLimits;
  readonly #ids: IdGenerator;
  readonly #tracers = new Map<string, LeanTracer>();

  constructor(options: LeanTracerProviderOptions) {
    this.resource = options.resource ?? defaultResource();
    this.processor = new LeanBatchProcessor(options.exporter, options.batch);
    this.#limits = Object.freeze({ ...DEFAULT_SPAN_LIMITS, ...options.limits });
    this.#ids = options.idGenerator ?? new PooledIdGenerator();
  }

  /** One tracer per instrumentation scope (name, version, schema URL). */
  getTracer(name: string, version?: string, options?: { schemaUrl?: string }): Tracer {
    const key = `${name}@${version ?? ''}:${options?.schemaUrl ?? ''}`;
    let tracer = this.#tracers.get(key);
    if (tracer === undefined) {
      const instrumentationScope = { name, version, schemaUrl: options?.schemaUrl };
      tracer = new LeanTracer(
        { resource: this.resource, instrumentationScope, limits: this.#limits, sink: this.processor },
        this.#ids,
      );
      this.#tracers.set(key, tracer);
    }
    return tracer;
  }

  forceFlush(): Promise<void> {
    return this.processor.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.processor.shutdown();
  }
}
