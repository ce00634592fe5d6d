import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { performance } from 'node:perf_hooks';
import type { Span } from '../../model/span.ts';
import { attrs, makeSpan, resource } from '../../storage/contract-fixtures.ts';
import type { MlEngineOptions } from './engine-options.ts';
import { OTHER_CLASS } from './engine-options.ts';
import type { MlEngineSnapshot } from './engine-snapshot.ts';
import { MlAnalytics } from './ml-analytics.ts';
import { modelResource, T0_MS, timed, workload } from './synthetic-spans.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const NOW_MS = T0_MS + 10 * MINUTE_MS;
const ALL = { startMs: T0_MS, endMs: NOW_MS };
const MODEL = 'fraud-detector';
const PRICES = { 'gpt-4o': { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 } };

function engine(nowMs = NOW_MS, options: Partial<MlEngineOptions> = {}): MlAnalytics {
  return new MlAnalytics({ nowMs: () => nowMs, genAiPrices: PRICES, ...options });
}

function chatSpan(endMs: number, inputTokens: bigint): Span {
  const chat = makeSpan({
    trace: 1,
    span: endMs,
    name: 'chat',
    resource: resource('assistant'),
    attributes: attrs({
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': inputTokens,
      'gen_ai.usage.output_tokens': 100n,
      'gen_ai.server.time_to_first_token': 0.5,
    }),
  });
  return timed(chat, endMs, 2_000);
}

/**
 * The demo's story in 10 minutes: 5 of 3.1.0 alone (GPU 0), then a 10% canary 3.2.0 (GPU 1) that is
 * 15% slower while 3.1.0's scores shift; plus GenAI calls. Every query has something to say.
 */
async function fed(ml: MlAnalytics, seed = 41): Promise<MlAnalytics> {
  const stable = { version: '3.1.0', resource: modelResource(MODEL, '3.1.0', { 'gpu.id': '0' }) };
  const canary = { version: '3.2.0', resource: modelResource(MODEL, '3.2.0', { 'gpu.id': '1' }) };
  await ml.consume(workload(seed, 5_000, T0_MS, 5 * MINUTE_MS, [{ ...stable, share: 1, nullRate: 0.01 }]));
  await ml.consume(
    workload(seed + 1, 10_000, T0_MS + 5 * MINUTE_MS, 5 * MINUTE_MS, [
      { ...stable, share: 0.9, scoreShift: 0.1, errorRate: 0.01 },
      { ...canary, share: 0.1, slowdown: 1.15, errorRate: 0.02 },
    ]),
  );
  await ml.consume([1, 4, 8].map((minute) => chatSpan(T0_MS + minute * MINUTE_MS, 1000n * BigInt(minute))));
  return ml;
}

/** Every query the API makes, over the fed data. */
function answers(ml: MlAnalytics): Record<string, unknown> {
  const current = { startMs: T0_MS + 5 * MINUTE_MS, endMs: NOW_MS };
  return {
    models: ml.models(ALL),
    deployments: ml.deployments(ALL),
    compare: ml.compare(MODEL, '3.1.0', '3.2.0', current, { iterations: 200 }),
    driftPrevious: ml.drift(MODEL, '3.1.0', current, { kind: 'previous' }),
    driftRange: ml.drift(MODEL, '3.1.0', current, {
      kind: 'range',
      range: { startMs: T0_MS, endMs: T0_MS + 2 * MINUTE_MS },
    }),
    latencyTimeline: ml.latencyTimeline(MODEL, '3.2.0', ALL, MINUTE_MS),
    phaseLatency: ml.phaseLatency(MODEL, '3.1.0', ALL),
    placements: ml.placements(),
    genAi: ml.genAi(ALL),
    derivedSeries: ml.derivedSeries(NOW_MS),
    counters: { ...ml.counters },
  };
}

/** A snapshot as it comes back from disk. */
function throughJson(snapshot: MlEngineSnapshot): unknown {
  return JSON.parse(JSON.stringify(snapshot));
}

