import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runSilenceCommand } from '../../../cli/silence.ts';
import { skipUnless } from '../../../test-support/test-requirements.ts';
import { fingerprint } from '../label-set.ts';
import { Notifier } from '../notifier.ts';
import { parseNotificationConfig } from '../parse-notify-config.ts';

const skip = skipUnless('alertmanager');
let alertmanager: ChildProcess | undefined;
let amUrl = '';
let workDir = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor<T>(what: string, poll: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await poll().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface AmAlert {
  labels: Record<string, string>;
  fingerprint: string;
  status: { state: string };
  generatorURL: string;
  annotations: Record<string, string>;
}

before(async () => {
  if (skip) return;
  workDir = mkdtempSync(join(tmpdir(), 'vigil-am-forward-'));
  writeFileSync(join(workDir, 'am.yml'), 'route: { receiver: "null" }\nreceivers: [{ name: "null" }]\n');
  const port = await freePort();
  amUrl = `http://127.0.0.1:${port}`;
  alertmanager = spawn(
    'prometheus-alertmanager',
    [
      `--config.file=${join(workDir, 'am.yml')}`,
      `--storage.path=${join(workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: 'ignore' },
  );
  await waitFor('Alertmanager ready', async () => ((await fetch(`${amUrl}/-/ready`)).ok ? true : undefined));
});

after(async () => {
  if (alertmanager && alertmanager.exitCode === null) {
    const exited = new Promise((resolve) => alertmanager?.once('exit', resolve));
    alertmanager.kill('SIGTERM');
    await exited;
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function amAlerts(): Promise<AmAlert[]> {
  return (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as AmAlert[];
}

test(
  'alertmanager_configs forwards alerts to a real Alertmanager 0.25',
  { skip, timeout: 60_000 },
  async () => {
    const config = parseNotificationConfig(
      `route: { receiver: am, group_wait: 0s, group_interval: 1m }\nreceivers: [{ name: am, alertmanager_configs: [{ url: "${amUrl}/" }] }]\n`,
      'vigil-am.yml',
    );
    // One clock for receiving and ticking: with group_wait 0s, a millisecond between them would
    // leave the group's first flush just after the tick.
    const nowMs = Date.now();
    let clockMs = nowMs;
    const notifier = new Notifier({ config, log: () => undefined, now: () => clockMs });
    try {
      const labels = { alertname: 'VigilForwarded', service: 'ranker', severity: 'page' };
      notifier.send([
        {
          labels,
          annotations: { summary: 'from Vigil' },
          startsAtMs: nowMs,
          endsAtMs: nowMs + 60_000,
          generatorURL: 'http://vigil/graph',
        },
      ]);
      await notifier.tick(nowMs);
      assert.deepEqual(
        notifier.notifications().map((r) => [r.integration, r.outcome]),
        [['alertmanager', 'ok']],
      );
      const [alert] = await waitFor('the alert in Alertmanager', async () => {
        const alerts = await amAlerts();
        return alerts.length > 0 ? alerts : undefined;
      });
      assert.deepEqual(alert?.labels, labels);
      assert.deepEqual(alert?.annotations, { summary: 'from Vigil' });
      assert.equal(alert?.generatorURL, 'http://vigil/graph');
      assert.equal(alert?.status.state, 'active');
      // Alertmanager computes the same fingerprint as Vigil.
      assert.equal(alert?.fingerprint, fingerprint(labels));
      // Resolve: the next flush forwards endsAt, and Alertmanager stops listing the alert.
      const resolvedAtMs = Date.now();
      clockMs = resolvedAtMs;
      notifier.send([
        {
          labels,
          annotations: { summary: 'from Vigil' },
          startsAtMs: nowMs,
          endsAtMs: resolvedAtMs,
          generatorURL: 'http://vigil/graph',
        },
      ]);
      await notifier.tick(nowMs + 60_000);
      await waitFor('the alert resolved in Alertmanager', async () =>
        (await amAlerts()).length === 0 ? true : undefined,
      );
    } finally {
      await notifier.close();
    }
  },
);

test(
  "vigil silence speaks Alertmanager's API: add and query against Alertmanager 0.25",
  { skip, timeout: 30_000 },
  async () => {
    const lines: string[] = [];
    const code = await runSilenceCommand(
      [
        'add',
        'alertname=VigilForwarded',
        'service=~"rank.*"',
        '--duration',
        '2h',
        '--comment',
        'deploy',
        '--author',
        'ci',
        '--url',
        amUrl,
      ],
      (line) => lines.push(line),
    );
    assert.equal(code, 0);
    const [id] = lines;
    assert.match(id ?? '', /^[0-9a-f-]{36}$/);
    const queried: string[] = [];
    assert.equal(
      await runSilenceCommand(['query', 'alertname=VigilForwarded', '--url', amUrl], (l) => queried.push(l)),
      0,
    );
    assert.match(
      queried[1] ?? '',
      new RegExp(`^${id}\\s+alertname="VigilForwarded" service=~"rank\\.\\*"\\s+\\S+\\s+ci\\s+deploy$`),
    );
    assert.equal(await runSilenceCommand(['expire', id ?? '', '--url', amUrl], () => undefined), 0);
  },
);
