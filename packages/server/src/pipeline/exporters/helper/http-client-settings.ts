/**
 * The part of the Collector's confighttp.ClientConfig that Vigil's HTTP exporters honour:
 * `endpoint`, `headers` and the `tls` block (CA, client certificate, insecure_skip_verify), which
 * helper/http-sender.ts applies. TLS settings Vigil cannot honour are refused with a clear message
 * instead of being silently ignored.
 */
import { readFileSync } from 'node:fs';
import type { SettingsReader } from '../../graph/settings-reader.ts';
import type { HttpTlsOptions } from './http-sender.ts';

export interface HttpClientSettings {
  url: string;
  headers: Record<string, string>;
  tls?: HttpTlsOptions;
}

/** confighttp keys this reader consumes; callers add them to their allowOnly list. */
export const HTTP_CLIENT_KEYS: readonly string[] = ['endpoint', 'headers', 'tls'];

/** configtls keys that need a TLS control Node's client does not expose here. */
const UNSUPPORTED_TLS_KEYS: readonly string[] = [
  'min_version',
  'max_version',
  'cipher_suites',
  'reload_interval',
  'server_name_override',
  'include_system_ca_certs_pool',
];

function readEndpoint(settings: SettingsReader): string {
  const endpoint = settings.requiredString('endpoint');
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    // The Collector's words (lokiexporter config.go Validate); the value itself is not echoed.
    throw settings.error('"endpoint" must be a valid URL', 'endpoint');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw settings.error('"endpoint" must be an http:// or https:// URL', 'endpoint');
  return endpoint;
}

/** A mapping of string to string (`headers`, `external_labels`); absent reads as empty. */
export function readStringMap(settings: SettingsReader, key: string): Map<string, string> {
  const map = new Map<string, string>();
  const child = settings.child(key);
  const raw = settings.raw(key);
  if (!child || typeof raw !== 'object' || raw === null) return map;
  for (const name of Object.keys(raw)) map.set(name, child.string(name, ''));
  return map;
}

/** A PEM from `<name>_pem` or the file `<name>_file` (configtls: not both). */
function readPem(tls: SettingsReader, name: string): Buffer | undefined {
  const pem = tls.string(`${name}_pem`, '');
  const file = tls.string(`${name}_file`, '');
  if (pem !== '' && file !== '')
    throw tls.error(`provide either a ${name} file or a ${name} PEM, not both`, `${name}_file`);
  if (pem !== '') return Buffer.from(pem, 'utf8');
  if (file === '') return undefined;
  try {
    return readFileSync(file);
  } catch {
    // configtls "failed to load TLS config"; the path is the operator's own setting, the OS error is not echoed.
    throw tls.error(`failed to load TLS config: cannot read ${name}_file`, `${name}_file`);
  }
}

/**
 * configtls.ClientConfig as the HTTP sender takes it. `insecure` is accepted and has no effect
 * (for HTTP the URL scheme decides, as in confighttp); TLS versions, cipher suites and reloading
 * are refused rather than silently ignored.
 */
function readTls(settings: SettingsReader): HttpTlsOptions | undefined {
  const tls = settings.child('tls');
  if (!tls) return undefined;
  for (const key of UNSUPPORTED_TLS_KEYS) {
    if (tls.has(key)) throw tls.error(`tls "${key}" is not supported by Vigil's exporters`, key);
  }
  tls.allowOnly([
    'insecure',
    'insecure_skip_verify',
    'ca_file',
    'ca_pem',
    'cert_file',
    'cert_pem',
    'key_file',
    'key_pem',
    ...UNSUPPORTED_TLS_KEYS,
  ]);
  tls.boolean('insecure', false);
  const options: HttpTlsOptions = { rejectUnauthorized: !tls.boolean('insecure_skip_verify', false) };
  const ca = readPem(tls, 'ca');
  const cert = readPem(tls, 'cert');
  const key = readPem(tls, 'key');
  if ((cert === undefined) !== (key === undefined))
    throw tls.error(
      'for auth via TLS, provide both certificate and key, or neither',
      cert === undefined ? 'cert_file' : 'key_file',
    );
  if (ca) options.ca = ca;
  if (cert) options.cert = cert;
  if (key) options.key = key;
  return options;
}

/**
 * Reads endpoint, headers and tls.
 *
 * @example
 * const http = readHttpClientSettings(SettingsReader.of({ endpoint: 'http://loki:3100/loki/api/v1/push' }));
 */
export function readHttpClientSettings(settings: SettingsReader): HttpClientSettings {
  const url = readEndpoint(settings);
  const tls = readTls(settings);
  const headers = Object.fromEntries(readStringMap(settings, 'headers'));
  return tls ? { url, headers, tls } : { url, headers };
}

/**
 * User headers with the protocol's fixed headers on top; a user header naming a fixed one in any
 * letter case is dropped, so fetch never joins two values into one.
 */
export function withFixedHeaders(
  user: Readonly<Record<string, string>>,
  fixed: Readonly<Record<string, string>>,
): Record<string, string> {
  const fixedNames = new Set(Object.keys(fixed).map((name) => name.toLowerCase()));
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries(user))
    if (!fixedNames.has(name.toLowerCase())) merged[name] = value;
  return { ...merged, ...fixed };
}