describe('MlAnalytics.snapshot / restore', () => {
  it('answers every query identically after a round trip through JSON', async () => {
    const original = await fed(engine());
    const restored = engine();
    const result = restored.restore(throughJson(original.snapshot()));
    const expected = answers(original);
    // Guard against comparing two empty engines: the data is there and the canary is seen.
    const [model] = expected['models'] as ReturnType<MlAnalytics['models']>;
    assert.equal(model?.requests, 15_000);
    assert.equal((expected['deployments'] as unknown[]).length, 1);
    assert.deepEqual(answers(restored), expected);
    // 10 slots of 3.1.0, 5 of 3.2.0, 3 GenAI slots.
    assert.deepEqual(result, {
      slotMsMismatch: null,
      versionsRestored: 2,
      versionsDropped: 0,
      slotsRestored: 18,
      slotsDropped: 0,
      genAiModelsRestored: 1,
      genAiModelsDropped: 0,
      featureKeysDropped: 0,
      classesFolded: 0,
    });
    assert.deepEqual(throughJson(restored.snapshot()), throughJson(original.snapshot()));
  });

  it('drops slots older than the retention at restore time, and versions not seen within it', async () => {
    const snapshot = throughJson((await fed(engine())).snapshot());
    // 6 h 5 min later only the last 5 minutes are inside the 6 h retention.
    const later = engine(NOW_MS + 6 * HOUR_MS - 5 * MINUTE_MS);
    const result = later.restore(snapshot);
    // 3.1.0's first 5 slots; GenAI's slots at minutes 1 and 4.
    assert.equal(result.slotsDropped, 5 + 2);
    assert.equal(result.slotsRestored, 5 + 5 + 1);
    const lastFive = { startMs: T0_MS + 5 * MINUTE_MS, endMs: NOW_MS };
    const [expected] = (await fed(engine())).models(lastFive);
    const [model] = later.models(ALL);
    assert.deepEqual(
      model?.versions.map((v) => [v.version, v.requests, v.latencyMs]),
      expected?.versions.map((v) => [v.version, v.requests, v.latencyMs]),
    );
    assert.deepEqual(
      later.genAi(ALL).map((g) => g.inputTokens),
      [8_000],
    );

    const tooLate = engine(NOW_MS + 6 * HOUR_MS + MINUTE_MS);
    const none = tooLate.restore(snapshot);
    assert.deepEqual([none.versionsDropped, none.genAiModelsDropped, none.slotsRestored], [2, 1, 0]);
    assert.deepEqual(tooLate.models(ALL), []);
  });

  it('restores nothing when the slot width differs, and says so', async () => {
    const snapshot = throughJson((await fed(engine())).snapshot());
    const narrower = engine(NOW_MS, { slotMs: 30_000 });
    const result = narrower.restore(snapshot);
    assert.deepEqual(result.slotMsMismatch, { snapshotSlotMs: 60_000, engineSlotMs: 30_000 });
    assert.deepEqual([result.versionsRestored, result.slotsRestored], [0, 0]);
    assert.deepEqual(narrower.models(ALL), []);
    assert.equal(narrower.counters.modelSpans, 0);
  });

  it('merges into an engine that already has data: counts add, sketches merge', async () => {
    const first = await fed(engine(), 41);
    const target = await fed(engine(), 51);
    const both = await fed(await fed(engine(), 41), 51);
    target.restore(throughJson(first.snapshot()));
    const [merged] = target.models(ALL);
    const [direct] = both.models(ALL);
    assert.equal(merged?.requests, 30_000);
    // Σ latency and Σ GPU seconds are added in another order, so they may differ in the last bits.
    const close = (x: number | null) => (x === null ? null : Number(x.toPrecision(12)));
    const pick = (v: NonNullable<typeof direct>['versions'][number]) => ({
      ...v,
      latencyMs: { ...v.latencyMs, mean: close(v.latencyMs.mean) },
      gpuSecondsPerRequest: close(v.gpuSecondsPerRequest),
    });
    assert.deepEqual(merged.versions.map(pick), direct?.versions.map(pick));
    const total = (ml: MlAnalytics) =>
      ml
        .derivedSeries(NOW_MS)
        .filter((s) => s.labels.get('__name__') === 'vigil_ml_requests_total')
        .map((s) => s.values[0]);
    assert.deepEqual(total(target), total(both));
    assert.deepEqual(target.counters, both.counters);
    assert.equal(target.genAi(ALL)[0]?.requests, 6);
  });

  const limitCases: {
    name: string;
    limits: MlEngineOptions['limits'];
    check: (result: ReturnType<MlAnalytics['restore']>, snapshot: MlEngineSnapshot) => void;
  }[] = [
    {
      name: 'maxVersions',
      limits: { maxVersions: 1 },
      check: (result, snapshot) => {
        assert.deepEqual([result.versionsRestored, result.versionsDropped, result.slotsDropped], [1, 1, 5]);
        assert.deepEqual(
          snapshot.versions.map((v) => v.version),
          ['3.1.0'],
        );
        // GenAI models count against the same limit separately, as at ingest.
        assert.equal(result.genAiModelsRestored, 1);
      },
    },
    {
      name: 'maxFeatures',
      limits: { maxFeatures: 1 },
      check: (result, snapshot) => {
        const [stable] = snapshot.versions;
        assert.deepEqual(stable?.featureKeys, ['ml.request.batch_size']);
        // txn.amount, feature_count and null_count are dropped, in every slot.
        assert.equal(result.featureKeysDropped, 2 * 3);
        const keys = new Set(stable?.slots.flatMap(([, slot]) => slot.features.map(([key]) => key)));
        assert.deepEqual([...keys], ['ml.request.batch_size']);
      },
    },
    {
      name: 'maxClasses',
      limits: { maxClasses: 1 },
      check: (result, snapshot) => {
        const [stable] = snapshot.versions;
        assert.equal(result.classesFolded, 2);
        const counts = new Map<string, number>();
        for (const [, slot] of stable!.slots)
          for (const [name, n] of slot.classes) counts.set(name, (counts.get(name) ?? 0) + n);
        // Every prediction is still counted: legit kept, fraud under __other__.
        assert.deepEqual([...counts.keys()].sort(), [OTHER_CLASS, 'legit']);
        assert.equal(
          [...counts.values()].reduce((a, b) => a + b),
          stable?.requestsTotal,
        );
      },
    },
  ];
  for (const { name, limits, check } of limitCases)
    it(`respects ${name} when restoring`, async () => {
      const snapshot = throughJson((await fed(engine())).snapshot());
      const limited = engine(NOW_MS, { limits });
      const result = limited.restore(snapshot);
      check(result, limited.snapshot());
    });
});

