/**
 * Alerting end to end in one running Vigil: a Prometheus rule file and an Alertmanager-format
 * notification config from `vigil.alerting`, samples written to the store, the rule evaluated on
 * its interval, the alert listed by /api/v1/alerts and written as ALERTS, delivered to a webhook
 * with rendered annotations, silenced through /api/v2/silences, SLOs declared through the API,
 * state kept across a restart and a broken rule file refused on reload.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import { labelsFrom } from '../query/promql/labels.ts';
import { startCaptureServer, type CaptureServer } from '../rules/notify/capture-server.ts';
import { skipUnless } from '../test-support/test-requirements.ts';
import { getJson, startTestVigil } from './e2e-support.ts';
import type { RunningVigil } from './start-vigil.ts';

const RULES = `groups:
  - name: gpu
    interval: 1s
    rules:
      - record: gpu:memory_used:ratio
        expr: DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)
      - alert: GPUMemoryPressure
        expr: gpu:memory_used:ratio > 0.90
        labels: { severity: warning }
        annotations:
          summary: GPU {{ $labels.gpu }} is at {{ $value | humanizePercentage }} memory
          runbook_url: https://runbooks.example/gpu-memory
`;

const NOTIFICATIONS = (url: string): string => `route:
  receiver: ml-platform
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
receivers:
  - name: ml-platform
    webhook_configs:
      - url: ${url}/hook
`;

const dir = mkdtempSync(join(tmpdir(), 'vigil-alerting-e2e-'));
const rulesPath = join(dir, 'rules.yaml');
let hook: CaptureServer;
let vigil: RunningVigil | undefined;

after(async () => {
  await vigil?.close();
  await hook.close();
});

async function start(): Promise<RunningVigil> {
  return startTestVigil((config) => {
    config.dataDir = join(dir, 'data');
    config.alerting.ruleFiles = [rulesPath];
    config.alerting.notificationConfigFile = join(dir, 'alertmanager.yml');
    config.alerting.evaluationIntervalMs = 1000;
    // Only the rule file's groups: the built-in GPU rules have their own tests (ml/gpu, ml-analytics.e2e).
    config.ml.gpuRules = false;
  });
}

async function writeGpuSamples(running: RunningVigil, usedMiB: number, freeMiB: number): Promise<void> {
  const nowMs = Date.now();
  const series = (
    name: string,
    value: number,
  ): Parameters<RunningVigil['store']['writeSamples']>[0][number] => ({
    labels: labelsFrom({ __name__: name, gpu: '0', instance: 'node-1:9400', job: 'dcgm' }),
    timestampsMs: Float64Array.of(nowMs),
    values: Float64Array.of(value),
  });
  await running.store.writeSamples([
    series('DCGM_FI_DEV_FB_USED', usedMiB),
    series('DCGM_FI_DEV_FB_FREE', freeMiB),
  ]);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

type Json = Record<string, unknown>;

async function firingAlerts(running: RunningVigil): Promise<Json[] | undefined> {
  const { body } = await getJson(running, '/api/v1/alerts');
  const alerts = ((body as { data: { alerts: Json[] } }).data.alerts ?? []).filter(
    (a) => a.state === 'firing',
  );
  return alerts.length > 0 ? alerts : undefined;
}

void test('rule file + notifications: the alert fires, is stored as ALERTS, reaches the webhook, survives a restart', async () => {
  hook = await startCaptureServer();
  writeFileSync(rulesPath, RULES);
  writeFileSync(join(dir, 'alertmanager.yml'), NOTIFICATIONS(hook.url));
  vigil = await start();
  await writeGpuSamples(vigil, 76_000, 4_000); // 95% used

  const [alert] = await until('the alert to fire', () => firingAlerts(vigil!));
  assert.deepEqual(alert?.labels, {
    alertname: 'GPUMemoryPressure',
    gpu: '0',
    instance: 'node-1:9400',
    job: 'dcgm',
    severity: 'warning',
  });
  assert.equal((alert?.annotations as Json).summary, 'GPU 0 is at 95% memory');
  const activeAt = alert?.activeAt;

  const request = await until('the webhook notification', () => Promise.resolve(hook.requests[0]));
  const payload = request.body as Json;
  assert.equal(request.path, '/hook');
  assert.equal(payload.version, '4');
  assert.equal(payload.status, 'firing');
  assert.equal(payload.receiver, 'ml-platform');
  assert.deepEqual(payload.groupLabels, { alertname: 'GPUMemoryPressure' });
  const [sent] = payload.alerts as Json[];
  assert.equal((sent?.annotations as Json).runbook_url, 'https://runbooks.example/gpu-memory');
  assert.equal(sent?.endsAt, '0001-01-01T00:00:00Z');

  const alertsSeries = await getJson(
    vigil,
    `/api/v1/query?query=${encodeURIComponent('ALERTS{alertstate="firing"}')}`,
  );
  const result = (alertsSeries.body as { data: { result: { metric: Json }[] } }).data.result;
  assert.deepEqual(
    result.map((r) => r.metric.alertname),
    ['GPUMemoryPressure'],
  );
  const recorded = await getJson(vigil, '/api/v1/query?query=gpu:memory_used:ratio');
  assert.equal(
    (recorded.body as { data: { result: { value: [number, string] }[] } }).data.result[0]?.value[1],
    '0.95',
  );

  const rules = await getJson(vigil, '/api/v1/rules?type=alert');
  const groups = (rules.body as { data: { groups: { name: string; rules: Json[] }[] } }).data.groups;
  assert.deepEqual(
    groups.map((g) => [g.name, g.rules.map((r) => [r.name, r.state, r.health])]),
    [['gpu', [['GPUMemoryPressure', 'firing', 'ok']]]],
  );

  // A restart keeps the alert firing with its original activeAt (no new pending period).
  await vigil.close();
  vigil = await start();
  const [restored] = await until('the alert after restart', () => firingAlerts(vigil!));
  assert.equal(restored?.activeAt, activeAt);
});

void test('silences, SLOs and reload through the API of the running Vigil', async () => {
  const running = vigil!;
  const base = `http://127.0.0.1:${running.ports.api}`;
  const postJson = (path: string, body: unknown): Promise<Response> =>
    fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const silence = await postJson('/api/v2/silences', {
    matchers: [{ name: 'alertname', value: 'GPUMemoryPressure', isRegex: false, isEqual: true }],
    startsAt: new Date().toISOString(),
    endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    createdBy: 'e2e',
    comment: 'maintenance',
  });
  assert.equal(silence.status, 200);
  const { silenceID } = (await silence.json()) as { silenceID: string };
  const suppressed = await until('the alert to be silenced', async () => {
    const { body } = await getJson(running, '/api/v2/alerts');
    const found = (body as { status: { state: string; silencedBy: string[] } }[]).find(
      (a) => a.status.state === 'suppressed',
    );
    return found;
  });
  assert.deepEqual(suppressed.status.silencedBy, [silenceID]);

  const slo = await postJson('/api/vigil/v1/slos', {
    name: 'fraud-availability',
    objective: 99.9,
    events: {
      error_query: 'sum(rate(ml_predictions_total{result_class="error"}[{{.window}}]))',
      total_query: 'sum(rate(ml_predictions_total[{{.window}}]))',
    },
  });
  assert.equal(slo.status, 201);
  const rules = await getJson(running, '/api/v1/rules');
  const names = (rules.body as { data: { groups: { name: string }[] } }).data.groups.map((g) => g.name);
  assert.deepEqual(names.sort(), ['gpu', 'slo:fraud-availability']);

  writeFileSync(rulesPath, RULES.replace('> 0.90', '> > 0.90'));
  const reload = await fetch(`${base}/-/reload`, { method: 'POST' });
  assert.equal(reload.status, 500);
  assert.match(await reload.text(), /rules\.yaml:8:\d+: .*parse error/);
  const kept = await getJson(running, '/api/v1/rules');
  const keptNames = (kept.body as { data: { groups: { name: string }[] } }).data.groups.map((g) => g.name);
  assert.deepEqual(keptNames.sort(), ['gpu', 'slo:fraud-availability'], 'old rules kept');
});

// Asynchronously: Vigil runs in this process, so a blocking spawn would keep it from answering.
const run = promisify(execFile);

void test(
  "amtool (Alertmanager 0.25's CLI) lists Vigil's silences and alerts through /api/v2",
  { skip: skipUnless('alertmanager') },
  async () => {
    const url = `--alertmanager.url=http://127.0.0.1:${vigil!.ports.api}`;
    const silences = await run('amtool', [url, 'silence', 'query', '-o', 'json']);
    const listed = JSON.parse(silences.stdout) as {
      comment: string;
      matchers: { name: string; value: string }[];
    }[];
    assert.deepEqual(
      listed.map((s) => [s.comment, s.matchers[0]?.value]),
      [['maintenance', 'GPUMemoryPressure']],
    );
    const alerts = await run('amtool', [url, 'alert', 'query', '--silenced', '-o', 'json']);
    const names = (JSON.parse(alerts.stdout) as { labels: { alertname: string } }[]).map(
      (a) => a.labels.alertname,
    );
    assert.deepEqual(names, ['GPUMemoryPressure']);
  },
);
