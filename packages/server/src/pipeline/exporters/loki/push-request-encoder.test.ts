import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uncompressSync } from 'snappy';
import { decodePushRequestJson } from '../../../receivers/loki/decode-push-json.ts';
import { decodePushRequestProto } from '../../../receivers/loki/decode-push-proto.ts';
import type { LokiStream } from '../../../receivers/loki/push-request.ts';
import { BASE_NANOS, makeLog, resource } from '../../../storage/contract-fixtures.ts';
import type { DefaultLabelsEnabled } from './loki-labels.ts';
import { createLokiCodec, type LokiSettings } from './loki-exporter.ts';
import { encodePushRequestJson, encodePushRequestProto, labelsText, type PushStream } from './push-request-encoder.ts';

const STREAMS: PushStream[] = [
  {
    labels: new Map([['job', 'api'], ['exporter', 'OTLP'], ['quote', 'a "b" \\ c\nd\u0001é😀']]),
    entries: [
      { timeUnixNano: BASE_NANOS, line: '{"body":"x"}' },
      { timeUnixNano: 1_000_000_000n, line: 'whole second' },
      { timeUnixNano: 7n, line: 'before one second' },
    ],
  },
  { labels: new Map([['job', 'web']]), entries: [{ timeUnixNano: BASE_NANOS + 1n, line: '' }] },
];

/** The decoders' shape for the streams we meant to send (labels sorted by name). */
function expected(streams: readonly PushStream[]): LokiStream[] {
  return streams.map((s) => ({
    labels: [...s.labels].sort(([a], [b]) => (a < b ? -1 : 1)),
    entries: s.entries.map((e) => ({ timeUnixNano: e.timeUnixNano, line: e.line, structuredMetadata: [] })),
  }));
}

const ALL: DefaultLabelsEnabled = { exporter: true, job: true, instance: true, level: true };

function codec(format: LokiSettings['format']): ReturnType<typeof createLokiCodec> {
  const settings: LokiSettings = { http: { url: 'http://x', headers: {} }, defaultLabelsEnabled: ALL, format, sending: { timeoutMs: 1, queue: { enabled: false, numConsumers: 1, queueSize: 1 }, retry: { enabled: false, initialIntervalMs: 1, randomizationFactor: 0, multiplier: 1, maxIntervalMs: 1, maxElapsedMs: 1 } } };
  return createLokiCodec(settings, { log: () => {}, nowMs: () => 1_700_000_000_000 });
}

void describe('Loki push bodies', () => {
  void it('protobuf round-trips through Vigil\'s logproto decoder: labels (Go-quoted), exact nanoseconds, lines', () => {
    assert.deepEqual(decodePushRequestProto(encodePushRequestProto(STREAMS)), expected(STREAMS));
  });

  void it('JSON round-trips through Vigil\'s JSON push decoder', () => {
    assert.deepEqual(decodePushRequestJson(Buffer.from(encodePushRequestJson(STREAMS))), expected(STREAMS));
  });

  void it('labels are written as Prometheus LabelSet.String writes them', () => {
    assert.equal(labelsText(new Map([['level', 'INFO'], ['job', 'a/b']])), '{job="a/b", level="INFO"}');
  });

  for (const format of ['protobuf', 'json'] as const) {
    void it(`codec (${format}): one request per batch, records grouped into streams by labels`, () => {
      const records = [
        makeLog(1),
        makeLog(2, { severityNumber: 17, severityText: 'ERROR' }),
        makeLog(3),
        makeLog(4, { resource: resource('web') }),
        makeLog(5, { timeUnixNano: 0n, observedTimeUnixNano: 0n }),
      ];
      const requests = codec(format).encode(records);
      assert.equal(requests.length, 1);
      assert.equal(requests[0]?.items, 5);
      const body = requests[0]?.body ?? new Uint8Array();
      const streams = format === 'json' ? decodePushRequestJson(Buffer.from(body)) : decodePushRequestProto(Buffer.from(uncompressSync(body)));
      assert.deepEqual(
        streams.map((s) => [Object.fromEntries(s.labels), s.entries.length]),
        [
          [{ exporter: 'OTLP', job: 'predictor', level: 'INFO' }, 3],
          [{ exporter: 'OTLP', job: 'predictor', level: 'ERROR' }, 1],
          [{ exporter: 'OTLP', job: 'web', level: 'INFO' }, 1],
        ],
      );
      assert.equal(streams[0]?.entries[2]?.timeUnixNano, 1_700_000_000_000_000_000n, 'no time: now');
      assert.deepEqual(JSON.parse(streams[0]?.entries[0]?.line ?? ''), {
        body: 'request 1 served',
        severity: 'INFO',
        attributes: { n: 1 },
        resources: { 'service.name': 'predictor' },
        instrumentation_scope: { name: 'vigil.test', version: '1.2.3' },
      });
    });
  }

  void it('codec drops records it cannot send, sends nothing for nothing', () => {
    const dropped = [makeLog(1, { body: NaN }), makeLog(2, { attributes: Object.assign(Object.create(null) as Record<string, string>, { 'loki.format': 'logfmt' }) })];
    assert.deepEqual(codec('protobuf').encode(dropped), []);
  });
});
