import { newAttributes } from '../../model/attributes.ts';
import type {
  Exemplar,
  ExponentialBuckets,
  MetricDescriptor,
  MetricPoint,
} from '../../model/metric-point.ts';
import type { Resource, Scope } from '../../model/resource.ts';
import { readAttribute, skipOrReject } from './decode-common-proto.ts';
import { WireType } from './proto-reader.ts';
import type { ProtoReader } from './proto-reader.ts';

/**
 * Readers for the five data point messages of metrics/v1/metrics.proto (v1.x). Every point type has
 * start_time_unix_nano=2 and time_unix_nano=3 as fixed64; the other field numbers differ per type.
 */

export type PointReader = (
  r: ProtoReader,
  end: number,
  metric: MetricDescriptor,
  resource: Resource,
  scope: Scope,
) => MetricPoint;

const LEN = WireType.LEN;
const VARINT = WireType.VARINT;
const I64 = WireType.I64;

function newPoint(metric: MetricDescriptor, resource: Resource, scope: Scope): MetricPoint {
  return {
    metric,
    resource,
    scope,
    attributes: newAttributes(),
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    flags: 0,
    exemplars: [],
  };
}

/** Fields 2 and 3, the timestamps every point type shares; false when `tag` is neither. */
function readPointTime(r: ProtoReader, tag: number, point: MetricPoint): boolean {
  if (tag === ((2 << 3) | I64)) point.startTimeUnixNano = r.fixed64();
  else if (tag === ((3 << 3) | I64)) point.timeUnixNano = r.fixed64();
  else return false;
  return true;
}

/** NumberDataPoint: attributes=7, as_double=4, exemplars=5, as_int=6 (sfixed64), flags=8. */
export const readNumberPoint: PointReader = (r, end, metric, resource, scope) => {
  const point = newPoint(metric, resource, scope);
  point.value = 0;
  point.valueIsInt = false;
  while (r.pos < end) {
    const tag = r.tag();
    if (readPointTime(r, tag, point)) continue;
    if (tag === ((4 << 3) | I64)) {
      point.value = r.double();
      point.valueIsInt = false;
    } else if (tag === ((5 << 3) | LEN)) point.exemplars.push(readExemplar(r, r.lengthEnd(end)));
    else if (tag === ((6 << 3) | I64)) {
      point.value = Number(r.sfixed64());
      point.valueIsInt = true;
    } else if (tag >>> 3 === 7) readAttribute(r, tag, end, point.attributes);
    else if (tag === ((8 << 3) | VARINT)) point.flags = r.uint32();
    else skipOrReject(r, tag, end, 8);
  }
  r.checkEnd(end);
  return point;
};

/**
 * HistogramDataPoint: count=4 (fixed64), sum=5, bucket_counts=6 (fixed64), explicit_bounds=7,
 * exemplars=8, attributes=9, flags=10, min=11, max=12.
 */
export const readHistogramPoint: PointReader = (r, end, metric, resource, scope) => {
  const point = newPoint(metric, resource, scope);
  const bucketCounts: number[] = [];
  const explicitBounds: number[] = [];
  point.count = 0;
  point.bucketCounts = bucketCounts;
  point.explicitBounds = explicitBounds;
  while (r.pos < end) {
    const tag = r.tag();
    if (readPointTime(r, tag, point)) continue;
    if (tag === ((4 << 3) | I64)) point.count = r.fixed64Number();
    else if (tag === ((5 << 3) | I64)) point.sum = r.double();
    else if (tag >>> 3 === 6) readRepeated(r, tag, end, I64, () => bucketCounts.push(r.fixed64Number()));
    else if (tag >>> 3 === 7) readRepeated(r, tag, end, I64, () => explicitBounds.push(r.double()));
    else if (tag === ((8 << 3) | LEN)) point.exemplars.push(readExemplar(r, r.lengthEnd(end)));
    else if (tag >>> 3 === 9) readAttribute(r, tag, end, point.attributes);
    else if (tag === ((10 << 3) | VARINT)) point.flags = r.uint32();
    else if (tag === ((11 << 3) | I64)) point.min = r.double();
    else if (tag === ((12 << 3) | I64)) point.max = r.double();
    else skipOrReject(r, tag, end, 12);
  }
  r.checkEnd(end);
  return point;
};

/**
 * ExponentialHistogramDataPoint: attributes=1, count=4, sum=5, scale=6 (sint32), zero_count=7,
 * positive=8, negative=9, flags=10, exemplars=11, min=12, max=13, zero_threshold=14.
 */
