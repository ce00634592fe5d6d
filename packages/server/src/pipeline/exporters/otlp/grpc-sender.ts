import { Client, Metadata } from '@grpc/grpc-js';
import type { ChannelCredentials, ChannelOptions, ServiceError } from '@grpc/grpc-js';
import type { Signal } from '../../../model/signal.ts';
import { ExportError } from '../exporter-helper.ts';
import type { RequestSender } from '../exporter-helper.ts';
import { sanitize } from '../helper/server-message.ts';
import { retryInfoDelayMs } from './otlp-answers.ts';

/** Export method paths from opentelemetry-proto collector/{trace,metrics,logs}/v1/*_service.proto. */
const EXPORT_PATH: Record<Signal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

/** gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html) the retry rule names. */
const Code = {
  CANCELLED: 1,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
} as const;

const ALWAYS_RETRYABLE: ReadonlySet<number> = new Set([
  Code.CANCELLED,
  Code.DEADLINE_EXCEEDED,
  Code.ABORTED,
  Code.OUT_OF_RANGE,
  Code.UNAVAILABLE,
  Code.DATA_LOSS,
]);

export interface GrpcSenderOptions {
  /** host:port */
  target: string;
  credentials: ChannelCredentials;
  channelOptions: ChannelOptions;
  headers: Record<string, string>;
  /** Sees each successful answer (partial success); must not throw. */
  onResponse?: (body: Buffer) => void;
}

export interface GrpcSender {
  send: RequestSender;
  close(): void;
}

/**
 * One gRPC channel sending raw ExportXxxServiceRequest bytes (identity serializers: the body is
 * already encoded, and may come from the on-disk queue). Failures map to ExportError as the
 * Collector's otlp exporter does (exporter/otlpexporter/otlp.go, shouldRetry): CANCELLED,
 * DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE and DATA_LOSS retry; RESOURCE_EXHAUSTED
 * retries only when the server sent RetryInfo (it can recover); everything else is permanent.
 *
 * @example
 * const sender = createGrpcSender('traces', { target: 'tempo:4317', credentials: credentials.createInsecure(), channelOptions: {}, headers: {} });
 * await sender.send(body, AbortSignal.timeout(5000));
 */
export function createGrpcSender(signal: Signal, options: GrpcSenderOptions): GrpcSender {
  const client = new Client(options.target, options.credentials, options.channelOptions);
  const path = EXPORT_PATH[signal];
  const identity = (bytes: Buffer): Buffer => bytes;
  const send: RequestSender = (body, abort) =>
    new Promise<void>((resolve, reject) => {
      if (abort.aborted) return reject(new ExportError(`export to ${options.target} was cancelled`, true));
      const metadata = new Metadata();
      for (const [key, value] of Object.entries(options.headers)) metadata.set(key, value);
      const call = client.makeUnaryRequest(
        path,
        identity,
        identity,
        Buffer.from(body.buffer, body.byteOffset, body.byteLength),
        metadata,
        {},
        (error, response) => {
          abort.removeEventListener('abort', cancel);
          if (error) return reject(toExportError(error, options.target));
          if (response !== undefined) options.onResponse?.(response);
          resolve();
        },
      );
      const cancel = (): void => call.cancel();
      abort.addEventListener('abort', cancel, { once: true });
    });
  return { send, close: () => client.close() };
}

function toExportError(error: ServiceError, target: string): ExportError {
  const details = error.metadata?.get('grpc-status-details-bin')[0];
  const delayMs = Buffer.isBuffer(details) ? retryInfoDelayMs(details) : undefined;
  const message = `gRPC status ${error.code} from ${target}: ${sanitize(error.details ?? '')}`;
  if (ALWAYS_RETRYABLE.has(error.code)) return new ExportError(message, true, positive(delayMs));
  if (Number(error.code) === Code.RESOURCE_EXHAUSTED && delayMs !== undefined)
    return new ExportError(message, true, positive(delayMs));
  return new ExportError(message, false);
}

/** A RetryInfo without a delay means "retry with the usual backoff". */
function positive(delayMs: number | undefined): number | undefined {
  return delayMs !== undefined && delayMs > 0 ? delayMs : undefined;
}
