/**
 * Readers for what an OTLP server answers: Export*ServiceResponse with partial success
 * (otlp-specification.md, "Partial Success") and google.rpc.Status with RetryInfo ("OTLP/gRPC
 * Throttling"). Only the few fields the exporter needs are read; anything malformed reads as
 * "nothing there" because an answer we cannot read must not fail a delivered request.
 */

export interface PartialSuccess {
  rejected: number;
  errorMessage: string;
}

interface ProtoField {
  fieldNumber: number;
  wireType: number;
  /** varint value (wire type 0). */
  value: number;
  /** payload (wire type 2). */
  bytes: Uint8Array;
}

/** The top-level fields of one message; stops quietly at the first malformed byte. */
function* protoFields(body: Uint8Array): Generator<ProtoField> {
  let at = 0;
  const varint = (): number | undefined => {
    let result = 0;
    for (let shift = 0; at < body.length && shift < 64; shift += 7) {
      const byte = body[at++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
    }
    return undefined;
  };
  while (at < body.length) {
    const tag = varint();
    if (tag === undefined) return;
    const field: ProtoField = {
      fieldNumber: Math.floor(tag / 8),
      wireType: tag & 7,
      value: 0,
      bytes: new Uint8Array(),
    };
    if (field.wireType === 0) field.value = varint() ?? 0;
    else if (field.wireType === 1) at += 8;
    else if (field.wireType === 5) at += 4;
    else if (field.wireType === 2) {
      const length = varint();
      if (length === undefined || at + length > body.length) return;
      field.bytes = body.subarray(at, at + length);
      at += length;
    } else return;
    yield field;
  }
}

const utf8 = new TextDecoder();

/**
 * ExportXxxServiceResponse { partial_success = 1 { rejected_<records> = 1 (int64), error_message = 2 } },
 * in protobuf or OTLP/JSON (`partialSuccess.rejectedSpans` etc.).
 *
 * @example
 * readPartialSuccess(body, 'application/x-protobuf'); // { rejected: 2, errorMessage: '…' }
 */
export function readPartialSuccess(body: Uint8Array, contentType: string): PartialSuccess {
  const result: PartialSuccess = { rejected: 0, errorMessage: '' };
  if (body.length === 0) return result;
  if (contentType.includes('json')) return readPartialSuccessJson(body);
  for (const field of protoFields(body)) {
    if (field.fieldNumber !== 1 || field.wireType !== 2) continue;
    for (const inner of protoFields(field.bytes)) {
      if (inner.fieldNumber === 1 && inner.wireType === 0) result.rejected = inner.value;
      if (inner.fieldNumber === 2 && inner.wireType === 2) result.errorMessage = utf8.decode(inner.bytes);
    }
  }
  return result;
}

function readPartialSuccessJson(body: Uint8Array): PartialSuccess {
  const result: PartialSuccess = { rejected: 0, errorMessage: '' };
  try {
    const parsed = JSON.parse(utf8.decode(body)) as { partialSuccess?: Record<string, unknown> } | null;
    const partial = parsed?.partialSuccess;
    if (typeof partial !== 'object' || partial === null) return result;
    for (const key of ['rejectedSpans', 'rejectedDataPoints', 'rejectedLogRecords']) {
      const value = Number(partial[key] ?? 0);
      if (Number.isFinite(value) && value > 0) result.rejected = value;
    }
    if (typeof partial.errorMessage === 'string') result.errorMessage = partial.errorMessage;
  } catch {
    // An unreadable success answer is still a success.
  }
  return result;
}

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

/**
 * The RetryInfo delay in a google.rpc.Status { details = 3: Any { type_url = 1, value = 2 } },
 * RetryInfo { retry_delay = 1: Duration { seconds = 1, nanos = 2 } }. undefined when there is no
 * RetryInfo; 0 when it carries no delay.
 */
export function retryInfoDelayMs(status: Uint8Array): number | undefined {
  for (const detail of protoFields(status)) {
    if (detail.fieldNumber !== 3 || detail.wireType !== 2) continue;
    let typeUrl = '';
    let value: Uint8Array | undefined;
    for (const field of protoFields(detail.bytes)) {
      if (field.fieldNumber === 1 && field.wireType === 2) typeUrl = utf8.decode(field.bytes);
      if (field.fieldNumber === 2 && field.wireType === 2) value = field.bytes;
    }
    if (typeUrl !== RETRY_INFO_TYPE || value === undefined) continue;
    let delayMs = 0;
    for (const retryInfo of protoFields(value)) {
      if (retryInfo.fieldNumber !== 1 || retryInfo.wireType !== 2) continue;
      for (const duration of protoFields(retryInfo.bytes)) {
        if (duration.fieldNumber === 1 && duration.wireType === 0) delayMs += duration.value * 1000;
        if (duration.fieldNumber === 2 && duration.wireType === 0) delayMs += duration.value / 1e6;
      }
    }
    return delayMs;
  }
  return undefined;
}