describe('MlAnalytics.snapshot size', () => {
  it('prints the size and timing of 2 versions × 360 slots (6 h of 1-minute slots)', async () => {
    const endMs = T0_MS + 6 * HOUR_MS;
    const ml = engine(endMs);
    // 100 requests per version per minute, one hour per batch to keep the span arrays small.
    for (let hour = 0; hour < 6; hour++)
      await ml.consume(
        workload(70 + hour, 12_000, T0_MS + hour * HOUR_MS, HOUR_MS, [
          { version: '3.1.0', share: 0.5 },
          { version: '3.2.0', share: 0.5, slowdown: 1.15 },
        ]),
      );
    const startedMs = performance.now();
    const snapshot = ml.snapshot();
    const text = JSON.stringify(snapshot);
    const serialisedMs = performance.now() - startedMs;
    const parseStartedMs = performance.now();
    const restored = engine(endMs);
    const result = restored.restore(JSON.parse(text));
    const restoredMs = performance.now() - parseStartedMs;
    assert.equal(result.slotsRestored, 2 * 360);
    assert.deepEqual(restored.models({ startMs: T0_MS, endMs }), ml.models({ startMs: T0_MS, endMs }));
    console.log(
      `ML engine snapshot, 2 versions × 360 slots, 100 requests/version/slot: ` +
        `${(text.length / 1024).toFixed(0)} KiB JSON; snapshot+stringify ${serialisedMs.toFixed(0)} ms; ` +
        `parse+restore ${restoredMs.toFixed(0)} ms`,
    );
  });
});
