import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startControlServer } from './control-server.ts';
import { DcgmSimulator } from './dcgm-exporter.ts';
import { parseScenarioList, type ScenarioName } from './scenarios.ts';

let active: ScenarioName[] = [];
const server = await startControlServer(
  { active: () => active, set: (next) => (active = next) },
  '127.0.0.1',
  0,
);
const base = `http://127.0.0.1:${server.port}/scenarios`;
after(() => server.close());

async function call(method: string, url: string, body?: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, { method, ...(body !== undefined ? { body } : {}) });
  return { status: response.status, json: await response.json() };
}

test('scenario list parsing', () => {
  assert.deepEqual(parseScenarioList('canary-regression, slow-feature-store,,canary-regression'), [
    'canary-regression',
    'slow-feature-store',
  ]);
  assert.throws(() => parseScenarioList('canary-regression,nope'), /unknown scenario/);
});

test('control API: PUT replaces, PUT/DELETE one toggle, bad input is a 400 without echoing it', async () => {
  assert.equal((await call('PUT', base, '{"active":["error-burst","clock-skew"]}')).status, 200);
  assert.deepEqual(active, ['error-burst', 'clock-skew']);
  await call('PUT', `${base}/gpu-throttling`);
  await call('DELETE', `${base}/error-burst`);
  const listed = await call('GET', base);
  assert.deepEqual((listed.json as { active: string[] }).active, ['clock-skew', 'gpu-throttling']);
  const bad = await call('PUT', base, '{"active":["secret-token-123"]}');
  assert.equal(bad.status, 400);
  assert.ok(!JSON.stringify(bad.json).includes('secret-token-123'));
  assert.equal((await call('PUT', base, 'not json')).status, 400);
  assert.equal((await call('PUT', `${base}/nope`)).status, 404);
  assert.deepEqual(active, ['clock-skew', 'gpu-throttling']);
});

test('DCGM simulator: dcgm-exporter format; throttling lowers SM clock and raises temperature over time', () => {
  let nowMillis = 0;
  let throttling = false;
  const simulator = new DcgmSimulator({
    isThrottling: () => throttling,
    ratePerSecond: () => 20,
    nowMillis: () => nowMillis,
  });
  const read = (text: string, metric: string): number =>
    Number(/ (\S+)$/.exec(text.split('\n').find((line) => line.startsWith(`${metric}{gpu="0"`)) ?? '')?.[1]);
  const normal = simulator.render();
  assert.match(
    normal,
    /^# HELP DCGM_FI_DEV_SM_CLOCK SM clock frequency \(in MHz\)\.\n# TYPE DCGM_FI_DEV_SM_CLOCK gauge\n/,
  );
  assert.match(
    normal,
    /DCGM_FI_DEV_GPU_TEMP\{gpu="1",UUID="GPU-[0-9a-f-]+",pci_bus_id="[^"]+",device="nvidia1",modelName="[^"]+",Hostname="[^"]+"\} \d+\n/,
  );
  for (const metric of [
    'GPU_UTIL',
    'MEM_COPY_UTIL',
    'FB_USED',
    'FB_FREE',
    'POWER_USAGE',
    'MEM_CLOCK',
    'PCIE_TX_THROUGHPUT',
    'PCIE_RX_THROUGHPUT',
  ]) {
    assert.ok(Number.isFinite(read(normal, `DCGM_FI_DEV_${metric}`)), metric);
  }
  throttling = true;
  nowMillis += 1_000;
  const early = simulator.render();
  nowMillis += 10_000;
  const late = simulator.render();
  assert.ok(read(early, 'DCGM_FI_DEV_SM_CLOCK') < read(normal, 'DCGM_FI_DEV_SM_CLOCK'));
  assert.ok(read(late, 'DCGM_FI_DEV_SM_CLOCK') < read(early, 'DCGM_FI_DEV_SM_CLOCK'));
  assert.ok(read(late, 'DCGM_FI_DEV_GPU_TEMP') >= 85);
  assert.ok(read(late, 'DCGM_FI_DEV_PCIE_TX_THROUGHPUT') > read(normal, 'DCGM_FI_DEV_PCIE_TX_THROUGHPUT'));
});
