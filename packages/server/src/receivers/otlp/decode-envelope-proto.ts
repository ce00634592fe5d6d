import type { Resource, Scope } from '../../model/resource.ts';
import { newResource, newScope, readResource, readScope, skipOrReject } from './decode-common-proto.ts';
import { ProtoReader, WireType } from './proto-reader.ts';
import { Rejections } from './rejections.ts';

/** Reads one record message of a scope (a span, a log record, a metric) and appends what it yields. */
export type RecordReader<R> = (
  r: ProtoReader,
  end: number,
  resource: Resource,
  scope: Scope,
  out: R[],
  rejections: Rejections,
) => void;

export interface DecodedEnvelope<R> {
  records: R[];
  rejected: number;
  errorMessage: string;
}

const LEN = WireType.LEN;

/**
 * The envelope all three OTLP export requests share (collector/{trace,metrics,logs}/v1):
 * request { resource_X = 1 } → Resource_X { resource = 1, scope_X = 2, schema_url = 3 }
 * → Scope_X { scope = 1, records = 2, schema_url = 3 }. Only the record message differs.
 */
export function decodeEnvelope<R>(
  body: Uint8Array,
  readRecord: RecordReader<R>,
  recordsLabel: string,
): DecodedEnvelope<R> {
  const r = new ProtoReader(body);
  const records: R[] = [];
  const rejections = new Rejections();
  const end = r.length;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | LEN)) readResourceGroup(r, r.lengthEnd(end), readRecord, records, rejections);
    else skipOrReject(r, tag, end, 1);
  }
  return { records, rejected: rejections.total, errorMessage: rejections.message(recordsLabel) };
}

function readResourceGroup<R>(
  r: ProtoReader,
  end: number,
  readRecord: RecordReader<R>,
  records: R[],
  rejections: Rejections,
): void {
  // Records share this object by reference, so fields arriving after the scopes still reach them.
  const resource = newResource();
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | LEN)) readResource(r, r.lengthEnd(end), resource);
    else if (tag === ((2 << 3) | LEN))
      readScopeGroup(r, r.lengthEnd(end), resource, readRecord, records, rejections);
    else if (tag === ((3 << 3) | LEN)) resource.schemaUrl = r.string(end);
    else skipOrReject(r, tag, end, 3);
  }
  r.checkEnd(end);
}

function readScopeGroup<R>(
  r: ProtoReader,
  end: number,
  resource: Resource,
  readRecord: RecordReader<R>,
  records: R[],
  rejections: Rejections,
): void {
  const scope = newScope();
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | LEN)) readScope(r, r.lengthEnd(end), scope);
    else if (tag === ((2 << 3) | LEN)) readRecord(r, r.lengthEnd(end), resource, scope, records, rejections);
    else if (tag === ((3 << 3) | LEN)) scope.schemaUrl = r.string(end);
    else skipOrReject(r, tag, end, 3);
  }
  r.checkEnd(end);
}
