import { readFileSync } from 'node:fs';
import type { Signal } from '../../../model/signal.ts';
import type { ComponentContext } from '../../graph/component.ts';
import type { SettingsReader } from '../../graph/settings-reader.ts';
import { exporterMetrics } from '../helper/exporter-metrics.ts';
import { DropLog } from '../helper/drop-log.ts';
import { sanitize } from '../helper/server-message.ts';
import type { PartialSuccess } from './otlp-answers.ts';

/**
 * Client settings the otlp and otlphttp exporters share (the Collector's configgrpc/confighttp
 * ClientConfig and configtls.ClientConfig), parsed with the Collector's words for mistakes.
 */

export type Compression = 'gzip' | 'none';

/** TLS material loaded from the configured files. */
export interface ClientTls {
  insecure: boolean;
  insecureSkipVerify: boolean;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** `headers`: a map of string to string, sent with every request. */
export function readHeaders(settings: SettingsReader): Record<string, string> {
  const headers = settings.child('headers');
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  const raw = settings.raw('headers') as Record<string, unknown>;
  for (const key of Object.keys(raw)) out[key.toLowerCase()] = headers.string(key, '');
  return out;
}

/**
 * `compression`: gzip (the default of both OTLP exporters) or none. The Collector also knows
 * zstd, snappy, zlib and deflate; Vigil refuses them by name rather than sending something the
 * operator did not ask for.
 */
export function readCompression(settings: SettingsReader): Compression {
  const value = settings.string('compression', 'gzip');
  if (value === 'gzip') return 'gzip';
  if (value === 'none' || value === '') return 'none';
  if (['zstd', 'snappy', 'zlib', 'deflate', 'lz4'].includes(value))
    throw settings.error(`compression "${value}" is not supported by Vigil; use gzip or none`, 'compression');
  throw settings.error(`unsupported compression type "${value}"`, 'compression');
}

/**
 * `tls`: insecure, ca_file, cert_file, key_file, insecure_skip_verify, server_name_override.
 * Files are read now so a wrong path fails at start-up, as the Collector's LoadTLSConfig does.
 */
export function readTls(settings: SettingsReader): ClientTls & { serverName?: string } {
  const tls = settings.child('tls');
  if (tls === undefined) return { insecure: false, insecureSkipVerify: false };
  tls.allowOnly([
    'insecure',
    'ca_file',
    'cert_file',
    'key_file',
    'insecure_skip_verify',
    'server_name_override',
  ]);
  const out: ClientTls & { serverName?: string } = {
    insecure: tls.boolean('insecure', false),
    insecureSkipVerify: tls.boolean('insecure_skip_verify', false),
  };
  const certFile = tls.string('cert_file', '');
  const keyFile = tls.string('key_file', '');
  if ((certFile === '') !== (keyFile === ''))
    throw tls.error('for auth via TLS, provide both certificate and key, or neither');
  const read = (key: string, path: string): Buffer | undefined => {
    if (path === '') return undefined;
    try {
      return readFileSync(path);
    } catch (error: unknown) {
      throw tls.error(
        `failed to load TLS config: cannot read ${key} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        key,
      );
    }
  };
  out.ca = read('ca_file', tls.string('ca_file', ''));
  out.cert = read('cert_file', certFile);
  out.key = read('key_file', keyFile);
  const serverName = tls.string('server_name_override', '');
  if (serverName !== '') out.serverName = serverName;
  return out;
}

/**
 * Logs and counts an OTLP partial success (the Collector logs "Partial success response" at warn
 * and does not retry: the server has said those records are invalid).
 */
export function partialSuccessReporter(
  signal: Signal,
  context: ComponentContext,
): (partial: PartialSuccess) => void {
  const drops = new DropLog(
    (line) => context.log(line),
    () => context.nowMs(),
  );
  return (partial) => {
    if (partial.rejected === 0 && partial.errorMessage === '') return;
    exporterMetrics.rejectedByBackend.inc({ exporter: context.id, signal }, partial.rejected);
    const message = sanitize(partial.errorMessage);
    drops.report(
      `${context.id}: partial success, the backend rejected ${partial.rejected} records${message === '' ? '' : `: ${message}`}`,
    );
  };
}
