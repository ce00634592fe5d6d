import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from '../../model/attributes.ts';
import type { Span } from '../../model/span.ts';
import { attrs, makeSpan, resource } from '../../storage/contract-fixtures.ts';
import { MlAnalytics } from './ml-analytics.ts';
import { inferenceSpans, T0_MS, timed, workload } from './synthetic-spans.ts';

const MINUTE_MS = 60_000;

function chatSpan(
  endMs: number,
  durationMs: number,
  attributes: Record<string, AttributeValue>,
  status: 0 | 2 = 0,
): Span {
  return timed(
    makeSpan({
      trace: 9,
      span: endMs,
      name: 'chat',
      status,
      attributes: attrs(attributes),
      resource: resource('assistant'),
    }),
    endMs,
    durationMs,
  );
}

describe('MlAnalytics', () => {
  it('summarises GenAI tokens per second, time to first token and cost from known spans', async () => {
    const ml = new MlAnalytics({
      nowMs: () => T0_MS + MINUTE_MS,
      genAiPrices: { 'gpt-4o-2024-08-06': { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 } },
    });
    const first = chatSpan(T0_MS + 1_000, 1_000, {
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 100n,
      'gen_ai.usage.output_tokens': 50n,
      'gen_ai.server.time_to_first_token': 0.2,
    });
    const second = {
      ...chatSpan(
        T0_MS + 5_000,
        3_000,
        {
          'gen_ai.response.model': 'gpt-4o-2024-08-06',
          'gen_ai.usage.input_tokens': 200n,
          'gen_ai.usage.output_tokens': 150n,
        },
        2,
      ),
      events: [
        {
          name: 'gen_ai.choice',
          timeUnixNano: BigInt(T0_MS + 2_300) * 1_000_000n,
          attributes: attrs({}),
          droppedAttributesCount: 0,
        },
      ],
    };
    const unpriced = chatSpan(T0_MS + 6_000, 500, {
      'gen_ai.request.model': 'llama-3',
      'gen_ai.provider.name': 'ollama',
    });
    await ml.consume([first, second, unpriced]);
    const [gpt, llama] = ml.genAi({ startMs: T0_MS, endMs: T0_MS + MINUTE_MS });
    assert.equal(gpt?.model, 'gpt-4o-2024-08-06');
    assert.equal(gpt.system, 'openai');
    assert.equal(gpt.requests, 2);
    assert.equal(gpt.errors, 1);
    assert.deepEqual([gpt.inputTokens, gpt.outputTokens], [300, 200]);
    // 200 output tokens over 1 s + 3 s.
    assert.equal(gpt.outputTokensPerSecond, 50);
    // TTFT 200 ms (attribute) and 300 ms (event at +300 ms); the sketch is within 1%.
    assert.ok(Math.abs(gpt.timeToFirstTokenMs.p50! - 200) <= 2, `p50 ${gpt.timeToFirstTokenMs.p50}`);
    assert.equal(gpt.timeToFirstTokenMs.mean, 250);
    // (300 · 2.5 + 200 · 10) / 10⁶ / 2 requests = 0.001375 USD.
    assert.ok(Math.abs(gpt.costPerRequestUsd! - 0.001375) < 1e-12);
    assert.equal(llama?.system, 'ollama');
    assert.equal(llama.costPerRequestUsd, null);
    assert.equal(llama.outputTokensPerSecond, null);
  });

  it('lists deployments in a range with the version they replaced', async () => {
    const ml = new MlAnalytics({ nowMs: () => T0_MS + 20 * MINUTE_MS });
    await ml.consume(workload(31, 1_000, T0_MS, 10 * MINUTE_MS, [{ version: '3.1.0', share: 1 }]));
    await ml.consume(
      workload(32, 1_000, T0_MS + 10 * MINUTE_MS, 10 * MINUTE_MS, [
        { version: '3.1.0', share: 0.9 },
        { version: '3.2.0', share: 0.1 },
      ]),
    );
    const markers = ml.deployments({ startMs: T0_MS, endMs: T0_MS + 20 * MINUTE_MS });
    assert.equal(markers.length, 1);
    assert.deepEqual(
      { ...markers[0], firstSeenMs: undefined },
      { model: 'fraud-detector', version: '3.2.0', previousVersion: '3.1.0', firstSeenMs: undefined },
    );
    assert.ok(markers[0]!.firstSeenMs >= T0_MS + 10 * MINUTE_MS);
    assert.deepEqual(ml.deployments({ startMs: T0_MS, endMs: T0_MS + 10 * MINUTE_MS }), []);
    const [model] = ml.models({ startMs: T0_MS + 10 * MINUTE_MS, endMs: T0_MS + 20 * MINUTE_MS });
    assert.deepEqual(
      model?.versions.map((v) => v.version),
      ['3.1.0', '3.2.0'],
    );
  });

  it('draws a latency timeline per step of whole slots, showing a slowdown where it starts', async () => {
    const ml = new MlAnalytics({ nowMs: () => T0_MS + 10 * MINUTE_MS });
    await ml.consume(workload(33, 2_000, T0_MS, 5 * MINUTE_MS, [{ version: '1', share: 1 }]));
    await ml.consume(
      workload(34, 2_000, T0_MS + 5 * MINUTE_MS, 5 * MINUTE_MS, [{ version: '1', share: 1, slowdown: 2 }]),
    );
    const points = ml.latencyTimeline(
      'fraud-detector',
      '1',
      { startMs: T0_MS, endMs: T0_MS + 10 * MINUTE_MS },
      100_000,
    );
    assert.deepEqual(
      points.map((p) => p.startMs - T0_MS),
      [0, 2, 4, 6, 8].map((m) => m * MINUTE_MS),
      'step rounded up to 2 slots',
    );
    assert.equal(
      points.reduce((sum, p) => sum + p.requests, 0),
      4_000,
    );
    // Median 40 ms, then 80 ms; the 4th point straddles the change.
    assert.ok(
      Math.abs(points[0]!.p50Ms! - 40) < 2 && Math.abs(points[4]!.p50Ms! - 80) < 4,
      `${points[0]!.p50Ms} ${points[4]!.p50Ms}`,
    );
    assert.deepEqual(
      ml.latencyTimeline(
        'fraud-detector',
        'missing',
        { startMs: T0_MS, endMs: T0_MS + MINUTE_MS },
        MINUTE_MS,
      ),
      [],
    );
  });

  it('reports phase latencies and placements', async () => {
    const ml = new MlAnalytics({ nowMs: () => T0_MS + MINUTE_MS });
    await ml.consume(
      inferenceSpans({ version: '1', endMs: T0_MS, latencyMs: 40, gpuMs: 28, featureCount: 10 }),
    );
    const phases = ml.phaseLatency('fraud-detector', '1', { startMs: T0_MS, endMs: T0_MS + MINUTE_MS });
    assert.equal(phases.forwardPass.mean, 28);
    assert.equal(phases.preprocess.mean, 1);
    assert.equal(phases.postprocess.mean, null);
    assert.deepEqual(ml.placements(), [
      { model: 'fraud-detector', version: '1', host: 'gpu-node-1', gpus: [] },
    ]);
  });
});
