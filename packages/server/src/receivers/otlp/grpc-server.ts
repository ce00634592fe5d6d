import {
  Metadata,
  Server,
  ServerCredentials,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Signal } from '../../model/signal.ts';
import type { Pipeline } from '../../pipeline/pipeline.ts';
import { exportToPipeline, type ExportOutcome } from './export-request.ts';
import { GrpcCode } from './grpc-codes.ts';
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_OTLP_GRPC_PORT,
  DEFAULT_RECEIVER_HOST,
  validateMaxBodyBytes,
  type OtlpReceiverOptions,
  type RunningReceiver,
} from './receiver-options.ts';
import { encodeExportResponse, encodeRpcStatus } from './response.ts';

/** Service names from opentelemetry-proto's collector/{trace,metrics,logs}/v1/*_service.proto. */
const SERVICE_BY_SIGNAL: Record<Signal, string> = {
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
};

/** Responses are a few bytes; the spec's recommended response cap (otlp-specification.md, "OTLP/gRPC Response"). */
const MAX_SEND_MESSAGE_BYTES = 4 * 1024 * 1024;
/** How long close() lets in-flight exports finish before cutting them off. */
const SHUTDOWN_GRACE_MILLIS = 10_000;

/**
 * Starts the OTLP/gRPC receiver with the three Export services. The message limit is enforced by
 * grpc-js on the wire and after gzip/deflate decompression, answering RESOURCE_EXHAUSTED
 * (otlp-specification.md, "OTLP/gRPC Request").
 *
 * @example
 * const receiver = await startOtlpGrpcServer({ pipeline, port: 4317 });
 * // ... later
 * await receiver.close();
 */
export async function startOtlpGrpcServer(options: OtlpReceiverOptions): Promise<RunningReceiver> {
  const maxBodyBytes = validateMaxBodyBytes(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const server = new Server({
    'grpc.max_receive_message_length': maxBodyBytes,
    'grpc.max_send_message_length': MAX_SEND_MESSAGE_BYTES,
  });
  for (const signal of ['traces', 'metrics', 'logs'] as const) {
    server.addService(exportServiceDefinition(signal), { Export: exportHandler(options.pipeline, signal) });
  }
  const port = await bind(
    server,
    options.host ?? DEFAULT_RECEIVER_HOST,
    options.port ?? DEFAULT_OTLP_GRPC_PORT,
  );
  return { port, close: () => shutdown(server) };
}

/**
 * A hand-made service definition: the request stays the raw protobuf bytes (decoded by
 * decodeOtlp, which is faster than a generated class) and the response is already encoded.
 */
function exportServiceDefinition(signal: Signal): ServiceDefinition {
  const identity = (bytes: Buffer): Buffer => bytes;
  return {
    Export: {
      path: `/${SERVICE_BY_SIGNAL[signal]}/Export`,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
      originalName: 'export',
    },
  };
}

function exportHandler(pipeline: Pipeline, signal: Signal): UntypedServiceImplementation[string] {
  return (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
    void exportToPipeline(pipeline, signal, 'protobuf', call.request, 'grpc').then((outcome) =>
      answer(callback, signal, outcome),
    );
  };
}

/**
 * Maps an export outcome to gRPC (otlp-specification.md, "Failures" and "OTLP/gRPC Throttling"):
 * throttling carries a google.rpc.Status with RetryInfo in `grpc-status-details-bin`, so clients
 * treat RESOURCE_EXHAUSTED as retryable.
 */
function answer(callback: sendUnaryData<Buffer>, signal: Signal, outcome: ExportOutcome): void {
  switch (outcome.kind) {
    case 'accepted': {
      const response = encodeExportResponse(signal, 'protobuf', outcome.rejected, outcome.errorMessage);
      callback(null, Buffer.from(response.buffer, response.byteOffset, response.byteLength));
      return;
    }
    case 'bad_data':
      callback({ code: GrpcCode.INVALID_ARGUMENT, details: outcome.message });
      return;
    case 'overloaded':
    case 'unavailable': {
      const code = outcome.kind === 'overloaded' ? GrpcCode.RESOURCE_EXHAUSTED : GrpcCode.UNAVAILABLE;
      const metadata = new Metadata();
      const status = encodeRpcStatus('protobuf', code, outcome.message, outcome.retryAfterSeconds);
      metadata.set(
        'grpc-status-details-bin',
        Buffer.from(status.buffer, status.byteOffset, status.byteLength),
      );
      callback({ code, details: outcome.message, metadata });
      return;
    }
    case 'internal':
      callback({ code: GrpcCode.INTERNAL, details: outcome.message });
  }
}

function bind(server: Server, host: string, port: number): Promise<number> {
  // IPv6 literals need brackets in a gRPC target ("[::1]:4317").
  const address = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    );
  });
}

/** Lets in-flight exports finish (their data may already be durable), then forces the rest closed. */
function shutdown(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.forceShutdown(), SHUTDOWN_GRACE_MILLIS);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
