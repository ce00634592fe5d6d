import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PromFamilyMetadata, PromSeriesSamples } from '../../../model/prom-series.ts';
import { PROM_STALE_NAN } from '../../../model/prom-series.ts';
import { decodeWriteRequestV1 } from '../../../receivers/prometheus/remote-write/decode-v1.ts';
import { encodeWriteRequests } from './write-request-encoder.ts';

const DECODE = { maxTimestampMs: Number.MAX_SAFE_INTEGER };

function series(labels: Record<string, string>, samples: [number, number][]): PromSeriesSamples {
  return {
    labels: new Map(Object.entries(labels)),
    timestampsMs: Float64Array.from(samples, ([t]) => t),
    values: Float64Array.from(samples, ([, v]) => v),
  };
}

function bits(values: Float64Array): string[] {
  return [...new BigUint64Array(Float64Array.from(values).buffer)].map((b) => b.toString(16));
}

/** `{labels}` → [[t, value bits]]: NaN payloads compared exactly. */
function table(all: readonly PromSeriesSamples[]): Record<string, [number, string][]> {
  const rows = all.map((s) => {
    const valueBits = bits(s.values);
    return [JSON.stringify([...s.labels].sort()), [...s.timestampsMs].map((t, i): [number, string] => [t, valueBits[i] ?? ''])] as const;
  });
  return Object.fromEntries(rows);
}

const SERIES = [
  series({ __name__: 'up', job: 'api', instance: 'a:1' }, [[1_700_000_000_000, 1], [1_700_000_015_000, 0]]),
  series({ job: 'web', __name__: 'http_requests_total', path: '/ä€😀' }, [[1_700_000_000_000, 12_345.5]]),
  series({ __name__: 'stale', job: 'api' }, [[1_700_000_000_000, PROM_STALE_NAN], [1_700_000_001_000, -0], [1_700_000_002_000, Infinity]]),
  series({ __name__: 'old', job: 'api' }, [[-1_000, 2]]),
];

const METADATA: PromFamilyMetadata[] = [
  { metricFamily: 'http_requests_total', type: 'counter', help: 'Requests.', unit: '' },
  { metricFamily: 'latency_seconds', type: 'histogram', help: '', unit: 'seconds' },
  { metricFamily: 'x', type: 'unknown', help: 'h', unit: 'u' },
];

void describe('encodeWriteRequests', () => {
  void it('round-trips through Vigil\'s remote-write 1.0 decoder: labels, times, value bits, metadata', () => {
    const bodies = encodeWriteRequests(SERIES, METADATA, 3_000_000);
    assert.equal(bodies.length, 2, 'series and metadata go in requests of their own');
    const decoded = decodeWriteRequestV1(bodies[0]!.protobuf, DECODE);
    assert.deepEqual(table(decoded.series), table(SERIES));
    assert.equal(bodies[0]!.samples, 7);
    const metadata = decodeWriteRequestV1(bodies[1]!.protobuf, DECODE).metadata;
    assert.deepEqual(metadata, METADATA);
  });

  void it('writes labels sorted by name, as remote_write_spec requires', () => {
    const [body] = encodeWriteRequests([series({ z: '1', __name__: 'm', a: '2' }, [[1, 1]])], [], 1_000);
    const text = Buffer.from(body!.protobuf).toString('latin1');
    // Label { name = 1 } fields: tag 0x0a, length, the name, then the value's tag 0x12.
    const at = (name: string): number => text.indexOf(`\x0a${String.fromCharCode(name.length)}${name}\x12`);
    const positions = ['__name__', 'a', 'z'].map(at);
    assert.ok(positions.every((p) => p > 0));
    assert.deepEqual([...positions].sort((x, y) => x - y), positions);
  });

  const splitCases: { name: string; maxBytes: number; requests: number }[] = [
    { name: 'everything fits in one request', maxBytes: 1_000_000, requests: 1 },
    { name: 'a small budget puts each series alone', maxBytes: 10, requests: 40 },
    // Each series takes 55 bytes on the wire: 7 fit in 400.
    { name: 'a middling budget groups several series', maxBytes: 400, requests: 6 },
  ];
  for (const c of splitCases) {
    void it(`splits at max_batch_size_bytes: ${c.name}`, () => {
      const many = Array.from({ length: 40 }, (_, i) => series({ __name__: 'm', i: String(i).padStart(3, '0') }, [[1_000, i], [2_000, i + 1]]));
      const bodies = encodeWriteRequests(many, [], c.maxBytes);
      assert.equal(bodies.length, c.requests);
      for (const body of bodies) if (c.maxBytes > 50) assert.ok(body.protobuf.length <= c.maxBytes, `${body.protobuf.length} bytes`);
      const decoded = bodies.flatMap((body) => decodeWriteRequestV1(body.protobuf, DECODE).series);
      assert.deepEqual(table(decoded), table(many), 'every series exactly once, in order');
      assert.equal(bodies.reduce((sum, b) => sum + b.samples, 0), 80);
    });
  }

  void it('leaves out series without samples and sends nothing for nothing', () => {
    assert.deepEqual(encodeWriteRequests([series({ __name__: 'empty' }, [])], [], 1_000), []);
  });
});
