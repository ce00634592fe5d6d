/**
 * OTLP exporters for the three signals over the chosen protocol, with endpoints resolved as the
 * OTel SDK environment-variable spec says: an explicit option wins, then
 * OTEL_EXPORTER_OTLP_ENDPOINT (a base URL: signal paths `/v1/traces`, `/v1/metrics`, `/v1/logs`
 * are appended for HTTP), then the default (Vigil's ports: 4318 HTTP, 4317 gRPC).
 */
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

export const DEFAULT_OTLP_HTTP_ENDPOINT = 'http://127.0.0.1:4318';
export const DEFAULT_OTLP_GRPC_ENDPOINT = 'http://127.0.0.1:4317';

export interface OtlpExporters {
  spanExporter: SpanExporter;
  metricExporter: PushMetricExporter;
  logExporter: LogRecordExporter;
}

export interface OtlpTarget {
  protocol: OtlpProtocol;
  /** HTTP: the base URL; gRPC: the server URL. */
  endpoint: string;
}

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

/** Resolves protocol and endpoint from options, then OTEL_EXPORTER_OTLP_PROTOCOL / _ENDPOINT, then defaults. */
export function resolveOtlpTarget(options: {
  protocol?: OtlpProtocol;
  endpoint?: string;
  grpcEndpoint?: string;
}): OtlpTarget {
  const envProtocol = process.env['OTEL_EXPORTER_OTLP_PROTOCOL'];
  const protocol =
    options.protocol ?? PROTOCOLS.find((candidate) => candidate === envProtocol) ?? 'http/protobuf';
  const envEndpoint = process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] || undefined;
  if (protocol === 'grpc') {
    return { protocol, endpoint: options.grpcEndpoint ?? envEndpoint ?? DEFAULT_OTLP_GRPC_ENDPOINT };
  }
  return { protocol, endpoint: (options.endpoint ?? envEndpoint ?? DEFAULT_OTLP_HTTP_ENDPOINT).replace(/\/+$/, '') };
}

/** Builds only the exporters that are not supplied (tests pass in-memory ones). */
export function createOtlpExporters(target: OtlpTarget, supplied: Partial<OtlpExporters>): OtlpExporters {
  return {
    spanExporter: supplied.spanExporter ?? createSpanExporter(target),
    metricExporter: supplied.metricExporter ?? createMetricExporter(target),
    logExporter: supplied.logExporter ?? createLogExporter(target),
  };
}

function createSpanExporter({ protocol, endpoint }: OtlpTarget): SpanExporter {
  if (protocol === 'grpc') return new GrpcTraceExporter({ url: endpoint });
  const url = `${endpoint}/v1/traces`;
  return protocol === 'http/json' ? new JsonTraceExporter({ url }) : new ProtoTraceExporter({ url });
}

function createMetricExporter({ protocol, endpoint }: OtlpTarget): PushMetricExporter {
  if (protocol === 'grpc') return new GrpcMetricExporter({ url: endpoint });
  const url = `${endpoint}/v1/metrics`;
  return protocol === 'http/json' ? new JsonMetricExporter({ url }) : new ProtoMetricExporter({ url });
}

function createLogExporter({ protocol, endpoint }: OtlpTarget): LogRecordExporter {
  if (protocol === 'grpc') return new GrpcLogExporter({ url: endpoint });
  const url = `${endpoint}/v1/logs`;
  return protocol === 'http/json' ? new JsonLogExporter({ url }) : new ProtoLogExporter({ url });
}
