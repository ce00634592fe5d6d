import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fingerprint } from '../rules/notify/label-set.ts';
import { Notifier } from '../rules/notify/notifier.ts';
import { parseNotificationConfig } from '../rules/notify/parse-notify-config.ts';
import { skipUnless } from '../test-support/test-requirements.ts';
import { toApiError } from './api-error.ts';
import { sendJson } from './http-io.ts';
import { registerAlertmanagerRoutes } from './alertmanager-routes.ts';
import { Router } from './router.ts';

const T0 = Date.parse('2024-05-01T12:00:00Z');
const CONFIG = `
global: { resolve_timeout: 3m }
route:
  receiver: default
  group_wait: 0s
  routes:
    - matchers: [team="ml"]
      receiver: ml
      continue: true
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
receivers:
  - name: default
  - name: ml
`;

let clock: { nowMs: number };
let notifier: Notifier;
let server: Server;
let base: string;

/** The API server's routing and error writing, reduced to what these routes need. */
async function startApi(router: Router): Promise<Server> {
  const http = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    void (async () => {
      try {
        const match = router.match(request.method ?? 'GET', url.pathname);
        await match.route.handler({
          request,
          response,
          pathParams: match.pathParams,
          query: url.searchParams,
        });
      } catch (error: unknown) {
        const apiError = toApiError(error);
        sendJson(response, apiError.status, {
          error: { status: apiError.status, message: apiError.message },
        });
      }
    })();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return http;
}

