import { uncompress, uncompressSync } from 'snappy';

/** Bodies above this are decompressed off the event loop (snappy's async API runs on libuv's pool). */
const SYNC_LIMIT_BYTES = 256 * 1024;

export type SnappyResult =
  | { kind: 'ok'; data: Buffer }
  | { kind: 'too_large'; decodedBytes: number }
  | { kind: 'corrupt'; message: string };

/**
 * Decompresses a snappy block-format body (remote_write_spec: "The request body MUST be compressed
 * with Google's Snappy ... The block format MUST be used - the framed format MUST NOT be used").
 * The block's varint preamble states the decoded length, so an oversized body is refused before any
 * memory is spent on it.
 *
 * @example
 * const result = await uncompressSnappyBlock(body, 32 * 1024 * 1024);
 */
export async function uncompressSnappyBlock(body: Buffer, maxDecodedBytes: number): Promise<SnappyResult> {
  const decodedBytes = decodedLength(body);
  if (decodedBytes === undefined)
    return { kind: 'corrupt', message: 'snappy: corrupt input (bad length preamble)' };
  if (decodedBytes > maxDecodedBytes) return { kind: 'too_large', decodedBytes };
  try {
    const data = body.length <= SYNC_LIMIT_BYTES ? uncompressSync(body) : await uncompress(body);
    if (!Buffer.isBuffer(data)) return { kind: 'corrupt', message: 'snappy: unexpected text output' };
    return { kind: 'ok', data };
  } catch {
    // The library's message names offsets only; a fixed text keeps payload bytes out of answers.
    return { kind: 'corrupt', message: 'snappy: corrupt input' };
  }
}

/** The uvarint preamble of a snappy block: its decoded length (at most 2^32 - 1). */
function decodedLength(body: Buffer): number | undefined {
  let length = 0;
  let multiplier = 1;
  for (let i = 0; i < 5 && i < body.length; i++) {
    const byte = body[i]!;
    length += (byte & 0x7f) * multiplier;
    if (byte < 0x80) return length;
    multiplier *= 128;
  }
  return undefined;
}
