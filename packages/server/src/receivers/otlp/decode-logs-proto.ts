import { newAttributes } from '../../model/attributes.ts';
import type { LogRecord } from '../../model/log-record.ts';
import type { Resource, Scope } from '../../model/resource.ts';
import { readAnyValue, readAttribute, skipOrReject } from './decode-common-proto.ts';
import type { DecodeResult } from './decode.ts';
import { decodeEnvelope } from './decode-envelope-proto.ts';
import type { ProtoReader } from './proto-reader.ts';
import { WireType } from './proto-reader.ts';
import type { Rejections } from './rejections.ts';

/**
 * ExportLogsServiceRequest (collector/logs/v1/logs_service.proto) → LogRecord[], following
 * logs/v1/logs.proto of opentelemetry-proto v1.x. Records whose trace or span id has the wrong
 * length are left out and counted; an empty or all-zero id means the log is not in a trace.
 */

const LEN = WireType.LEN;
const VARINT = WireType.VARINT;
const I64 = WireType.I64;
const I32 = WireType.I32;

export function decodeLogsProto(body: Uint8Array): DecodeResult<'logs'> {
  return decodeEnvelope<LogRecord>(body, pushLogRecord, 'log records');
}

function pushLogRecord(
  r: ProtoReader,
  end: number,
  resource: Resource,
  scope: Scope,
  logs: LogRecord[],
  rejections: Rejections,
): void {
  const log = readLogRecord(r, end, resource, scope, rejections);
  if (log !== null) logs.push(log);
}

function newLogRecord(resource: Resource, scope: Scope): LogRecord {
  return {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: null,
    attributes: newAttributes(),
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
    resource,
    scope,
  };
}

/**
 * LogRecord: time_unix_nano=1, severity_number=2, severity_text=3, body=5, attributes=6,
 * dropped_attributes_count=7, flags=8, trace_id=9, span_id=10, observed_time_unix_nano=11,
 * event_name=12 (4 is reserved: the removed `name`).
 */
function readLogRecord(
  r: ProtoReader,
  end: number,
  resource: Resource,
  scope: Scope,
  rejections: Rejections,
): LogRecord | null {
  const log = newLogRecord(resource, scope);
  let traceId: string | null = '';
  let spanId: string | null = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | I64)) log.timeUnixNano = r.fixed64();
    else if (tag === ((2 << 3) | VARINT)) log.severityNumber = r.int32();
    else if (tag === ((3 << 3) | LEN)) log.severityText = r.string(end);
    else if (tag === ((5 << 3) | LEN)) log.body = readAnyValue(r, r.lengthEnd(end), 0);
    else if (tag >>> 3 === 6) readAttribute(r, tag, end, log.attributes);
    else if (tag === ((7 << 3) | VARINT)) log.droppedAttributesCount = r.uint32();
    else if (tag === ((8 << 3) | I32)) log.flags = r.fixed32();
    else if (tag === ((9 << 3) | LEN)) traceId = r.optionalId(end, 16);
    else if (tag === ((10 << 3) | LEN)) spanId = r.optionalId(end, 8);
    else if (tag === ((11 << 3) | I64)) log.observedTimeUnixNano = r.fixed64();
    else if (tag === ((12 << 3) | LEN)) log.eventName = r.string(end);
    else if (tag >>> 3 === 4) r.skip(tag, end);
    else skipOrReject(r, tag, end, 12);
  }
  r.checkEnd(end);
  if (traceId === null) return reject(rejections, 'invalid trace_id');
  if (spanId === null) return reject(rejections, 'invalid span_id');
  log.traceId = traceId;
  log.spanId = spanId;
  return log;
}

function reject(rejections: Rejections, reason: string): null {
  rejections.add(reason);
  return null;
}