beforeEach(async () => {
  clock = { nowMs: T0 };
  notifier = new Notifier({
    config: parseNotificationConfig(CONFIG, 'am.yml'),
    now: () => clock.nowMs,
    log: () => undefined,
  });
  const router = new Router();
  registerAlertmanagerRoutes(router, notifier);
  server = await startApi(router);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await notifier.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

test('POST /api/v2/alerts takes PostableAlerts; GET lists gettableAlerts', async () => {
  const labels = { alertname: 'Latency', team: 'ml', severity: 'warning' };
  const posted = await call('POST', '/api/v2/alerts', [
    {
      labels,
      annotations: { summary: 's' },
      startsAt: '2024-05-01T11:59:00Z',
      generatorURL: 'http://prom/graph',
    },
    { labels: { alertname: 'Gone' }, startsAt: '2024-05-01T11:00:00Z', endsAt: '2024-05-01T11:30:00Z' },
  ]);
  assert.deepEqual(posted, { status: 200, json: undefined });
  const listed = await call('GET', '/api/v2/alerts');
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.json, [
    {
      annotations: { summary: 's' },
      // No endsAt given: now + resolve_timeout (3m).
      endsAt: '2024-05-01T12:03:00.000Z',
      fingerprint: fingerprint(labels),
      // The ml route matched, so the root is not a match itself (Route.Match), continue or not.
      receivers: [{ name: 'ml' }],
      startsAt: '2024-05-01T11:59:00.000Z',
      status: { inhibitedBy: [], silencedBy: [], state: 'active' },
      updatedAt: '2024-05-01T12:00:00.000Z',
      generatorURL: 'http://prom/graph',
      labels,
    },
  ]);
});

test('GET /api/v2/alerts filters: matchers, receiver, silenced, inhibited, active', async () => {
  await call('POST', '/api/v2/alerts', [
    { labels: { alertname: 'A', team: 'ml', severity: 'warning' } },
    { labels: { alertname: 'B', severity: 'critical' } },
    { labels: { alertname: 'C' } },
  ]);
  await call('POST', '/api/v2/silences', {
    matchers: [{ name: 'alertname', value: 'C', isRegex: false }],
    startsAt: '2024-05-01T12:00:00Z',
    endsAt: '2024-05-01T13:00:00Z',
    createdBy: 'me',
    comment: 'quiet',
  });
  const names = async (query: string): Promise<string[]> =>
    ((await call('GET', `/api/v2/alerts${query}`)).json as { labels: { alertname: string } }[])
      .map((a) => a.labels.alertname)
      .sort();
  const cases: [string, string[]][] = [
    ['', ['A', 'B', 'C']],
    [`?filter=${encodeURIComponent('alertname=~"A|B"')}`, ['A', 'B']],
    ['?receiver=ml', ['A']],
    ['?silenced=false', ['A', 'B']],
    ['?inhibited=false', ['B', 'C']],
    ['?active=false', ['A', 'C']],
  ];
  for (const [query, expected] of cases) assert.deepEqual(await names(query), expected, query);
  assert.equal((await call('GET', `/api/v2/alerts?filter=${encodeURIComponent('a=~"("')}`)).status, 400);
});

test('invalid alerts: 400 with the reasons; the valid ones in the batch are still taken', async () => {
  const cases: [unknown, RegExp][] = [
    [{ labels: {} }, /expected a JSON array/],
    [[{ labels: {} }], /alert 0: at least one label pair required/],
    [[{ labels: { '0bad': 'x' } }], /invalid label name/],
    [
      [{ labels: { a: 'b' }, startsAt: '2024-05-01T12:00:00Z', endsAt: '2024-05-01T11:00:00Z' }],
      /start time must be before end time/,
    ],
    [[{ labels: { a: 'b' }, startsAt: 'yesterday' }], /startsAt is not an RFC 3339 time/],
    [
      [{ labels: { alertname: 'Ok' } }, { labels: { a: 1 } }],
      /alert 1: labels: value of "a" must be a string/,
    ],
  ];
  for (const [body, message] of cases) {
    const { status, json } = await call('POST', '/api/v2/alerts', body);
    assert.equal(status, 400, JSON.stringify(body));
    assert.match((json as { error: { message: string } }).error.message, message);
  }
  assert.deepEqual(
    notifier.alerts().map((v) => v.alert.labels['alertname']),
    ['Ok'],
  );
  const wrongType = await fetch(`${base}/api/v2/alerts`, {
    method: 'POST',
    body: '[]',
    headers: { 'content-type': 'text/plain' },
  });
  assert.equal(wrongType.status, 415);
});

test('silences: create, get, list with filter, update, expire, errors', async () => {
  const body = {
    matchers: [
      { name: 'alertname', value: 'Latency', isRegex: false, isEqual: true },
      { name: 'env', value: 'dev|test', isRegex: true, isEqual: false },
    ],
    startsAt: '2024-05-01T11:00:00Z',
    endsAt: '2024-05-01T14:00:00Z',
    createdBy: 'alice',
    comment: 'maintenance',
  };
  const created = await call('POST', '/api/v2/silences', body);
  assert.equal(created.status, 200);
  const { silenceID } = created.json as { silenceID: string };
  const got = await call('GET', `/api/v2/silence/${silenceID}`);
  assert.deepEqual(got.json, {
    id: silenceID,
    status: { state: 'active' },
    updatedAt: '2024-05-01T12:00:00.000Z',
    comment: 'maintenance',
    createdBy: 'alice',
    endsAt: '2024-05-01T14:00:00.000Z',
    matchers: [
      { isEqual: true, isRegex: false, name: 'alertname', value: 'Latency' },
      { isEqual: false, isRegex: true, name: 'env', value: 'dev|test' },
    ],
    // A start in the past becomes now, as Alertmanager's Silences.Set does.
    startsAt: '2024-05-01T12:00:00.000Z',
  });
  const filtered = async (filter: string): Promise<number> =>
    ((await call('GET', `/api/v2/silences?filter=${encodeURIComponent(filter)}`)).json as unknown[]).length;
  assert.equal(await filtered('alertname="Latency"'), 1);
  assert.equal(await filtered('alertname="Other"'), 0);
  assert.equal(await filtered('team="ml"'), 0);
  // Extending an active silence keeps its id.
  const updated = await call('POST', '/api/v2/silences', {
    ...body,
    id: silenceID,
    startsAt: '2024-05-01T12:00:00Z',
    endsAt: '2024-05-01T15:00:00Z',
  });
  assert.deepEqual(updated.json, { silenceID });
  clock.nowMs += 1000;
  assert.equal((await call('DELETE', `/api/v2/silence/${silenceID}`)).status, 200);
  assert.equal(
    ((await call('GET', `/api/v2/silence/${silenceID}`)).json as { status: { state: string } }).status.state,
    'expired',
  );
  const errors: [string, string, unknown, number, RegExp][] = [
    ['GET', '/api/v2/silence/nope', undefined, 404, /not found/],
    ['DELETE', '/api/v2/silence/nope', undefined, 404, /not found/],
    ['DELETE', `/api/v2/silence/${silenceID}`, undefined, 400, /already expired/],
    ['POST', '/api/v2/silences', { ...body, matchers: [] }, 400, /at least one matcher required/],
    [
      'POST',
      '/api/v2/silences',
      { ...body, endsAt: '2024-05-01T11:30:00Z' },
      400,
      /end time can't be in the past/,
    ],
    ['POST', '/api/v2/silences', { ...body, createdBy: undefined }, 400, /createdBy in body is required/],
    ['POST', '/api/v2/silences', { ...body, id: 'unknown-id' }, 404, /not found/],
  ];
  for (const [method, path, payload, status, message] of errors) {
    const answer = await call(method, path, payload);
    assert.equal(answer.status, status, `${method} ${path}`);
    assert.match((answer.json as { error: { message: string } }).error.message, message);
  }
});

test('GET /api/vigil/v1/notifications lists the notification log', async () => {
  const hook = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200).end());
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
  const local = new Notifier({
    config: parseNotificationConfig(
      `route: { receiver: r, group_wait: 0s }\nreceivers: [{ name: r, webhook_configs: [{ url: "${hookUrl}" }] }]`,
      'n.yml',
    ),
    now: () => T0,
  });
  const router = new Router();
  registerAlertmanagerRoutes(router, local);
  const api = await startApi(router);
  try {
    local.send([
      {
        labels: { alertname: 'X' },
        annotations: {},
        startsAtMs: T0,
        endsAtMs: T0 + 60_000,
        generatorURL: '',
      },
    ]);
    await local.tick(T0);
    const response = await fetch(
      `http://127.0.0.1:${(api.address() as AddressInfo).port}/api/vigil/v1/notifications?limit=5`,
    );
    assert.deepEqual(await response.json(), {
      notifications: [
        {
          at: '2024-05-01T12:00:00.000Z',
          receiver: 'r',
          integration: 'webhook',
          groupKey: '{}:{}',
          status: 'firing',
          alerts: 1,
          outcome: 'ok',
          attempts: 1,
        },
      ],
    });
  } finally {
    await local.close();
    api.closeAllConnections();
    hook.closeAllConnections();
    await Promise.all([new Promise((r) => api.close(r)), new Promise((r) => hook.close(r))]);
  }
});

