import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RemoteWriteDecodeError, type DecodedWriteRequest } from './write-request.ts';
import { decodeWriteRequestV1 } from './decode-v1.ts';
import { decodeWriteRequestV2 } from './decode-v2.ts';
import {
  encodeV1,
  encodeV2,
  float64Bits,
  PROMETHEUS_STALE_NAN_BITS,
  withStaleMarker,
  type TestSeries,
} from './remote-write-test-messages.ts';
import { OtlpDecodeError } from '../../otlp/decode-error.ts';

const NOW_MS = 1_700_000_000_000;
const OPTIONS = { maxTimestampMs: NOW_MS + 600_000 };

/** Series as plain objects for deepEqual: labels sorted, samples as [t, v] pairs. */
function plain(decoded: DecodedWriteRequest): { labels: Record<string, string>; samples: number[][] }[] {
  return decoded.series.map((s) => ({
    labels: Object.fromEntries([...s.labels].sort(([a], [b]) => (a < b ? -1 : 1))),
    samples: [...s.timestampsMs].map((t, i) => [t, s.values[i]!]),
  }));
}

const decoders = [
  { version: '1.0', encode: (series: TestSeries[]) => encodeV1(series), decode: decodeWriteRequestV1 },
  { version: '2.0', encode: encodeV2, decode: decodeWriteRequestV2 },
] as const;

const cases: {
  name: string;
  series: TestSeries[];
  expected: ReturnType<typeof plain>;
  dropped?: Partial<DecodedWriteRequest['dropped']>;
  exemplars?: number;
}[] = [
  {
    name: 'one sample per series, empty-valued labels left out',
    series: [
      { labels: { __name__: 'up', job: 'api', instance: '' }, samples: [[NOW_MS, 1]] },
      { labels: { __name__: 'up', job: 'web' }, samples: [[NOW_MS, 0]] },
    ],
    expected: [
      { labels: { __name__: 'up', job: 'api' }, samples: [[NOW_MS, 1]] },
      { labels: { __name__: 'up', job: 'web' }, samples: [[NOW_MS, 0]] },
    ],
  },
  {
    name: 'several samples, negative and large timestamps, special values',
    series: [
      {
        labels: { __name__: 'x', 'utf8 ✓': 'é' },
        samples: [
          [-5, -1.5],
          [0, Infinity],
          [NOW_MS, 1e308],
        ],
      },
    ],
    expected: [
      {
        labels: { __name__: 'x', 'utf8 ✓': 'é' },
        samples: [
          [-5, -1.5],
          [0, Infinity],
          [NOW_MS, 1e308],
        ],
      },
    ],
  },
  {
    name: 'invalid labels dropped and counted',
    series: [
      {
        labels: { job: 'no-name' },
        samples: [
          [1, 1],
          [2, 2],
        ],
      },
      { labels: { __name__: 'ok' }, samples: [[1, 1]] },
    ],
    expected: [{ labels: { __name__: 'ok' }, samples: [[1, 1]] }],
    dropped: { invalid_labels: 2 },
  },
  {
    name: 'samples too far ahead dropped; histograms counted; exemplars counted',
    series: [
      {
        labels: { __name__: 'h' },
        samples: [
          [NOW_MS, 1],
          [NOW_MS + 601_000, 2],
        ],
        histograms: 2,
        exemplars: 3,
      },
    ],
    expected: [{ labels: { __name__: 'h' }, samples: [[NOW_MS, 1]] }],
    dropped: { too_far_in_future: 1, native_histogram_unsupported: 2 },
    exemplars: 3,
  },
];

