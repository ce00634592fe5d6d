/**
 * GPU sampler: absent nvidia-smi is not an error; a stand-in nvidia-smi (a shell script printing
 * the exact `--format=csv,noheader,nounits` layout for two GPUs) drives the DCGM-named gauges.
 */
import { MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startGpuSampler } from './gpu-sampler.ts';
import { parseNvidiaSmiCsv } from './nvidia-smi-csv.ts';

/** A reader that exports nothing: tests call collect() themselves. */
class CollectingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const TWO_GPUS = [
  '0, GPU-5f1a2b3c-0000-1111-2222-333344445555, NVIDIA A100-SXM4-80GB, 87, 45, 61440, 19477, 71, 312.45, 1410, 1593',
  '1, GPU-9e8d7c6b-aaaa-bbbb-cccc-ddddeeeeffff, NVIDIA A100-SXM4-80GB, 12, 3, 2048, 78869, 38, 61.02, 210, 1593',
].join('\n');

function writeFakeNvidiaSmi(output: string): { path: string; argsFile: string } {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-nvidia-smi-'));
  const path = join(directory, 'nvidia-smi');
  const argsFile = join(directory, 'args');
  writeFileSync(path, `#!/bin/sh\necho "$@" >> '${argsFile}'\ncat <<'CSV'\n${output}\nCSV\n`);
  chmodSync(path, 0o755);
  return { path, argsFile };
}

async function collect(reader: MetricReader): Promise<Map<string, MetricData>> {
  const { resourceMetrics } = await reader.collect();
  const byName = new Map<string, MetricData>();
  for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
  return byName;
}

function meterWithReader(): { provider: MeterProvider; reader: CollectingReader } {
  const reader = new CollectingReader();
  return { provider: new MeterProvider({ readers: [reader] }), reader };
}

test('no nvidia-smi: available=false, nothing registered, no throw', async () => {
  const { provider, reader } = meterWithReader();
  const savedPath = process.env['PATH'];
  process.env['PATH'] = mkdtempSync(join(tmpdir(), 'vigil-empty-path-'));
  try {
    const sampler = startGpuSampler(provider.getMeter('gpu'));
    assert.equal(sampler.available, false);
    sampler.stop();
  } finally {
    process.env['PATH'] = savedPath;
  }
  assert.equal(startGpuSampler(provider.getMeter('gpu'), { nvidiaSmiPath: '/nonexistent/nvidia-smi' }).available, false);
  assert.equal((await collect(reader)).size, 0);
});

test('a stand-in nvidia-smi for two GPUs → DCGM gauges with dcgm-exporter labels', async () => {
  const fake = writeFakeNvidiaSmi(TWO_GPUS);
  const { provider, reader } = meterWithReader();
  const sampler = startGpuSampler(provider.getMeter('gpu'), { nvidiaSmiPath: fake.path, intervalMillis: 60_000 });
  assert.equal(sampler.available, true);
  const metrics = await collect(reader);
  assert.equal(
    readFileSync(fake.argsFile, 'utf8').trim(),
    '--query-gpu=index,uuid,name,utilization.gpu,utilization.memory,memory.used,memory.free,temperature.gpu,power.draw,clocks.sm,clocks.mem --format=csv,noheader,nounits',
  );
  const expected: Record<string, [number, number]> = {
    DCGM_FI_DEV_GPU_UTIL: [87, 12],
    DCGM_FI_DEV_MEM_COPY_UTIL: [45, 3],
    DCGM_FI_DEV_FB_USED: [61440, 2048],
    DCGM_FI_DEV_FB_FREE: [19477, 78869],
    DCGM_FI_DEV_GPU_TEMP: [71, 38],
    DCGM_FI_DEV_POWER_USAGE: [312.45, 61.02],
    DCGM_FI_DEV_SM_CLOCK: [1410, 210],
    DCGM_FI_DEV_MEM_CLOCK: [1593, 1593],
  };
  for (const [name, values] of Object.entries(expected)) {
    const points = metrics.get(name)?.dataPoints ?? [];
    const byGpu = Object.fromEntries(points.map((point) => [String(point.attributes['gpu']), point.value]));
    assert.deepEqual(byGpu, { '0': values[0], '1': values[1] }, name);
  }
  const labels = metrics.get('DCGM_FI_DEV_GPU_TEMP')?.dataPoints.find((point) => point.attributes['gpu'] === '1')?.attributes;
  assert.deepEqual(labels, {
    gpu: '1',
    UUID: 'GPU-9e8d7c6b-aaaa-bbbb-cccc-ddddeeeeffff',
    device: 'nvidia1',
    modelName: 'NVIDIA A100-SXM4-80GB',
  });
  // Within intervalMillis the sample is reused; after stop() nvidia-smi is not run again.
  await collect(reader);
  sampler.stop();
  await collect(reader);
  assert.equal(readFileSync(fake.argsFile, 'utf8').trim().split('\n').length, 1);
});

test('a failing nvidia-smi is counted, not thrown', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-nvidia-smi-'));
  const path = join(directory, 'nvidia-smi');
  writeFileSync(path, '#!/bin/sh\necho "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver." >&2\nexit 9\n');
  chmodSync(path, 0o755);
  const { provider, reader } = meterWithReader();
  const sampler = startGpuSampler(provider.getMeter('gpu'), { nvidiaSmiPath: path });
  const metrics = await collect(reader);
  assert.equal(metrics.get('DCGM_FI_DEV_GPU_UTIL')?.dataPoints.length ?? 0, 0);
  assert.equal(sampler.failedSamples, 1);
  sampler.stop();
});

test('parser: [N/A] fields are absent, names with commas survive, junk lines are skipped', () => {
  const samples = parseNvidiaSmiCsv(
    [
      '0, GPU-aa, Tesla T4, 5, 1, 300, 14800, 40, [N/A], 300, 5000',
      '1, GPU-bb, Some, Odd, Name, 7, 2, 100, 200, 50, 70.5, [Not Supported], 877',
      'No devices were found',
      '',
    ].join('\n'),
  );
  assert.equal(samples.length, 2);
  assert.equal(samples[0]?.values.powerDrawWatts, undefined);
  assert.equal(samples[0]?.values.memoryClockMhz, 5000);
  assert.equal(samples[1]?.name, 'Some, Odd, Name');
  assert.equal(samples[1]?.values.utilizationGpuPercent, 7);
  assert.equal(samples[1]?.values.smClockMhz, undefined);
});
