/**
 * OTLP trace decode throughput: Vigil's hand-written protobuf reader vs protobufjs (decode only,
 * no conversion to Vigil's model, so a lower bound on its real cost) vs Vigil's OTLP/JSON path.
 * The request is shaped like an ML service's: 1000 spans, 10 attributes each, ~5 spans per trace.
 *
 *   node --import tsx bench/decode-traces.bench.ts [durationMillisPerCase]
 */
import { SpanKind, context, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import protobuf from 'protobufjs';
import { decodeOtlp } from '../packages/server/src/receivers/otlp/decode.ts';

const SPANS_PER_REQUEST = 1000;
const durationMillis = Number(process.argv[2] ?? 1500);

const PHASES = [
  'inference.preprocess',
  'inference.forward_pass',
  'inference.postprocess',
  'feature_store.get',
];
const ROUTES = ['/v1/predict', '/v1/score', '/v1/embed'];

async function realisticSpans(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'fraud-api',
      'service.version': '2.3.1',
      'deployment.environment': 'prod',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('vigil-bench', '1.0.0');
  for (let t = 0; t < SPANS_PER_REQUEST / 5; t++) {
    const attributes = (i: number): Record<string, string | number | boolean> => ({
      'ml.model.name': 'fraud-detector',
      'ml.model.version': `v${t % 3}`,
      'http.route': ROUTES[t % ROUTES.length]!,
      'http.request.method': 'POST',
      'http.response.status_code': t % 50 === 0 ? 500 : 200,
      'ml.request.batch_size': 1 + (t % 64),
      'ml.prediction.score': Math.random(),
      'ml.inference.gpu_used': t % 2 === 0,
      'request.id': `req-${t.toString(16).padStart(8, '0')}-${i}`,
      'user_agent.original': 'python-requests/2.31.0 (inference-client; linux x86_64)',
    });
    const root = tracer.startSpan('inference.predict', { kind: SpanKind.SERVER, attributes: attributes(0) });
    const ctx = trace.setSpan(context.active(), root);
    PHASES.forEach((phase, i) => tracer.startSpan(phase, { attributes: attributes(i + 1) }, ctx).end());
    root.end();
  }
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

/** The parts of trace.proto protobufjs needs to decode the same request (field numbers from v1.x). */
const TRACE_SCHEMA = `
syntax = "proto3";
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3;
  double double_value = 4; ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; } }
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message Scope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4;
  uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
message Status { string message = 2; int32 code = 3; }
message Span { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; string name = 5;
  int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10; repeated Event events = 11; uint32 dropped_events_count = 12;
  repeated Link links = 13; uint32 dropped_links_count = 14; Status status = 15; fixed32 flags = 16; }
message ScopeSpans { Scope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
`;

/**
 * Spans per CPU-second of this process (user + system time), i.e. per core: on a shared machine
 * wall-clock rates mostly measure the neighbours.
 */
function measure(name: string, decode: () => number): void {
  for (let i = 0; i < 20; i++) decode(); // warm-up: let the JIT settle
  let spans = 0;
  let requests = 0;
  const wallStart = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  while (process.hrtime.bigint() - wallStart < BigInt(durationMillis) * 1_000_000n) {
    spans += decode();
    requests++;
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const perCpuSecond = Math.round(spans / cpuSeconds).toLocaleString('en-US');
  const microsPerRequest = ((cpuSeconds / requests) * 1e6).toFixed(0);
  console.log(
    `${name.padEnd(36)} ${perCpuSecond.padStart(9)} spans/CPU-s  ${microsPerRequest.padStart(6)} µs/request (${requests} requests)`,
  );
}

const spans = await realisticSpans();
const protoBody = ProtobufTraceSerializer.serializeRequest(spans)!;
const jsonBody = JsonTraceSerializer.serializeRequest(spans)!;
console.log(
  `request: ${spans.length} spans, protobuf ${protoBody.length} B (${Math.round(protoBody.length / spans.length)} B/span), JSON ${jsonBody.length} B`,
);

const RequestType = protobuf.parse(TRACE_SCHEMA).root.lookupType('ExportTraceServiceRequest');
const countSpans = (message: unknown): number =>
  (message as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] }).resourceSpans
    .flatMap((rs) => rs.scopeSpans)
    .reduce((n, ss) => n + ss.spans.length, 0);

measure('vigil protobuf (decodeOtlp)', () => decodeOtlp('traces', 'protobuf', protoBody).records.length);
measure('protobufjs Type.decode (no model)', () => countSpans(RequestType.decode(protoBody)));
measure('vigil OTLP/JSON (decodeOtlp)', () => decodeOtlp('traces', 'json', jsonBody).records.length);
