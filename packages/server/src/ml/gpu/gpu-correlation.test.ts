/**
 * GPU correlation over synthetic DCGM series and p99 timelines (gpu-correlation-test-world.ts).
 * Expected magnitudes are computed by hand in the comments; noisy runs use a seeded PRNG.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { correlateGpuLatency } from './gpu-correlation.ts';
import type { DcgmSeriesSource, GpuCorrelationReport, GpuTroubleSignal } from './gpu-correlation-types.ts';
import {
  buildWorld,
  correlate,
  MODEL,
  PLACEMENTS,
  RANGE,
  slowerWhileThrottled,
  STEP_MS,
  T,
  T0,
  throttledGpu1,
  within,
} from './gpu-correlation-test-world.ts';
import { GPU_UUIDS } from './gpu-test-fixtures.ts';
import type { Store } from '../../storage/store.ts';

// The Store is a DcgmSeriesSource as it is: this line stops compiling if either drifts.
const storeIsASource: Store extends DcgmSeriesSource ? true : never = true;

describe('correlateGpuLatency', () => {
  test('reads from the Store as it is', () => assert.equal(storeIsASource, true));

  test('an SM clock drop at T with a p99 rise at T: one event at T naming sm_clock_drop', async () => {
    const report = await correlate({ gpu: throttledGpu1, p99Factor: slowerWhileThrottled('v3.2.0') });
    // p99 45 ms → 45 · 1410/990 = 64.0909 ms, a rise of 1410/990 − 1 = 0.424242; the clock drop is
    // 1 − 990/1410 = 0.297872 below its baseline of 1410 MHz. Checked with
    // python3 -c "print(45*1410/990, 1410/990-1, 1-990/1410)" → 64.0909090909091 0.4242424242424243 0.2978723404255319
    assert.deepEqual(report.latencyRises, [
      {
        model: MODEL,
        version: 'v3.2.0',
        atMs: T,
        endMs: T + 5 * STEP_MS,
        steps: 5,
        p99Ms: (45 * 1410) / 990,
        baselineP99Ms: 45,
        p99RiseRatio: (45 * 1410) / 990 / 45 - 1,
        gpuCauses: [
          {
            kind: 'sm_clock_drop',
            host: 'gpu-node-1',
            gpu: '1',
            atMs: T,
            value: 990,
            reference: 1410,
            magnitude: 1 - 990 / 1410,
          },
        ],
        cause: 'gpu',
        summary:
          'p99 rose 42% (45.0 → 64.1 ms) while GPU 1 on gpu-node-1 had SM clock 30% below baseline (1410 → 990 MHz)',
      },
    ]);
    assert.ok(Math.abs((report.latencyRises[0]?.p99RiseRatio ?? 0) - 0.424242) < 1e-6);
    assert.ok(Math.abs((report.latencyRises[0]?.gpuCauses[0]?.magnitude ?? 0) - 0.297872) < 1e-6);
    assert.deepEqual(report.gpuTroubleWithoutLatencyRise, []);
  });

  test('a p99 rise without GPU change: cause "none found"', async () => {
    const report = await correlate({
      p99Factor: (version, startMs) => (version === 'v3.2.0' && within(startMs, T, 2) ? 1.5 : 1),
    });
    assert.deepEqual(
      report.latencyRises.map((rise) => [rise.version, rise.atMs, rise.steps, rise.p99RiseRatio, rise.cause]),
      [['v3.2.0', T, 2, 0.5, 'none found']],
    );
    assert.deepEqual(report.latencyRises[0]?.gpuCauses, []);
    assert.equal(
      report.latencyRises[0]?.summary,
      'p99 rose 50% (45.0 → 67.5 ms); no GPU trouble found (gpu-node-1: GPU 1): look elsewhere',
    );
    assert.deepEqual(report.gpuTroubleWithoutLatencyRise, []);
  });

  test('an SM clock drop without latency change is reported apart, not flagged as a cause', async () => {
    const report = await correlate({ gpu: throttledGpu1 });
    assert.deepEqual(report.latencyRises, []);
    assert.deepEqual(report.gpuTroubleWithoutLatencyRise, [
      {
        model: MODEL,
        version: 'v3.2.0',
        host: 'gpu-node-1',
        gpu: '1',
        atMs: T,
        endMs: T + 5 * STEP_MS,
        steps: 5,
        signals: [
          {
            kind: 'sm_clock_drop',
            host: 'gpu-node-1',
            gpu: '1',
            atMs: T,
            value: 990,
            reference: 1410,
            magnitude: 1 - 990 / 1410,
          },
        ],
      },
    ]);
  });

  test('memory pressure at T with a p99 rise at T', async () => {
    const report = await correlate({
      gpu: (_host, gpu, timeMs) => (gpu === '1' && within(timeMs, T, 3) ? { memoryUsedRatio: 0.95 } : {}),
      p99Factor: (version, startMs) => (version === 'v3.2.0' && within(startMs, T, 3) ? 1.3 : 1),
    });
    const [rise] = report.latencyRises;
    assert.equal(report.latencyRises.length, 1);
    assert.deepEqual([rise?.version, rise?.atMs, rise?.steps, rise?.cause], ['v3.2.0', T, 3, 'gpu']);
    assert.ok(Math.abs((rise?.p99RiseRatio ?? 0) - 0.3) < 1e-9);
    // 38000 / (38000 + 2000) = 0.95, 0.05 over the 0.9 threshold.
    assert.deepEqual(
      rise?.gpuCauses.map((cause) => [cause.kind, cause.gpu, cause.atMs, cause.value, cause.reference]),
      [['memory_pressure', '1', T, 0.95, 0.9]],
    );
    assert.ok(Math.abs((rise?.gpuCauses[0]?.magnitude ?? 0) - 0.05) < 1e-9);
    assert.match(rise?.summary ?? '', /GPU 1 on gpu-node-1 had memory 95% used \(over 90%\)$/);
  });

  const temperatureCases = [
    // Trouble one step before the rise still counts: throttling leads its latency effect.
    { stepsBefore: 0, cause: 'gpu' },
    { stepsBefore: 1, cause: 'gpu' },
    // Two steps before is too early: not a cause, and reported as trouble without a rise.
    { stepsBefore: 2, cause: 'none found' },
  ] as const;
  for (const { stepsBefore, cause } of temperatureCases)
    test(`89 °C ${stepsBefore} step(s) before a one-step p99 rise: cause ${cause}`, async () => {
      const hotAtMs = T - stepsBefore * STEP_MS;
      const report = await correlate({
        gpu: (_host, gpu, timeMs) =>
          gpu === '1' && within(timeMs, hotAtMs, 1) ? { temperatureCelsius: 89 } : {},
        p99Factor: (version, startMs) => (version === 'v3.2.0' && within(startMs, T, 1) ? 1.3 : 1),
      });
      assert.deepEqual(
        report.latencyRises.map((rise) => [rise.atMs, rise.steps, rise.cause]),
        [[T, 1, cause]],
      );
      const hot = [
        { kind: 'high_temperature', gpu: '1', atMs: hotAtMs, value: 89, reference: 85, magnitude: 4 },
      ];
      const signals = (list: readonly GpuTroubleSignal[]): unknown[] =>
        list.map(({ kind, gpu, atMs, value, reference, magnitude }) => ({
          kind,
          gpu,
          atMs,
          value,
          reference,
          magnitude,
        }));
      assert.deepEqual(signals(report.latencyRises[0]?.gpuCauses ?? []), cause === 'gpu' ? hot : []);
      assert.deepEqual(
        report.gpuTroubleWithoutLatencyRise.map((episode) => [episode.atMs, ...signals(episode.signals)]),
        cause === 'gpu' ? [] : [[hotAtMs, ...hot]],
      );
    });
});

describe('correlateGpuLatency: placements', () => {
  test('only the GPU the version runs on counts', async () => {
    // GPU 1 throttles while v3.1.0, on GPU 0, slows down: not GPU 1's doing.
    const report = await correlate({ gpu: throttledGpu1, p99Factor: slowerWhileThrottled('v3.1.0') });
    assert.deepEqual(
      report.latencyRises.map((rise) => [rise.version, rise.atMs, rise.cause]),
      [['v3.1.0', T, 'none found']],
    );
    assert.match(report.latencyRises[0]?.summary ?? '', /no GPU trouble found \(gpu-node-1: GPU 0\)/);
    // v3.2.0 runs on the throttled GPU 1 and did not slow down.
    assert.deepEqual(
      report.gpuTroubleWithoutLatencyRise.map((episode) => [episode.version, episode.gpu, episode.atMs]),
      [['v3.2.0', '1', T]],
    );
  });

  test('the same GPU index on another host does not count', async () => {
    const report = await correlate({
      hosts: ['gpu-node-1', 'gpu-node-2'],
      gpu: (host, gpu, timeMs) =>
        host === 'gpu-node-2' && gpu === '1' && within(timeMs, T) ? { smClockMhz: 990 } : {},
      p99Factor: slowerWhileThrottled('v3.2.0'),
    });
    assert.deepEqual(
      report.latencyRises.map((rise) => [rise.version, rise.cause]),
      [['v3.2.0', 'none found']],
    );
    assert.deepEqual(report.gpuTroubleWithoutLatencyRise, []);
  });

  const joins: { name: string; gpus: string[]; joined: string[] }[] = [
    { name: 'no GPU list joins every GPU of the host', gpus: [], joined: ['0', '1'] },
    { name: 'a UUID joins its GPU', gpus: [GPU_UUIDS['1'] ?? ''], joined: ['1'] },
    { name: 'an unknown GPU id joins nothing', gpus: ['7'], joined: [] },
  ];
  for (const { name, gpus, joined } of joins)
    test(name, async () => {
      const placement = { model: MODEL, version: 'v3.1.0', host: 'gpu-node-1', gpus };
      const report = await correlate({ gpu: throttledGpu1, p99Factor: slowerWhileThrottled('v3.1.0') }, [
        placement,
      ]);
      assert.deepEqual(
        report.timelines.map((timeline) => [timeline.version, timeline.gpu, timeline.uuid]),
        joined.map((gpu) => ['v3.1.0', gpu, GPU_UUIDS[gpu]]),
      );
      assert.deepEqual(
        report.latencyRises.map((rise) => rise.gpuCauses.map((cause) => `${cause.kind} on ${cause.gpu}`)),
        [joined.includes('1') ? ['sm_clock_drop on 1'] : []],
      );
    });
});

describe('correlateGpuLatency: timelines and the range', () => {
  test('timelines hold every step of the range, joined per version and GPU', async () => {
    const { source, latency, asked } = buildWorld({});
    const report = await correlateGpuLatency(source, latency, {
      range: RANGE,
      stepMs: STEP_MS,
      placements: PLACEMENTS,
    });
    // The latency source is asked for the baseline's 10 steps and one more before the range.
    assert.deepEqual(asked, [
      { startMs: T0 - 11 * STEP_MS, endMs: RANGE.endMs },
      { startMs: T0 - 11 * STEP_MS, endMs: RANGE.endMs },
    ]);
    assert.deepEqual(
      report.timelines.map((timeline) => [
        timeline.version,
        timeline.host,
        timeline.gpu,
        timeline.steps.length,
      ]),
      [
        ['v3.1.0', 'gpu-node-1', '0', 30],
        ['v3.2.0', 'gpu-node-1', '1', 30],
      ],
    );
    assert.deepEqual(report.timelines[1]?.steps[0], {
      startMs: T0,
      endMs: T0 + STEP_MS,
      requests: 600,
      p99Ms: 45,
      smClockMhz: 1410,
      temperatureCelsius: 63,
      memoryUsedRatio: 0.465,
      utilizationPercent: 40,
      powerWatts: 245,
    });
    assert.equal(report.timelines[1]?.steps.at(-1)?.startMs, RANGE.endMs - STEP_MS);
    assert.deepEqual([report.latencyRises, report.gpuTroubleWithoutLatencyRise], [[], []]);
  });

  const boundaries = [
    // The range's first step has a baseline from the steps before the range.
    { name: 'a rise at the first step of the range is found', atMs: T0, found: [T0] },
    { name: 'a rise before the range is not reported', atMs: T0 - 3 * STEP_MS, found: [] },
    {
      name: 'a rise at the last step of the range is found',
      atMs: RANGE.endMs - STEP_MS,
      found: [RANGE.endMs - STEP_MS],
    },
  ];
  for (const { name, atMs, found } of boundaries)
    test(name, async () => {
      const report = await correlate({
        p99Factor: (version, startMs) => (version === 'v3.1.0' && startMs === atMs ? 2 : 1),
      });
      assert.deepEqual(
        report.latencyRises.map((rise) => rise.atMs),
        found,
      );
    });

  test('thresholds can be tightened: a 15% rise is found at 10% and not at the default 20%', async () => {
    const world = buildWorld({
      p99Factor: (version, startMs) => (version === 'v3.1.0' && startMs === T ? 1.15 : 1),
    });
    const run = (latencyRiseRatio?: number): Promise<GpuCorrelationReport> =>
      correlateGpuLatency(world.source, world.latency, {
        range: RANGE,
        stepMs: STEP_MS,
        placements: PLACEMENTS,
        thresholds: latencyRiseRatio === undefined ? {} : { latencyRiseRatio },
      });
    assert.deepEqual((await run()).latencyRises, []);
    assert.deepEqual(
      (await run(0.1)).latencyRises.map((rise) => rise.atMs),
      [T],
    );
  });

  test('a bad range, step or baseline is refused', async () => {
    const { source, latency } = buildWorld({});
    await assert.rejects(
      correlateGpuLatency(source, latency, {
        range: RANGE,
        stepMs: STEP_MS,
        placements: PLACEMENTS,
        thresholds: { baselineSteps: 2.5 },
      }),
      RangeError,
    );
    await assert.rejects(
      correlateGpuLatency(source, latency, { range: RANGE, stepMs: 1, placements: PLACEMENTS }),
      /more than 11000 steps/,
    );
    await assert.rejects(
      correlateGpuLatency(source, latency, { range: RANGE, stepMs: 0, placements: PLACEMENTS }),
      RangeError,
    );
    await assert.rejects(
      correlateGpuLatency(source, latency, {
        range: { startMs: T, endMs: T },
        stepMs: STEP_MS,
        placements: PLACEMENTS,
      }),
      RangeError,
    );
  });
});

describe('correlateGpuLatency: noisy data (seeded)', () => {
  const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
  for (const seed of SEEDS) {
    test(`seed ${seed}: nothing injected, nothing reported`, async () => {
      const report = await correlate({ noiseSeed: seed });
      assert.deepEqual([report.latencyRises, report.gpuTroubleWithoutLatencyRise], [[], []]);
    });

    test(`seed ${seed}: a throttle with its latency effect is found at T with about its magnitude`, async () => {
      const report = await correlate({
        noiseSeed: seed,
        gpu: throttledGpu1,
        p99Factor: slowerWhileThrottled('v3.2.0'),
      });
      assert.deepEqual(
        report.latencyRises.map((rise) => [rise.version, rise.atMs, rise.steps, rise.cause]),
        [['v3.2.0', T, 5, 'gpu']],
      );
      const [rise] = report.latencyRises;
      // Injected: +42.4% p99 (noise ±5% on each step, the peak of five steps is reported) and a
      // clock 29.8% below baseline (±15 MHz per scrape).
      assert.ok(Math.abs((rise?.p99RiseRatio ?? 0) - 0.424) < 0.1, `rise ${rise?.p99RiseRatio}`);
      const [cause] = rise?.gpuCauses ?? [];
      assert.equal(cause?.kind, 'sm_clock_drop');
      assert.ok(Math.abs((cause?.magnitude ?? 0) - 0.298) < 0.02, `clock drop ${cause?.magnitude}`);
      assert.equal(rise?.gpuCauses.length, 1);
      assert.deepEqual(report.gpuTroubleWithoutLatencyRise, []);
    });
  }
});
