/**
 * Log records → Loki streams (contrib pkg/translator/loki LogsToLokiRequests): each record's labels
 * pick its stream, its line is encoded by its `loki.format` hint, and records that cannot be sent
 * are counted by reason rather than failing the batch.
 */
import type { LogRecord } from '../../../model/log-record.ts';
import type { UnixNano } from '../../../model/units.ts';
import { lokiRecordLabels, type DefaultLabelsEnabled } from './loki-labels.ts';
import { jsonLine, rawLine, UnencodableLineError } from './loki-line.ts';
import type { PushStream } from './push-request-encoder.ts';
import { labelsText } from './push-request-encoder.ts';

export type LokiDropReason = 'missing_labels' | 'unencodable' | 'unsupported_format';

export interface LokiStreams {
  streams: PushStream[];
  /** Records placed in streams. */
  records: number;
  dropped: Record<LokiDropReason, number>;
}

/**
 * The entry time: the record's time, else its observed time, else now (upstream
 * timestampFromLogRecord).
 */
function entryTime(record: LogRecord, nowUnixNano: () => UnixNano): bigint {
  if (record.timeUnixNano !== 0n) return record.timeUnixNano;
  if (record.observedTimeUnixNano !== 0n) return record.observedTimeUnixNano;
  return nowUnixNano();
}

/**
 * Groups records into streams by their labels, streams and entries in the order first seen.
 * `logfmt` lines are not written by Vigil: such records are dropped and counted (unsupported_format)
 * as upstream drops records whose format hint it does not know.
 *
 * @example
 * const { streams } = toLokiStreams(records, ALL_DEFAULT_LABELS, nowUnixNano);
 */
export function toLokiStreams(records: readonly LogRecord[], enabled: DefaultLabelsEnabled, nowUnixNano: () => UnixNano): LokiStreams {
  const byLabels = new Map<string, PushStream>();
  const dropped: Record<LokiDropReason, number> = { missing_labels: 0, unencodable: 0, unsupported_format: 0 };
  let placed = 0;
  for (const record of records) {
    const { labels, attributes, resourceAttributes, format } = lokiRecordLabels(record, enabled);
    // Loki needs at least one label per stream (upstream: send_failed_due_to_missing_labels).
    if (labels.size === 0) {
      dropped.missing_labels++;
      continue;
    }
    let line: string;
    try {
      if (format === 'json') line = jsonLine(record, attributes, resourceAttributes);
      else if (format === 'raw') line = rawLine(record);
      else {
        dropped.unsupported_format++;
        continue;
      }
    } catch (error: unknown) {
      if (!(error instanceof UnencodableLineError)) throw error;
      dropped.unencodable++;
      continue;
    }
    const key = labelsText(labels);
    let stream = byLabels.get(key);
    if (!stream) {
      stream = { labels, entries: [] };
      byLabels.set(key, stream);
    }
    stream.entries.push({ timeUnixNano: entryTime(record, nowUnixNano), line });
    placed++;
  }
  return { streams: [...byLabels.values()], records: placed, dropped };
}