test(
  'a real Prometheus 2.42 uses Vigil as its Alertmanager',
  { skip: skipUnless('prometheus'), timeout: 60_000 },
  async () => {
    clock.nowMs = Date.now();
    const workDir = mkdtempSync(join(tmpdir(), 'vigil-prom-am-'));
    const port = (server.address() as AddressInfo).port;
    writeFileSync(
      join(workDir, 'rules.yml'),
      'groups:\n  - name: g\n    rules:\n      - alert: AlwaysFiring\n        expr: vector(1)\n        labels: { severity: page }\n        annotations: { summary: "from prometheus" }\n',
    );
    writeFileSync(
      join(workDir, 'prometheus.yml'),
      `global: { evaluation_interval: 1s }\nrule_files: [${JSON.stringify(join(workDir, 'rules.yml'))}]\nalerting:\n  alertmanagers:\n    - static_configs: [{ targets: ["127.0.0.1:${port}"] }]\n`,
    );
    const prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(workDir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(workDir, 'data')}`,
        '--web.listen-address=127.0.0.1:0',
        // Resend every second: the first send may come before Prometheus has discovered Vigil.
        '--rules.alert.resend-delay=1s',
      ],
      { stdio: 'ignore' },
    );
    try {
      const deadline = Date.now() + 30_000;
      let alerts: { labels: Record<string, string>; annotations: Record<string, string> }[] = [];
      while (alerts.length === 0 && Date.now() < deadline) {
        await sleep(250);
        clock.nowMs = Date.now();
        alerts = (await call('GET', '/api/v2/alerts')).json as typeof alerts;
      }
      assert.deepEqual(alerts[0]?.labels, { alertname: 'AlwaysFiring', severity: 'page' });
      assert.deepEqual(alerts[0]?.annotations, { summary: 'from prometheus' });
    } finally {
      const exited = new Promise((resolve) => prometheus.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
      rmSync(workDir, { recursive: true, force: true });
    }
  },
);
