/**
 * Round trips: our model → OTLP request bytes (proto and JSON) → Vigil's own receiver decoders →
 * the same records, for every field, attribute type and metric type.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from '../../../model/attributes.ts';
import type { LogRecord } from '../../../model/log-record.ts';
import type { MetricPoint } from '../../../model/metric-point.ts';
import type { Signal, SignalBatch } from '../../../model/signal.ts';
import { decodeOtlp } from '../../../receivers/otlp/decode.ts';
import {
  attrs,
  BASE_NANOS,
  everyTypeAttributes,
  hexId,
  makeLog,
  makeSpan,
  metricPointsOfEveryType,
  resource,
  richSpan,
  SCOPE,
} from '../../../storage/contract-fixtures.ts';
import { otlpEncoder, type OtlpEncoding } from './otlp-codec.ts';

const ENCODINGS: { encoding: OtlpEncoding; wire: 'protobuf' | 'json' }[] = [
  { encoding: 'proto', wire: 'protobuf' },
  { encoding: 'json', wire: 'json' },
];

function roundTrip<S extends Signal>(
  signal: S,
  encoding: (typeof ENCODINGS)[number],
  records: SignalBatch[S],
): SignalBatch[S] {
  const body = otlpEncoder(signal, encoding.encoding)(records);
  const decoded = decodeOtlp(signal, encoding.wire, body);
  assert.equal(decoded.rejected, 0, decoded.errorMessage);
  return decoded.records;
}

/** Drops keys holding undefined (decoders differ on absent vs undefined `optional double`s). */
function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripUndefined);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array || value instanceof Map)
    return value;
  const out = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = stripUndefined(item);
  return out;
}

/**
 * What the wire can carry: the defaults a decoder fills for fields a fixture leaves out, and no
 * temporality on gauges and summaries, no monotonicity outside sums, no exemplars on summaries
 * (metrics.proto has no such fields).
 */
function asOnTheWire(point: MetricPoint): MetricPoint {
  const { type } = point.metric;
  const metric = {
    ...point.metric,
    temporality: type === 'gauge' || type === 'summary' ? 0 : point.metric.temporality,
    isMonotonic: type === 'sum' && point.metric.isMonotonic,
  } as const;
  switch (type) {
    case 'gauge':
    case 'sum':
      return { ...point, metric, valueIsInt: point.valueIsInt ?? false };
    case 'exponential_histogram':
      return { zeroThreshold: 0, negative: { offset: 0, bucketCounts: [] }, ...point, metric };
    case 'summary':
      return { ...point, metric, exemplars: [] };
    default:
      return { ...point, metric };
  }
}

const bySpanId = (a: { spanId: string }, b: { spanId: string }): number => a.spanId.localeCompare(b.spanId);

function everyValueBody(): AttributeValue[] {
  const values = everyTypeAttributes();
  return Object.keys(values).map((key) => values[key] ?? null);
}

