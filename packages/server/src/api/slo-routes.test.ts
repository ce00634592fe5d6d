import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { PromQLEngine } from '../query/promql/engine.ts';
import { labelsFrom } from '../query/promql/labels.ts';
import { MemorySeriesSource } from '../query/promql/memory-series-source.ts';
import { parseSloSpec } from '../rules/slo/parse-slo-spec.ts';
import { generateSloRuleGroups } from '../rules/slo/slo-rules.ts';
import { SloRegistry } from '../rules/slo/slo-registry.ts';
import type { RuleGroupSpec } from '../rules/rule-types.ts';
import { toApiError } from './api-error.ts';
import { sendJson } from './http-io.ts';
import { Router } from './router.ts';
import { registerSloRoutes } from './slo-routes.ts';

const MINUTE_MS = 60_000;
const NOW_MS = 28_333_340 * MINUTE_MS;
const SLOS = '/api/vigil/v1/slos';
type Json = Record<string, unknown>;

const CHECKOUT = {
  name: 'checkout',
  service: 'shop',
  objective: 99,
  events: {
    error_query: 'sum(rate(errors_total[{{.window}}]))',
    total_query: 'sum(rate(requests_total[{{.window}}]))',
  },
};

/** Two hours of 100 requests a minute, 2 of them errors: error ratio 0.02, burn rate 2 at 99 %. */
function source(): MemorySeriesSource {
  const memory = new MemorySeriesSource();
  for (let i = 0; i <= 120; i++) {
    const tMs = NOW_MS - (120 - i) * MINUTE_MS;
    memory.add(labelsFrom({ __name__: 'requests_total' }), tMs, 1e6 + 100 * i);
    memory.add(labelsFrom({ __name__: 'errors_total' }), tMs, 1e4 + 2 * i);
  }
  return memory;
}

/** The router behind a bare HTTP server with the API's error format (api-server.ts writes the same body). */
function serve(router: Router): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
    void (async () => {
      try {
        const { route, pathParams } = router.match(request.method ?? 'GET', path);
        await route.handler({ request, response, pathParams, query: new URLSearchParams() });
      } catch (error: unknown) {
        const apiError = toApiError(error);
        sendJson(response, apiError.status, {
          error: { status: apiError.status, message: apiError.message },
        });
      }
    })();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('SLO routes', () => {
  let server: Server;
  let groups: RuleGroupSpec[] = [];
  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': contentType } }),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };

  before(async () => {
    const registry = await SloRegistry.open({
      configSlos: [parseSloSpec({ name: 'from-config', objective: 0.999, spans: { service: 'x' } })],
      onChange: (slos) => (groups = generateSloRuleGroups(slos)),
    });
    const router = new Router();
    registerSloRoutes(router, { registry, engine: new PromQLEngine(source()), nowMs: () => NOW_MS + 30_000 });
    server = await serve(router);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('POST declares (201), replaces (200) and reloads the rule groups', async () => {
    const created = await call('POST', SLOS, CHECKOUT);
    assert.equal(created.status, 201);
    assert.deepEqual((created.body.data as Json).slo, {
      ...CHECKOUT,
      objective: 0.99,
      window: '30d',
      page_severity: 'page',
      ticket_severity: 'ticket',
    });
    assert.deepEqual(
      groups.map((group) => group.name),
      ['slo:from-config', 'slo:checkout'],
    );
    assert.equal((await call('POST', SLOS, { ...CHECKOUT, objective: 98 })).status, 200);
    assert.equal((await call('POST', SLOS, CHECKOUT)).status, 200);
  });

  test('GET lists every SLO with its status; GET by name shows one', async () => {
    await call('POST', SLOS, CHECKOUT);
    const list = await call('GET', SLOS);
    assert.equal(list.status, 200);
    const data = list.body.data as { slo: Json; source: string; status: Json }[];
    assert.deepEqual(
      data.map((entry) => [entry.slo.name, entry.source]),
      [
        ['from-config', 'config'],
        ['checkout', 'api'],
      ],
    );
    const one = await call('GET', `${SLOS}/checkout`);
    const status = (one.body.data as { status: Json }).status;
    assert.ok(Math.abs(Number(status.currentBurnRate) - 2) < 1e-9, String(status.currentBurnRate));
    assert.equal(status.window, '30d');
    assert.equal((status.alerts as { firing: boolean }[]).length, 2);
    assert.equal(data[0]?.status.sliRatio, null, 'no span metrics: no SLI yet');
  });

  const rejected: { name: string; body: unknown; contentType?: string; status: number; message: RegExp }[] = [
    {
      name: 'an invalid declaration',
      body: { ...CHECKOUT, objective: 100 },
      status: 400,
      message: /^invalid SLO: objective: expected a ratio/,
    },
    { name: 'a non-object', body: [1], status: 400, message: /^invalid SLO: expected a mapping$/ },
    {
      name: 'a config SLO name',
      body: { ...CHECKOUT, name: 'from-config' },
      status: 409,
      message: /config file/,
    },
    {
      name: 'a form body',
      body: CHECKOUT,
      contentType: 'text/plain',
      status: 415,
      message: /application\/json/,
    },
  ];
  for (const { name, body, contentType, status, message } of rejected) {
    test(`POST rejects ${name} with ${status}`, async () => {
      const response = await call('POST', SLOS, body, contentType);
      assert.equal(response.status, status);
      assert.match(String((response.body.error as Json).message), message);
    });
  }

  test('DELETE removes API SLOs only', async () => {
    await call('POST', SLOS, { ...CHECKOUT, name: 'doomed' });
    assert.deepEqual(await call('DELETE', `${SLOS}/doomed`), {
      status: 200,
      body: { data: { name: 'doomed' } },
    });
    assert.equal((await call('GET', `${SLOS}/doomed`)).status, 404);
    assert.equal((await call('DELETE', `${SLOS}/doomed`)).status, 404);
    assert.equal((await call('DELETE', `${SLOS}/from-config`)).status, 409);
    assert.ok(!groups.some((group) => group.name === 'slo:doomed'));
  });
});
