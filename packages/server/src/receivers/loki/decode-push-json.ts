import { checkTimeUnixNano, LokiDecodeError, type LokiEntry, type LokiStream } from './push-request.ts';
import { checkLabelPairs } from './stream-labels.ts';

const INT64_TEXT = /^-?[0-9]{1,19}$/;

/**
 * Decodes Loki's JSON push body (pkg/loghttp/push, pkg/util/unmarshal DecodePushRequest):
 * `{"streams":[{"stream":{"job":"api"},"values":[["<unix ns>","line"],["<unix ns>","line",{"k":"v"}]]}]}`.
 * Like loghttp.Entry's UnmarshalJSON, a value is a 2- or 3-element array: the timestamp as a
 * decimal string of int64 nanoseconds, the line, and optionally structured metadata as an object of
 * strings. Every shape is checked here (no casts on unchecked JSON); errors name the position only.
 *
 * @example
 * const streams = decodePushRequestJson(Buffer.from('{"streams":[]}'));
 */
export function decodePushRequestJson(body: Buffer): LokiStream[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    // JSON.parse's message quotes the input around the error; a fixed text keeps it out.
    throw new LokiDecodeError('request body is not valid JSON');
  }
  if (!isObject(parsed)) throw new LokiDecodeError('request body must be a JSON object');
  const streams = parsed['streams'];
  if (streams === undefined || streams === null) return [];
  if (!Array.isArray(streams)) throw new LokiDecodeError('"streams" must be an array');
  return streams.map((stream: unknown, index) => decodeStream(stream, `streams[${index}]`));
}

function decodeStream(stream: unknown, where: string): LokiStream {
  if (!isObject(stream)) throw new LokiDecodeError(`${where} must be an object`);
  const labels = checkLabelPairs(stringPairs(stream['stream'], `${where}.stream`), `${where}.stream`);
  const values = stream['values'] ?? [];
  if (!Array.isArray(values)) throw new LokiDecodeError(`${where}.values must be an array`);
  const entries = values.map((value: unknown, index) => decodeEntry(value, `${where}.values[${index}]`));
  return { labels, entries };
}

function decodeEntry(value: unknown, where: string): LokiEntry {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3)
    throw new LokiDecodeError(
      `${where} must be an array of [timestamp, line] or [timestamp, line, metadata]`,
    );
  const timestamp: unknown = value[0];
  const line: unknown = value[1];
  const metadata: unknown = value[2];
  if (typeof timestamp !== 'string' || !INT64_TEXT.test(timestamp))
    throw new LokiDecodeError(`${where}: timestamp must be a string of Unix nanoseconds`);
  if (typeof line !== 'string') throw new LokiDecodeError(`${where}: line must be a string`);
  const structuredMetadata =
    metadata === undefined ? [] : stringPairs(metadata, `${where}: structured metadata`);
  return { timeUnixNano: checkTimeUnixNano(BigInt(timestamp), where), line, structuredMetadata };
}

/** An object of string values as name/value pairs (a LabelSet or structured metadata). */
function stringPairs(value: unknown, where: string): [string, string][] {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) throw new LokiDecodeError(`${where} must be an object of strings`);
  const pairs: [string, string][] = [];
  for (const [name, text] of Object.entries(value)) {
    if (typeof text !== 'string') throw new LokiDecodeError(`${where} must be an object of strings`);
    pairs.push([name, text]);
  }
  return pairs;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
