/**
 * Context propagation helpers over the global propagator (W3C `traceparent`/`tracestate` and
 * `baggage` once `setupVigil` ran) for the three carriers ML platforms use: HTTP headers, gRPC
 * metadata and message-queue headers (Kafka/RabbitMQ style, values string or Buffer).
 *
 * Extraction starts from `context.active()`, as the OTel propagation API does, and never throws:
 * a missing or malformed `traceparent` yields a context without a remote span (W3C Trace Context
 * §4.3: "the vendor MUST ... ignore the traceparent" when it cannot be parsed).
 */
import {
  context,
  defaultTextMapSetter,
  propagation,
  trace,
  type Context,
  type Link,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import type { IncomingHttpHeaders } from 'node:http';

type HttpHeaderCarrier = IncomingHttpHeaders | Record<string, string | string[] | undefined>;

/** Node lowercases incoming header names; a plain object from a user may not, so fall back to a scan. */
const httpHeaderGetter: TextMapGetter<HttpHeaderCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const exact = carrier[key];
    if (exact !== undefined) return exact;
    for (const name of Object.keys(carrier)) {
      if (name.toLowerCase() === key) return carrier[name];
    }
    return undefined;
  },
};

/**
 * Writes the trace context of `ctx` (default: the active context) into outgoing HTTP `headers`.
 *
 * @example
 * await fetch(url, { headers: injectHttpHeaders({ 'content-type': 'application/json' }) });
 */
export function injectHttpHeaders(headers: Record<string, string>, ctx: Context = context.active()): Record<string, string> {
  propagation.inject(ctx, headers, defaultTextMapSetter);
  return headers;
}

/**
 * Reads the trace context of an incoming HTTP request.
 *
 * @example
 * http.createServer((req, res) => context.with(extractHttpHeaders(req.headers), () => handle(req, res)));
 */
export function extractHttpHeaders(headers: HttpHeaderCarrier): Context {
  return propagation.extract(context.active(), headers, httpHeaderGetter);
}

interface GrpcMetadataWriter {
  set(key: string, value: string): void;
}
interface GrpcMetadataReader {
  get(key: string): (string | Buffer)[];
}

const grpcMetadataSetter: TextMapSetter<GrpcMetadataWriter> = {
  set: (metadata, key, value) => metadata.set(key, value),
};

/** gRPC metadata keys are lowercase (gRPC over HTTP/2 spec) and may repeat; W3C uses the first. */
const grpcMetadataGetter: TextMapGetter<GrpcMetadataReader> = {
  keys: () => [],
  get(metadata, key) {
    const first = metadata.get(key)[0];
    return first === undefined ? undefined : first.toString();
  },
};

/**
 * Writes the trace context into gRPC metadata (`@grpc/grpc-js` `Metadata` or anything with `set`).
 *
 * @example
 * const metadata = new Metadata();
 * injectGrpcMetadata(metadata);
 * client.predict(request, metadata, callback);
 */
export function injectGrpcMetadata(metadata: GrpcMetadataWriter, ctx: Context = context.active()): void {
  propagation.inject(ctx, metadata, grpcMetadataSetter);
}

/** Reads the trace context from incoming gRPC metadata (`call.metadata`). */
export function extractGrpcMetadata(metadata: GrpcMetadataReader): Context {
  return propagation.extract(context.active(), metadata, grpcMetadataGetter);
}

type MessageHeaderCarrier = Record<string, string | Buffer | undefined>;

const messageHeaderGetter: TextMapGetter<MessageHeaderCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const value = carrier[key];
    return value === undefined ? undefined : value.toString();
  },
};

/**
 * Writes the trace context into message headers before publishing (Kafka, RabbitMQ, SQS
 * attributes...). Values are strings; brokers that hand headers back as Buffers are fine on extract.
 *
 * @example
 * const headers: Record<string, string | Buffer> = {};
 * injectMessageHeaders(headers);
 * await producer.send({ topic: 'features', messages: [{ value, headers }] });
 */
export function injectMessageHeaders(headers: Record<string, string | Buffer>, ctx: Context = context.active()): void {
  propagation.inject(ctx, headers, defaultTextMapSetter);
}

/**
 * Reads the producer's trace context from consumed message headers. Use it as the parent of the
 * consumer span, or link to it with {@link linkFromMessageHeaders} (OTel messaging semantic
 * conventions: batch receivers link instead of parenting).
 */
export function extractMessageHeaders(headers: MessageHeaderCarrier): Context {
  return propagation.extract(context.active(), headers, messageHeaderGetter);
}

/**
 * The producer's span context as a span link, or `undefined` when the headers carry none.
 *
 * @example
 * const link = linkFromMessageHeaders(message.headers);
 * tracer.startSpan('features process', { kind: SpanKind.CONSUMER, links: link ? [link] : [] });
 */
export function linkFromMessageHeaders(headers: MessageHeaderCarrier): Link | undefined {
  const spanContext = trace.getSpanContext(extractMessageHeaders(headers));
  if (spanContext === undefined || !trace.isSpanContextValid(spanContext)) return undefined;
  return { context: spanContext };
}
