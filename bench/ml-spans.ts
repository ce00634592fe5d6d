/**
 * Realistic ML-service traces for benchmarks, made with the real OpenTelemetry JS SDK and serialized by
 * its own OTLP protobuf serializer: a gateway span and the seed's four inference phases per trace,
 * 10 attributes per span.
 */
import { context, trace, type Span as ApiSpan } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

const PHASES = ['inference.preprocess', 'inference.forward_pass', 'inference.postprocess'] as const;
export const SPANS_PER_TRACE = 5;

function phaseAttributes(i: number, version: string): Record<string, string | number | boolean> {
  return {
    'ml.model.name': 'fraud-detector',
    'ml.model.version': version,
    'ml.request.batch_size': 1 + (i % 32),
    'ml.preprocess.feature_count': 128,
    'ml.preprocess.null_count': i % 17 === 0 ? 3 : 0,
    'ml.inference.gpu_used': true,
    'ml.postprocess.flagged_count': i % 5,
    'ml.prediction.score': (i % 1000) / 1000,
    'ml.prediction.class': i % 9 === 0 ? 'fraud' : 'legitimate',
    'http.route': '/predict',
  };
}

interface TraceRequest {
  body: Uint8Array;
  spans: ReadableSpan[];
}

/** Generates `traceCount` traces and returns them serialized in requests of ~`spansPerRequest` spans. */
export function makeTraceRequests(
  traceCount: number,
  spansPerRequest: number,
  baseTimeMillis = Date.now(),
): Uint8Array[] {
  return makeTraceTemplates(traceCount, spansPerRequest, baseTimeMillis).map((r) => r.body);
}

/** What share of traces fail or run slow (root span ERROR / 600 ms), for tail-sampling benchmarks. */
export interface TraceMix {
  /** Every n-th trace's root span has status ERROR; 0 for none. */
  errorEvery: number;
  /** Every n-th trace (offset by half) has a 600 ms root span; 0 for none. */
  slowEvery: number;
}

const NO_MIX: TraceMix = { errorEvery: 0, slowEvery: 0 };

function makeTraceTemplates(
  traceCount: number,
  spansPerRequest: number,
  baseTimeMillis: number,
  mix: TraceMix = NO_MIX,
): TraceRequest[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'fraud-model',
      'service.version': '3.1.0',
      'deployment.environment': 'production',
      'host.name': 'gpu-node-1',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('ml.inference', '1.0.0');
  const requests: TraceRequest[] = [];
  const flush = (): void => {
    const spans = exporter.getFinishedSpans();
    exporter.reset();
    const body = ProtobufTraceSerializer.serializeRequest(spans);
    if (!body) throw new Error('serializer returned nothing');
    requests.push({ body, spans });
  };
  for (let t = 0; t < traceCount; t++) {
    const start = baseTimeMillis + t;
    const version = t % 10 === 0 ? '3.2.0' : '3.1.0';
    const root: ApiSpan = tracer.startSpan('inference.predict', {
      startTime: start,
      kind: 1,
      attributes: phaseAttributes(t, version),
    });
    const parent = trace.setSpan(context.active(), root);
    PHASES.forEach((name, p) => {
      tracer
        .startSpan(name, { startTime: start + p * 3, attributes: phaseAttributes(t + p, version) }, parent)
        .end(start + p * 3 + 2);
    });
    tracer
      .startSpan(
        'feature-store.get',
        { startTime: start + 1, kind: 3, attributes: phaseAttributes(t, version) },
        parent,
      )
      .end(start + 2);
    if (mix.errorEvery > 0 && t % mix.errorEvery === 0) root.setStatus({ code: 2, message: 'model timeout' });
    const slow = mix.slowEvery > 0 && (t + Math.floor(mix.slowEvery / 2)) % mix.slowEvery === 0;
    root.end(start + (slow ? 600 : 10));
    if (exporter.getFinishedSpans().length >= spansPerRequest) flush();
  }
  if (exporter.getFinishedSpans().length > 0) flush();
  return requests;
}

/**
 * Endless distinct requests from a few templates: each copy overwrites the first 4 bytes of every trace
 * id (found by value in the serialized bytes) with the copy number, so traces stay whole and unique
 * without running the SDK for millions of spans.
 */
export class TraceRequestCopier {
  private readonly templates: { body: Uint8Array; traceIdOffsets: number[] }[];
  private copyNumber = 0;

  constructor(traceCount: number, spansPerRequest: number, mix: TraceMix = NO_MIX) {
    this.templates = makeTraceTemplates(traceCount, spansPerRequest, Date.now(), mix).map(
      ({ body, spans }) => ({
        body,
        traceIdOffsets: findTraceIdOffsets(body, spans),
      }),
    );
  }

  next(): Uint8Array {
    const template = this.templates[this.copyNumber % this.templates.length];
    if (!template) throw new Error('no templates');
    const copy = Buffer.from(template.body);
    const stamp = Math.floor(this.copyNumber / this.templates.length) + 1;
    for (const offset of template.traceIdOffsets) copy.writeUInt32BE(stamp, offset);
    this.copyNumber++;
    return copy;
  }
}

function findTraceIdOffsets(body: Uint8Array, spans: ReadableSpan[]): number[] {
  const bytes = Buffer.from(body);
  const offsets: number[] = [];
  for (const id of new Set(spans.map((s) => s.spanContext().traceId))) {
    const needle = Buffer.from(id, 'hex');
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) offsets.push(at);
  }
  return offsets;
}