for (const { version, encode, decode } of decoders) {
  for (const testCase of cases) {
    void test(`decode ${version}: ${testCase.name}`, () => {
      const decoded = decode(encode(testCase.series), OPTIONS);
      assert.deepEqual(plain(decoded), testCase.expected);
      assert.deepEqual(decoded.dropped, {
        invalid_labels: 0,
        too_far_in_future: 0,
        native_histogram_unsupported: 0,
        ...testCase.dropped,
      });
      assert.equal(decoded.exemplarCount, testCase.exemplars ?? 0);
      assert.equal(
        decoded.sampleCount,
        testCase.expected.reduce((sum, s) => sum + s.samples.length, 0),
      );
    });
  }

  void test(`decode ${version}: Prometheus's stale marker keeps its exact NaN bits`, () => {
    const marker = 123.456;
    const body = withStaleMarker(
      encode([
        {
          labels: { __name__: 's' },
          samples: [
            [1, 7],
            [2, marker],
          ],
        },
      ]),
      marker,
    );
    const [series] = decode(body, OPTIONS).series;
    assert.ok(series);
    assert.equal(series.values[0], 7);
    assert.equal(float64Bits(series.values[1]!), PROMETHEUS_STALE_NAN_BITS);
  });

  void test(`decode ${version}: a truncated body is a decode error, never a RangeError`, () => {
    const body = encode([{ labels: { __name__: 'x', job: 'j' }, samples: [[NOW_MS, 1]] }]);
    let failures = 0;
    // Cuts at a message boundary leave a valid, shorter message; every other cut must fail cleanly.
    for (let cut = 1; cut < body.length; cut++) {
      try {
        decode(body.subarray(0, cut), OPTIONS);
      } catch (error: unknown) {
        assert.ok(
          error instanceof OtlpDecodeError || error instanceof RemoteWriteDecodeError,
          `cut at ${cut}: ${String(error)}`,
        );
        failures++;
      }
    }
    assert.ok(failures >= (body.length - 1) * 0.8, `${failures} of ${body.length - 1} cuts failed`);
  });

  void test(`decode ${version}: many series grow the shared sample arrays correctly`, () => {
    const series: TestSeries[] = Array.from({ length: 3000 }, (_, i) => ({
      labels: { __name__: 'm', i: String(i) },
      samples: [[i, i * 2]],
    }));
    const decoded = decode(encode(series), OPTIONS);
    assert.equal(decoded.series.length, 3000);
    assert.deepEqual([...decoded.series[2999]!.timestampsMs], [2999]);
    assert.deepEqual([...decoded.series[2999]!.values], [5998]);
    assert.equal(decoded.series[1234]!.labels.get('i'), '1234');
  });
}

void test('decode 1.0: metadata per family', () => {
  const body = encodeV1(
    [],
    [
      { type: 1, family: 'http_requests_total', help: 'Requests.', unit: '' },
      { type: 9, family: 'odd', help: '', unit: 'seconds' },
    ],
  );
  assert.deepEqual(decodeWriteRequestV1(body, OPTIONS).metadata, [
    { metricFamily: 'http_requests_total', type: 'counter', help: 'Requests.', unit: '' },
    { metricFamily: 'odd', type: 'unknown', help: '', unit: 'seconds' },
  ]);
});

void test('decode 2.0: per-series metadata becomes family metadata, histogram suffixes stripped', () => {
  const body = encodeV2([
    {
      labels: { __name__: 'rpc_seconds_bucket', le: '1' },
      samples: [[1, 1]],
      metadata: [3, 'RPC latency.', 'seconds'],
    },
    {
      labels: { __name__: 'rpc_seconds_count' },
      samples: [[1, 1]],
      metadata: [3, 'RPC latency.', 'seconds'],
    },
    { labels: { __name__: 'temp' }, samples: [[1, 1]], metadata: [2, 'Temperature.', ''] },
    { labels: { __name__: 'plain' }, samples: [[1, 1]], metadata: [0, '', ''] },
  ]);
  assert.deepEqual(decodeWriteRequestV2(body, OPTIONS).metadata, [
    { metricFamily: 'rpc_seconds', type: 'histogram', help: 'RPC latency.', unit: 'seconds' },
    { metricFamily: 'temp', type: 'gauge', help: 'Temperature.', unit: '' },
  ]);
});

void test('decode 2.0: a symbol reference past the table is a decode error', () => {
  // Request{symbols: [''], timeseries: [{labels_refs: [0, 5]}]}
  const body = Uint8Array.from([0x22, 0x00, 0x2a, 0x04, 0x0a, 0x02, 0x00, 0x05]);
  assert.throws(() => decodeWriteRequestV2(body, OPTIONS), /symbol reference 5 out of range/);
});

void test('decode 2.0: an odd number of label refs is a decode error', () => {
  const body = Uint8Array.from([0x22, 0x00, 0x2a, 0x03, 0x0a, 0x01, 0x00]);
  assert.throws(() => decodeWriteRequestV2(body, OPTIONS), /odd number of label references/);
});
