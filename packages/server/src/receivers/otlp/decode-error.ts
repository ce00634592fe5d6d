/**
 * A request that could not be decoded at all; answered with HTTP 400 / gRPC INVALID_ARGUMENT.
 * Messages name the problem and where (byte offset, field name), never payload contents.
 * Lives in its own module so the decoders can throw it without importing decode.ts (no cycle);
 * decode.ts re-exports it.
 */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}
