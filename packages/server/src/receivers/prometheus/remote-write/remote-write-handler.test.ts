import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PromFamilyMetadata, PromSeriesColumns, PromSeriesSamples } from '../../../model/prom-series.ts';
import { seriesOfColumns } from '../../../model/prom-series.ts';
import type { SampleWriteResult } from '../../../storage/store.ts';
import { handleRemoteWrite, WRITTEN_HEADERS, type RemoteWriteInput } from './remote-write-handler.ts';
import { remoteWriteMetrics } from './remote-write-metrics.ts';
import { encodeV1, encodeV2, snappy, type TestSeries } from './remote-write-test-messages.ts';

const NOW_MS = 1_700_000_000_000;
const V1 = 'application/x-protobuf';
const V2 = 'application/x-protobuf;proto=io.prometheus.write.v2.Request';

/** A store that keeps the newest timestamp per series and rejects older ones, like the real one. */
class FakeStore {
  readonly written: PromSeriesSamples[] = [];
  readonly metadata: PromFamilyMetadata[] = [];
  private readonly newestMs = new Map<string, number>();

  writeSampleColumns(
    columns: PromSeriesColumns,
    metadata: PromFamilyMetadata[] = [],
  ): Promise<SampleWriteResult> {
    const series = seriesOfColumns(columns);
    let samplesWritten = 0;
    let samplesRejected = 0;
    for (const s of series) {
      const key = JSON.stringify([...s.labels]);
      for (const timestampMs of s.timestampsMs) {
        if (timestampMs <= (this.newestMs.get(key) ?? -Infinity)) samplesRejected++;
        else {
          this.newestMs.set(key, timestampMs);
          samplesWritten++;
        }
      }
      this.written.push(s);
    }
    this.metadata.push(...metadata);
    return Promise.resolve({ samplesWritten, samplesRejected });
  }
}

const up: TestSeries = { labels: { __name__: 'up', job: 'api' }, samples: [[NOW_MS, 1]] };

function send(store: FakeStore, input: Partial<RemoteWriteInput> & { body: Buffer }) {
  return handleRemoteWrite(
    store,
    { contentType: V1, contentEncoding: 'snappy', ...input },
    { maxDecodedBytes: 1 << 20, nowMs: () => NOW_MS },
  );
}

const refusals: {
  name: string;
  input: Partial<RemoteWriteInput> & { body: Buffer };
  status: number;
  text: RegExp;
}[] = [
  {
    name: 'JSON content type',
    input: { contentType: 'application/json', body: snappy(encodeV1([up])) },
    status: 415,
    text: /application\/x-protobuf/,
  },
  {
    name: 'unknown proto message',
    input: { contentType: 'application/x-protobuf;proto=foo.Bar', body: snappy(encodeV1([up])) },
    status: 415,
    text: /unknown remote write protobuf message/,
  },
  {
    name: 'malformed parameter',
    input: { contentType: 'application/x-protobuf;proto', body: snappy(encodeV1([up])) },
    status: 415,
    text: /key=value/,
  },
  {
    name: 'gzip encoding',
    input: { contentEncoding: 'gzip', body: snappy(encodeV1([up])) },
    status: 415,
    text: /gzip encoding .* only snappy/,
  },
  {
    name: 'body not snappy',
    input: { body: Buffer.from(encodeV1([up])) },
    status: 400,
    text: /snappy: corrupt input/,
  },
  {
    name: 'snappy of garbage protobuf',
    input: { body: snappy(Uint8Array.from([0x0a, 0x10, 0x01])) },
    status: 400,
    text: /decoding prometheus.WriteRequest: protobuf message truncated/,
  },
  {
    name: 'decoded size over the limit',
    input: { body: snappy(new Uint8Array(2 << 20)) },
    status: 413,
    text: /exceeds the limit/,
  },
];

for (const refusal of refusals) {
  void test(`remote write refuses ${refusal.name} with ${refusal.status}`, async () => {
    const store = new FakeStore();
    const answer = await send(store, refusal.input);
    assert.equal(answer.status, refusal.status);
    assert.match(answer.text, refusal.text);
    assert.equal(store.written.length, 0);
  });
}