export const readExponentialHistogramPoint: PointReader = (r, end, metric, resource, scope) => {
  const point = newPoint(metric, resource, scope);
  point.count = 0;
  point.scale = 0;
  point.zeroCount = 0;
  point.zeroThreshold = 0;
  point.positive = { offset: 0, bucketCounts: [] };
  point.negative = { offset: 0, bucketCounts: [] };
  while (r.pos < end) {
    const tag = r.tag();
    if (readPointTime(r, tag, point)) continue;
    if (tag >>> 3 === 1) readAttribute(r, tag, end, point.attributes);
    else if (tag === ((4 << 3) | I64)) point.count = r.fixed64Number();
    else if (tag === ((5 << 3) | I64)) point.sum = r.double();
    else if (tag === ((6 << 3) | VARINT)) point.scale = r.sint32();
    else if (tag === ((7 << 3) | I64)) point.zeroCount = r.fixed64Number();
    else if (tag === ((8 << 3) | LEN)) point.positive = readBuckets(r, r.lengthEnd(end));
    else if (tag === ((9 << 3) | LEN)) point.negative = readBuckets(r, r.lengthEnd(end));
    else if (tag === ((10 << 3) | VARINT)) point.flags = r.uint32();
    else if (tag === ((11 << 3) | LEN)) point.exemplars.push(readExemplar(r, r.lengthEnd(end)));
    else if (tag === ((12 << 3) | I64)) point.min = r.double();
    else if (tag === ((13 << 3) | I64)) point.max = r.double();
    else if (tag === ((14 << 3) | I64)) point.zeroThreshold = r.double();
    else skipOrReject(r, tag, end, 14);
  }
  r.checkEnd(end);
  return point;
};

/** ExponentialHistogramDataPoint.Buckets: offset=1 (sint32), bucket_counts=2 (uint64 varints). */
function readBuckets(r: ProtoReader, end: number): ExponentialBuckets {
  const buckets: ExponentialBuckets = { offset: 0, bucketCounts: [] };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | VARINT)) buckets.offset = r.sint32();
    else if (tag >>> 3 === 2)
      readRepeated(r, tag, end, VARINT, () => buckets.bucketCounts.push(r.uint64Number()));
    else skipOrReject(r, tag, end, 2);
  }
  r.checkEnd(end);
  return buckets;
}

/** SummaryDataPoint: count=4 (fixed64), sum=5, quantile_values=6, attributes=7, flags=8. */
export const readSummaryPoint: PointReader = (r, end, metric, resource, scope) => {
  const point = newPoint(metric, resource, scope);
  const quantiles: { quantile: number; value: number }[] = [];
  point.count = 0;
  point.sum = 0;
  point.quantiles = quantiles;
  while (r.pos < end) {
    const tag = r.tag();
    if (readPointTime(r, tag, point)) continue;
    if (tag === ((4 << 3) | I64)) point.count = r.fixed64Number();
    else if (tag === ((5 << 3) | I64)) point.sum = r.double();
    else if (tag === ((6 << 3) | LEN)) quantiles.push(readValueAtQuantile(r, r.lengthEnd(end)));
    else if (tag >>> 3 === 7) readAttribute(r, tag, end, point.attributes);
    else if (tag === ((8 << 3) | VARINT)) point.flags = r.uint32();
    else skipOrReject(r, tag, end, 8);
  }
  r.checkEnd(end);
  return point;
};

/** SummaryDataPoint.ValueAtQuantile: quantile=1, value=2 (doubles). */
function readValueAtQuantile(r: ProtoReader, end: number): { quantile: number; value: number } {
  const quantile = { quantile: 0, value: 0 };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((1 << 3) | I64)) quantile.quantile = r.double();
    else if (tag === ((2 << 3) | I64)) quantile.value = r.double();
    else skipOrReject(r, tag, end, 2);
  }
  r.checkEnd(end);
  return quantile;
}

/**
 * Exemplar: time_unix_nano=2, as_double=3, span_id=4, trace_id=5, as_int=6 (sfixed64),
 * filtered_attributes=7. Ids of the wrong length are dropped, not the point: an exemplar is a hint.
 */
function readExemplar(r: ProtoReader, end: number): Exemplar {
  const exemplar: Exemplar = {
    timeUnixNano: 0n,
    value: 0,
    filteredAttributes: newAttributes(),
    traceId: '',
    spanId: '',
  };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((2 << 3) | I64)) exemplar.timeUnixNano = r.fixed64();
    else if (tag === ((3 << 3) | I64)) exemplar.value = r.double();
    else if (tag === ((4 << 3) | LEN)) exemplar.spanId = r.optionalId(end, 8) ?? '';
    else if (tag === ((5 << 3) | LEN)) exemplar.traceId = r.optionalId(end, 16) ?? '';
    else if (tag === ((6 << 3) | I64)) exemplar.value = Number(r.sfixed64());
    else if (tag >>> 3 === 7) readAttribute(r, tag, end, exemplar.filteredAttributes);
    else skipOrReject(r, tag, end, 7);
  }
  r.checkEnd(end);
  return exemplar;
}

/**
 * A repeated scalar field, packed (one LEN field) or not (one element per field): parsers must
 * accept both encodings whatever the .proto says (protobuf encoding guide, "Packed Repeated Fields").
 */
function readRepeated(
  r: ProtoReader,
  tag: number,
  limit: number,
  elementWireType: number,
  readOne: () => void,
): void {
  if ((tag & 7) === LEN) {
    const end = r.lengthEnd(limit);
    while (r.pos < end) readOne();
    r.checkEnd(end);
  } else {
    r.expect(tag, elementWireType);
    readOne();
  }
}
