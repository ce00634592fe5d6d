/** Longest server message quoted in an error or log line. */
const MAX_MESSAGE_CHARS = 200;

/**
 * A short, printable server message from an error answer: google.rpc.Status.message for OTLP
 * (protobuf field 2, or JSON `message`), a JSON `error`/`message` string for other APIs, else the
 * text itself. Control characters are removed and whitespace collapsed, so a log line stays one line.
 *
 * @example
 * serverMessage(Buffer.from('{"code":8,"message":"ingest queue full"}'), 'application/json'); // 'ingest queue full'
 */
export function serverMessage(body: Uint8Array, contentType: string): string {
  if (body.length === 0) return '';
  let text: string | undefined;
  if (contentType.includes('protobuf')) text = statusMessage(body);
  else if (contentType.includes('json')) text = jsonMessage(body);
  else if (contentType === '' || contentType.startsWith('text/')) text = Buffer.from(body).toString('utf8');
  return sanitize(text ?? '');
}

export function sanitize(text: string): string {
  const clean = text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > MAX_MESSAGE_CHARS ? `${clean.slice(0, MAX_MESSAGE_CHARS)}…` : clean;
}

function jsonMessage(body: Uint8Array): string | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { message, error } = parsed as { message?: unknown; error?: unknown };
    if (typeof message === 'string') return message;
    return typeof error === 'string' ? error : undefined;
  } catch {
    return undefined;
  }
}

/** google.rpc.Status { code = 1, message = 2, details = 3 }: field 2, walking the top level only. */
export function statusMessage(body: Uint8Array): string | undefined {
  let at = 0;
  const varint = (): number => {
    let result = 0;
    for (let shift = 0; at < body.length && shift < 35; shift += 7) {
      const byte = body[at++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
    }
    throw new RangeError('bad varint');
  };
  try {
    while (at < body.length) {
      const tag = varint();
      const wireType = tag & 7;
      if (wireType === 0) varint();
      else if (wireType === 1) at += 8;
      else if (wireType === 5) at += 4;
      else if (wireType === 2) {
        const length = varint();
        if (tag >>> 3 === 2) return Buffer.from(body.subarray(at, at + length)).toString('utf8');
        at += length;
      } else return undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}