describe('OTLP encoders round-trip through the receiver decoders', () => {
  for (const encoding of ENCODINGS) {
    it(`traces (${encoding.encoding}): every span field, events, links, flags`, () => {
      const plain = makeSpan({ trace: 1, span: 2 });
      const otherResource = { ...makeSpan({ trace: 1, span: 3, parent: 2 }), resource: resource('other') };
      const spans = [richSpan(), plain, otherResource, { ...plain, spanId: hexId(4, 16), kind: 5 as const }];
      const decoded = roundTrip('traces', encoding, spans);
      assert.deepEqual(
        stripUndefined([...decoded].sort(bySpanId)),
        stripUndefined([...spans].sort(bySpanId)),
      );
    });

    it(`traces (${encoding.encoding}): equal resources and scopes are sent once`, () => {
      // Distinct objects with equal contents, as after a processor's copy-on-write.
      const a = makeSpan({ trace: 1, span: 1, resource: resource('svc') });
      const b = { ...makeSpan({ trace: 1, span: 2, resource: resource('svc') }), scope: { ...SCOPE } };
      const c = makeSpan({ trace: 1, span: 3, resource: resource('svc', { extra: 1n }) });
      const decoded = roundTrip('traces', encoding, [a, c, b]);
      const [da, db, dc] = decoded;
      assert.equal(da?.resource, db?.resource);
      assert.equal(da?.scope, db?.scope);
      assert.notEqual(da?.resource, dc?.resource);
      assert.deepEqual(
        decoded.map((s) => s.spanId),
        [a.spanId, b.spanId, c.spanId],
      );
    });

    it(`metrics (${encoding.encoding}): every type, exemplars, min/max, flags, int values`, () => {
      const points = metricPointsOfEveryType().map((point, i) => ({
        ...point,
        flags: i % 2,
        attributes: i === 0 ? everyTypeAttributes() : point.attributes,
        exemplars: [
          {
            timeUnixNano: BASE_NANOS + BigInt(i),
            value: i + 0.5,
            filteredAttributes: attrs({ user: `u${i}`, n: BigInt(i) }),
            traceId: hexId(i + 10, 32),
            spanId: hexId(i + 20, 16),
          },
          { timeUnixNano: BASE_NANOS, value: -3, filteredAttributes: attrs({}), traceId: '', spanId: '' },
        ],
      }));
      const [gauge, sum, histogram, exponential, summary] = points as [
        MetricPoint,
        MetricPoint,
        MetricPoint,
        MetricPoint,
        MetricPoint,
      ];
      const extra: MetricPoint[] = [
        { ...gauge, value: NaN, timeUnixNano: BASE_NANOS + 100n },
        { ...sum, value: -7, valueIsInt: true, timeUnixNano: BASE_NANOS + 101n },
        { ...histogram, min: 0, max: 9.5, sum: undefined, timeUnixNano: BASE_NANOS + 102n },
        {
          ...exponential,
          min: -1,
          max: 2,
          zeroThreshold: 1e-9,
          scale: 3,
          negative: { offset: -2, bucketCounts: [4, 0, 5] },
          timeUnixNano: BASE_NANOS + 103n,
        },
        { ...summary, quantiles: [], timeUnixNano: BASE_NANOS + 104n },
        {
          ...gauge,
          metric: { ...gauge.metric, metadata: attrs({ 'meta.k': 'v' }) },
          timeUnixNano: BASE_NANOS + 105n,
        },
        {
          ...sum,
          metric: { ...sum.metric, temporality: 1, isMonotonic: false },
          timeUnixNano: BASE_NANOS + 106n,
        },
      ];
      const all = [...points, ...extra];
      const decoded = roundTrip('metrics', encoding, all);
      const key = (p: MetricPoint): string => `${p.metric.name}/${p.metric.temporality}/${p.timeUnixNano}`;
      const sortByKey = (list: MetricPoint[]): MetricPoint[] =>
        [...list].sort((a, b) => key(a).localeCompare(key(b)));
      assert.deepEqual(stripUndefined(sortByKey(decoded)), stripUndefined(sortByKey(all.map(asOnTheWire))));
    });

    it(`logs (${encoding.encoding}): every body type, ids, flags, event name`, () => {
      const logs: LogRecord[] = everyValueBody().map((body, n) =>
        makeLog(n, {
          body,
          flags: n % 2,
          severityNumber: n % 25,
          traceId: n % 3 === 0 ? '' : hexId(n + 1, 32),
          spanId: n % 3 === 0 ? '' : hexId(n + 1, 16),
          eventName: n === 1 ? 'gen_ai.prompt' : '',
          attributes: n === 2 ? everyTypeAttributes() : attrs({ n: BigInt(n) }),
          droppedAttributesCount: n,
        }),
      );
      logs.push(makeLog(99, { body: null, timeUnixNano: 0n, resource: resource('other') }));
      const decoded = roundTrip('logs', encoding, logs);
      const byTime = (a: LogRecord, b: LogRecord): number =>
        a.observedTimeUnixNano < b.observedTimeUnixNano
          ? -1
          : a.observedTimeUnixNano > b.observedTimeUnixNano
            ? 1
            : 0;
      assert.deepEqual(stripUndefined([...decoded].sort(byTime)), stripUndefined([...logs].sort(byTime)));
    });
  }
});