void test('1.0: written samples answer 204 without 2.0 headers; absent headers mean 1.0 and snappy', async () => {
  const store = new FakeStore();
  const before = remoteWriteMetrics.samplesWritten.get({ protocol: 'prometheus.WriteRequest' });
  const answer = await send(store, {
    contentType: undefined,
    contentEncoding: undefined,
    body: snappy(encodeV1([up])),
  });
  assert.deepEqual(answer, { status: 204, headers: {}, text: '', protocol: 'prometheus.WriteRequest' });
  assert.equal(store.written.length, 1);
  assert.equal(remoteWriteMetrics.samplesWritten.get({ protocol: 'prometheus.WriteRequest' }) - before, 1);
});

void test('1.0: series with invalid labels are skipped with 204, as Prometheus does', async () => {
  const store = new FakeStore();
  const answer = await send(store, {
    body: snappy(encodeV1([{ labels: { job: 'x' }, samples: [[NOW_MS, 1]] }, up])),
  });
  assert.equal(answer.status, 204);
  assert.equal(store.written.length, 1);
});

void test('out-of-order samples: 400 that says so, the rest of the request still written', async () => {
  for (const [contentType, encode] of [
    [V1, (s: TestSeries[]) => encodeV1(s)],
    [V2, encodeV2],
  ] as const) {
    const store = new FakeStore();
    await send(store, { contentType, body: snappy(encode([up])) });
    const late: TestSeries = { labels: up.labels, samples: [[NOW_MS - 1000, 5]] };
    const fresh: TestSeries = { labels: { __name__: 'other' }, samples: [[NOW_MS, 2]] };
    const answer = await send(store, { contentType, body: snappy(encode([late, fresh])) });
    assert.equal(answer.status, 400, contentType);
    assert.match(answer.text, /1 samples rejected: out of order sample/);
    assert.equal(store.written.at(-1)?.labels.get('__name__'), 'other');
    if (contentType === V2) assert.equal(answer.headers[WRITTEN_HEADERS.samples], '1');
  }
});

void test('2.0: 204 with the written-count headers; exemplars are counted but not written', async () => {
  const store = new FakeStore();
  const series: TestSeries[] = [
    { ...up, exemplars: 2 },
    {
      labels: { __name__: 'b' },
      samples: [
        [NOW_MS, 1],
        [NOW_MS + 1, 2],
      ],
    },
  ];
  const answer = await send(store, { contentType: V2, body: snappy(encodeV2(series)) });
  assert.equal(answer.status, 204);
  assert.deepEqual(answer.headers, {
    [WRITTEN_HEADERS.samples]: '3',
    [WRITTEN_HEADERS.histograms]: '0',
    [WRITTEN_HEADERS.exemplars]: '0',
  });
});

void test('2.0: invalid labels and native histograms are a 400 partial write naming series by position', async () => {
  const store = new FakeStore();
  const series: TestSeries[] = [
    { labels: { job: 'x' }, samples: [[NOW_MS, 1]] },
    up,
    { labels: { __name__: 'h' }, samples: [], histograms: 1 },
  ];
  const answer = await send(store, { contentType: V2, body: snappy(encodeV2(series)) });
  assert.equal(answer.status, 400);
  assert.equal(
    answer.text,
    'series 0: no metric name (__name__ label)\nseries 2: native histograms are not supported\n',
  );
  assert.equal(answer.headers[WRITTEN_HEADERS.samples], '1');
  assert.equal(store.written.length, 1);
});

void test('2.0: a corrupt body still carries zero written-count headers', async () => {
  const answer = await send(new FakeStore(), { contentType: V2, body: Buffer.from('not snappy at all') });
  assert.equal(answer.status, 400);
  assert.equal(answer.headers[WRITTEN_HEADERS.samples], '0');
});

void test('samples more than 10 min ahead are refused with 400', async () => {
  const store = new FakeStore();
  const answer = await send(store, {
    body: snappy(encodeV1([{ labels: up.labels, samples: [[NOW_MS + 11 * 60_000, 1]] }])),
  });
  assert.equal(answer.status, 400);
  assert.match(answer.text, /too far in the future/);
});
