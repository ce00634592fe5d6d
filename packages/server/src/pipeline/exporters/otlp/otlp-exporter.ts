import { credentials } from '@grpc/grpc-js';
import type { ChannelCredentials, ChannelOptions } from '@grpc/grpc-js';
import { SIGNALS } from '../../../model/signal.ts';
import type { Signal } from '../../../model/signal.ts';
import type { ComponentContext, Consumer, ExporterFactory, Stoppable } from '../../graph/component.ts';
import { SettingsReader } from '../../graph/settings-reader.ts';
import {
  createQueuedExporter,
  EXPORTER_HELPER_KEYS,
  readExporterHelperSettings,
} from '../helper/queued-exporter.ts';
import { createGrpcSender } from './grpc-sender.ts';
import { readPartialSuccess } from './otlp-answers.ts';
import { partialSuccessReporter, readCompression, readHeaders, readTls } from './otlp-client-settings.ts';
import type { ClientTls } from './otlp-client-settings.ts';
import { createOtlpCodec } from './otlp-codec.ts';

/** grpc-js CompressionAlgorithms: identity 0, deflate 1, gzip 2. */
const GRPC_GZIP = 2;

/**
 * The `otlp` exporter: OTLP over gRPC (the Collector's exporter/otlpexporter). Settings: endpoint
 * (host:port, required), tls, headers, compression (gzip), timeout (5s), balancer_name, keepalive,
 * sending_queue, retry_on_failure; wait_for_ready is refused (grpc-js has no such call option).
 * TLS is on unless `tls.insecure: true`, as in the Collector.
 *
 * @example
 * exporters:
 *   otlp/tempo:
 *     endpoint: tempo:4317
 *     tls: { insecure: true }
 */
export const otlpExporterFactory: ExporterFactory = {
  type: 'otlp',
  signals: SIGNALS,
  create<S extends Signal>(signal: S, settings: unknown, context: ComponentContext): Consumer<S> & Stoppable {
    const s = SettingsReader.of(settings);
    if (s.has('wait_for_ready')) throw s.error('wait_for_ready is not supported by Vigil', 'wait_for_ready');
    s.allowOnly([
      'endpoint',
      'tls',
      'headers',
      'compression',
      'balancer_name',
      'keepalive',
      ...EXPORTER_HELPER_KEYS,
    ]);
    const { target, impliedInsecure } = readEndpoint(s);
    const tls = readTls(s);
    const compression = readCompression(s);
    const channelOptions: ChannelOptions = {
      ...readBalancer(s),
      ...readKeepalive(s),
      ...(compression === 'gzip' ? { 'grpc.default_compression_algorithm': GRPC_GZIP } : {}),
      ...(tls.serverName === undefined ? {} : { 'grpc.ssl_target_name_override': tls.serverName }),
    };
    const helper = readExporterHelperSettings(s, context);
    const report = partialSuccessReporter(signal, context);
    const sender = createGrpcSender(signal, {
      target,
      credentials: channelCredentials(tls, impliedInsecure),
      channelOptions,
      headers: readHeaders(s),
      onResponse: (body) => report(readPartialSuccess(body, 'application/x-protobuf')),
    });
    // grpc-js compresses on the wire, so the queue holds plain protobuf.
    const exporter = createQueuedExporter(
      signal,
      createOtlpCodec(signal, { encoding: 'proto', gzip: false }),
      sender.send,
      helper,
      context,
    );
    return {
      consume: (records) => exporter.consume(records),
      shutdown: async () => {
        await exporter.shutdown();
        sender.close();
      },
    };
  },
};

/**
 * `endpoint`: host:port. An http:// or https:// prefix is accepted and removed, as configgrpc
 * does; Vigil reads http:// as "no TLS" so a plain-text endpoint written as a URL works.
 */
function readEndpoint(s: SettingsReader): { target: string; impliedInsecure: boolean } {
  if (!s.has('endpoint')) throw s.error('requires a non-empty "endpoint"', 'endpoint');
  const endpoint = s.requiredString('endpoint');
  const impliedInsecure = endpoint.startsWith('http://');
  const target = endpoint.replace(/^https?:\/\//, '').replace(/\/$/, '');
  const port = /:(\d+)$/.exec(target)?.[1];
  if (port === undefined || Number(port) < 1 || Number(port) > 65535)
    throw s.error(`invalid port in endpoint "${target}": expected host:port`, 'endpoint');
  return { target, impliedInsecure };
}

function channelCredentials(tls: ClientTls, impliedInsecure: boolean): ChannelCredentials {
  if (tls.insecure || impliedInsecure) return credentials.createInsecure();
  return credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null, {
    rejectUnauthorized: !tls.insecureSkipVerify,
  });
}

/** `balancer_name`: pick_first or round_robin, grpc's two built-in policies. */
function readBalancer(s: SettingsReader): ChannelOptions {
  const name = s.string('balancer_name', '');
  if (name === '') return {};
  if (name !== 'pick_first' && name !== 'round_robin')
    throw s.error(`balancer_name "${name}" is not supported; use pick_first or round_robin`, 'balancer_name');
  return { 'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ [name]: {} }] }) };
}

/** `keepalive`: time, timeout, permit_without_stream (configgrpc KeepaliveClientConfig). */
function readKeepalive(s: SettingsReader): ChannelOptions {
  const keepalive = s.child('keepalive');
  if (keepalive === undefined) return {};
  keepalive.allowOnly(['time', 'timeout', 'permit_without_stream']);
  const options: ChannelOptions = {};
  if (keepalive.has('time')) options['grpc.keepalive_time_ms'] = keepalive.durationMs('time', 0);
  if (keepalive.has('timeout')) options['grpc.keepalive_timeout_ms'] = keepalive.durationMs('timeout', 0);
  if (keepalive.boolean('permit_without_stream', false)) options['grpc.keepalive_permit_without_calls'] = 1;
  return options;
}
