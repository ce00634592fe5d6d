import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PROM_STALE_NAN } from '../../model/prom-series.ts';
import { isStaleNaN } from '../../query/promql/values.ts';
import {
  DCGM_FB_FREE,
  DCGM_FB_USED,
  DCGM_GPU_TEMP,
  DCGM_GPU_UTIL,
  DCGM_POWER_USAGE,
  DCGM_SM_CLOCK,
  readDcgmSteps,
} from './dcgm-steps.ts';
import { dcgmLabels, GPU_UUIDS, MemoryDcgmSource } from './gpu-test-fixtures.ts';

const STEP_MS = 60_000;
const GRID = { startMs: 600_000, stepMs: STEP_MS, count: 3 };
const S = 1000;

/** Samples at grid start + the given seconds. */
function at(source: MemoryDcgmSource, labels: Map<string, string>, samples: [number, number][]): void {
  const values = new Map(samples.map(([seconds, value]) => [GRID.startMs + seconds * S, value]));
  source.add(labels, [...values.keys()], (timeMs) => values.get(timeMs) ?? NaN);
}

describe('readDcgmSteps', () => {
  test('mean clock, utilisation and power; peak temperature and memory; stale markers skipped', async () => {
    const source = new MemoryDcgmSource();
    // Step 0 = seconds [0, 60), step 1 = [60, 120), step 2 = [120, 180); -5 and 180 lie outside.
    at(source, dcgmLabels(DCGM_SM_CLOCK, '0'), [
      [-5, 100],
      [0, 1410],
      [15, 1395],
      [30, 1410],
      [45, 1425],
      [60, 990],
      [75, 1005],
      [120, PROM_STALE_NAN],
      [180, 100],
    ]);
    at(source, dcgmLabels(DCGM_GPU_TEMP, '0'), [
      [0, 60],
      [15, 88],
      [30, 62],
      [60, PROM_STALE_NAN],
    ]);
    // Scrapes at 0 s (45% used) and 30 s (95% used) pair up; 45 s has FB_USED only and is skipped.
    at(source, dcgmLabels(DCGM_FB_USED, '0'), [
      [0, 18_000],
      [30, 38_000],
      [45, 40_000],
      [60, 20_000],
    ]);
    at(source, dcgmLabels(DCGM_FB_FREE, '0'), [
      [0, 22_000],
      [30, 2_000],
      [60, 20_000],
    ]);
    at(source, dcgmLabels(DCGM_GPU_UTIL, '0'), [
      [0, 40],
      [30, 50],
    ]);
    at(source, dcgmLabels(DCGM_POWER_USAGE, '0'), [[130, 245.5]]);
    assert.ok(isStaleNaN(source.series[0]?.values[7] ?? 0), 'the fixture keeps the stale marker');

    const gpus = await readDcgmSteps(source, new Set(['gpu-node-1']), GRID);

    assert.deepEqual(gpus, [
      {
        host: 'gpu-node-1',
        gpu: '0',
        uuid: GPU_UUIDS['0'],
        // (1410 + 1395 + 1410 + 1425) / 4 = 1410; (990 + 1005) / 2 = 997.5; only a stale marker → null.
        smClockMhz: [1410, 997.5, null],
        temperatureCelsius: [88, null, null],
        // max(18000/40000, 38000/40000) = 0.95; 20000/40000 = 0.5.
        memoryUsedRatio: [0.95, 0.5, null],
        utilizationPercent: [45, null, null],
        powerWatts: [null, null, 245.5],
      },
    ]);
    assert.deepEqual(source.selections, [{ minTimeMs: GRID.startMs, maxTimeMs: GRID.startMs + 180 * S - 1 }]);
  });

  test('hosts come from Hostname, else instance without its port; other hosts are left out', async () => {
    const source = new MemoryDcgmSource();
    const labelled = (hostname: string, instance: string, gpu: string): Map<string, string> => {
      const labels = dcgmLabels(DCGM_SM_CLOCK, gpu, hostname);
      labels.set('instance', instance);
      return labels;
    };
    at(source, labelled('gpu-node-1', 'dcgm-exporter:9400', '0'), [[0, 1410]]);
    at(source, labelled('dcgm-exporter-pod-7', 'gpu-node-2:9400', '0'), [[0, 1200]]);
    at(source, labelled('dcgm-exporter-pod-8', '[fd00::3]:9400', '1'), [[0, 1300]]);
    at(source, labelled('gpu-node-9', 'gpu-node-9:9400', '0'), [[0, 900]]);

    const gpus = await readDcgmSteps(source, new Set(['gpu-node-1', 'gpu-node-2', 'fd00::3']), GRID);

    assert.deepEqual(
      gpus.map((gpu) => [gpu.host, gpu.gpu, gpu.smClockMhz[0]]),
      [
        ['gpu-node-1', '0', 1410],
        ['gpu-node-2', '0', 1200],
        ['fd00::3', '1', 1300],
      ],
    );
  });

  test('series of one GPU from two scrape jobs are pooled', async () => {
    const source = new MemoryDcgmSource();
    const second = dcgmLabels(DCGM_SM_CLOCK, '1');
    second.set('job', 'dcgm-2');
    at(source, dcgmLabels(DCGM_SM_CLOCK, '1'), [[0, 1400]]);
    at(source, second, [[10, 1420]]);
    const gpus = await readDcgmSteps(source, new Set(['gpu-node-1']), GRID);
    assert.deepEqual(
      gpus.map((gpu) => [gpu.gpu, gpu.smClockMhz]),
      [['1', [1410, null, null]]],
    );
  });
});
