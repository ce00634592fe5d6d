import type { RemoteWriteProtocol } from './write-request.ts';

const PROTOBUF_MEDIA_TYPE = 'application/x-protobuf';
const PROTOCOLS: readonly RemoteWriteProtocol[] = [
  'prometheus.WriteRequest',
  'io.prometheus.write.v2.Request',
];

/** The protocol a request's headers select, or why it is refused with 415 Unsupported Media Type. */
export type Negotiation = { ok: true; protocol: RemoteWriteProtocol } | { ok: false; message: string };

/**
 * Picks the protobuf message by Content-Type, as Prometheus's writeHandler.parseProtoMsg does: the
 * media type must be application/x-protobuf; `proto=` names the message; without it (or without
 * any Content-Type, for old 1.0 senders) it is 1.0's prometheus.WriteRequest. The body must be
 * snappy block-compressed; an absent Content-Encoding means snappy too (write_handler.go keeps
 * accepting such "yolo 1.0 clients").
 *
 * X-Prometheus-Remote-Write-Version is not consulted: Content-Type alone decides, as in
 * Prometheus (the 2.0 spec makes the version header informational for receivers).
 *
 * @example
 * negotiate('application/x-protobuf;proto=io.prometheus.write.v2.Request', 'snappy');
 * // { ok: true, protocol: 'io.prometheus.write.v2.Request' }
 */
export function negotiate(contentType: string | undefined, contentEncoding: string | undefined): Negotiation {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'snappy')
    return {
      ok: false,
      message: `${describe(encoding)} encoding (compression) is not accepted by this server; only snappy is acceptable`,
    };
  const type = (contentType ?? '').trim();
  if (type === '') return { ok: true, protocol: 'prometheus.WriteRequest' };
  const [mediaType = '', ...parameters] = type.split(';');
  if (mediaType.trim().toLowerCase() !== PROTOBUF_MEDIA_TYPE)
    return {
      ok: false,
      message: `expected ${PROTOBUF_MEDIA_TYPE} as the first (media) part, got an unsupported content type`,
    };
  for (const parameter of parameters) {
    const pair = parameter.split('=');
    if (pair.length !== 2)
      return { ok: false, message: 'content type parameters must be key=value pairs (RFC 9110 §5.6.6)' };
    if (pair[0]?.trim().toLowerCase() !== 'proto') continue;
    const proto = (pair[1] ?? '').trim().replace(/^"(.*)"$/, '$1');
    const protocol = PROTOCOLS.find((candidate) => candidate === proto);
    if (protocol === undefined)
      return {
        ok: false,
        message: `unknown remote write protobuf message; accepted ${PROTOCOLS.join(', ')}`,
      };
    return { ok: true, protocol };
  }
  return { ok: true, protocol: 'prometheus.WriteRequest' };
}

/** Header values are client-supplied: name a short token, never echo anything long or odd. */
function describe(token: string): string {
  return /^[a-z0-9._-]{1,20}$/.test(token) ? token : 'the requested';
}
