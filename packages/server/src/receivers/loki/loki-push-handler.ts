import type { Store } from '../../storage/store.ts';
import { nowUnixNano, type UnixNano } from '../../model/units.ts';
import type { ContentCoding } from '../otlp/body-reader.ts';
import { uncompressSnappyBlock } from '../prometheus/remote-write/snappy-block.ts';
import { decodePushRequestJson } from './decode-push-json.ts';
import { decodePushRequestProto } from './decode-push-proto.ts';
import { LokiDecodeError, type LokiStream } from './push-request.ts';
import { lokiStreamsToLogRecords } from './to-log-records.ts';

/** The two body formats of POST /loki/api/v1/push. */
export type LokiPushFormat = 'json' | 'protobuf';

/** How to read a push body, or why it cannot be read (answered 415). */
export type LokiPushNegotiation =
  { ok: true; format: LokiPushFormat; coding: ContentCoding } | { ok: false; message: string };

/** A push answer: 204 with no text, or a plain-text error like Loki's http.Error. */
export interface LokiPushAnswer {
  status: number;
  text: string;
}

/**
 * Picks the decoder from the headers as Loki's ParseLokiRequest (pkg/loghttp/push/push.go) does:
 * `application/json` is JSON; `application/x-protobuf` or no Content-Type is snappy-compressed
 * protobuf (Promtail and Alloy send that). Content-Encoding may be gzip (for JSON), or `snappy`,
 * which some clients set on protobuf bodies and which changes nothing (Loki issue #3407). Loki also
 * takes `deflate`; Vigil answers 415 for it and for any other media type.
 *
 * @example
 * negotiateLokiPush('application/json', 'gzip'); // { ok: true, format: 'json', coding: 'gzip' }
 */
export function negotiateLokiPush(
  contentType: string | undefined,
  contentEncoding: string | undefined,
): LokiPushNegotiation {
  const mediaType = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  let format: LokiPushFormat;
  if (mediaType === 'application/json') format = 'json';
  else if (mediaType === 'application/x-protobuf' || mediaType === '') format = 'protobuf';
  else
    return { ok: false, message: 'unsupported Content-Type; use application/json or application/x-protobuf' };
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity' || encoding === 'snappy')
    return { ok: true, format, coding: 'identity' };
  if (encoding === 'gzip' || encoding === 'x-gzip') return { ok: true, format, coding: 'gzip' };
  return { ok: false, message: 'unsupported Content-Encoding; use gzip or none' };
}

/**
 * Decodes a push body (already gunzipped when it was gzip-coded) and writes its lines through
 * `store.writeLogs`, answering only after the write resolved (acknowledged means durable). Malformed
 * bodies answer 400; store errors (overload, unavailable) propagate for the caller to map.
 *
 * @example
 * const answer = await handleLokiPush(store, 'protobuf', body, { maxDecodedBytes: 32 << 20 });
 */
export async function handleLokiPush(
  store: Pick<Store, 'writeLogs'>,
  format: LokiPushFormat,
  body: Buffer,
  options: { maxDecodedBytes: number; nowUnixNano?: () => UnixNano },
): Promise<LokiPushAnswer> {
  const decoded = await decodeBody(format, body, options.maxDecodedBytes);
  if ('status' in decoded) return decoded;
  const logs = lokiStreamsToLogRecords(decoded, (options.nowUnixNano ?? nowUnixNano)());
  if (logs.length > 0) await store.writeLogs(logs);
  return { status: 204, text: '' };
}

async function decodeBody(
  format: LokiPushFormat,
  body: Buffer,
  maxDecodedBytes: number,
): Promise<LokiStream[] | LokiPushAnswer> {
  try {
    if (format === 'json') return decodePushRequestJson(body);
    const snappy = await uncompressSnappyBlock(body, maxDecodedBytes);
    if (snappy.kind === 'too_large')
      return { status: 413, text: `decoded request body exceeds the limit of ${maxDecodedBytes} bytes\n` };
    if (snappy.kind === 'corrupt') return { status: 400, text: `${snappy.message}\n` };
    return decodePushRequestProto(snappy.data);
  } catch (error: unknown) {
    if (error instanceof LokiDecodeError) return { status: 400, text: `${error.message}\n` };
    throw error;
  }
}
