import type { LogRecord } from '../../../model/log-record.ts';
import {
  encodeEnvelopeProto,
  writeAnyValue,
  writeAttributes,
  writeCount,
  writeOptionalString,
} from './encode-common-proto.ts';
import type { ProtoWriter } from '../helper/proto-writer.ts';

/**
 * LogRecord[] → ExportLogsServiceRequest bytes (opentelemetry-proto v1.x logs/v1/logs.proto), the
 * inverse of receivers/otlp/decode-logs-proto.ts.
 *
 * @example
 * const body = encodeLogsProto(logs); // POST to /v1/logs as application/x-protobuf
 */
export function encodeLogsProto(logs: readonly LogRecord[]): Uint8Array {
  return encodeEnvelopeProto(logs, (w, scopeLogs) => {
    for (const log of scopeLogs) writeLogRecord(w, log);
  });
}

/**
 * LogRecord: time_unix_nano=1, severity_number=2, severity_text=3, body=5, attributes=6,
 * dropped_attributes_count=7, flags=8, trace_id=9, span_id=10, observed_time_unix_nano=11,
 * event_name=12.
 */
function writeLogRecord(w: ProtoWriter, log: LogRecord): void {
  w.message(2);
  if (log.timeUnixNano !== 0n) w.fixed64Field(1, log.timeUnixNano);
  writeCount(w, 2, log.severityNumber);
  writeOptionalString(w, 3, log.severityText);
  if (log.body !== null) {
    w.message(5);
    writeAnyValue(w, log.body);
    w.end();
  }
  writeAttributes(w, 6, log.attributes);
  writeCount(w, 7, log.droppedAttributesCount);
  if (log.flags !== 0) w.fixed32Field(8, log.flags);
  if (log.traceId !== '') w.idField(9, log.traceId);
  if (log.spanId !== '') w.idField(10, log.spanId);
  if (log.observedTimeUnixNano !== 0n) w.fixed64Field(11, log.observedTimeUnixNano);
  writeOptionalString(w, 12, log.eventName);
  w.end();
}
