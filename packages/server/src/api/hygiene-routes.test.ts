import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fingerprint } from '../rules/notify/label-set.ts';
import { AlertHistory } from '../rules/hygiene/alert-history.ts';
import type { AlertTransition } from '../rules/rule-types.ts';
import { toApiError } from './api-error.ts';
import { sendJson } from './http-io.ts';
import { registerHygieneRoutes } from './hygiene-routes.ts';
import { Router } from './router.ts';

const HOUR = 3_600_000;
const NOW = 1_000 * HOUR;
const labels = { alertname: 'GPUMemoryPressure', gpu: '0' };

function transition(atMs: number, to: AlertTransition['to']): AlertTransition {
  return {
    groupKey: 'seed.yml;ml',
    alertname: labels.alertname,
    labels,
    from: to === 'firing' ? 'pending' : 'firing',
    to,
    atMs,
    value: 0.95,
  };
}

/** A real HTTP server around the router, writing errors as api-server.ts does for Vigil routes. */
function serve(router: Router): Server {
  return createServer((request, response) => {
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
}

describe('hygiene routes', () => {
  let server: Server;
  let base = '';
  let clockMs = NOW;
  const history = new AlertHistory();

  before(async () => {
    for (let i = 0; i < 4; i++) {
      history.record(transition(NOW - 48 * HOUR + i * 30 * 60_000, 'firing'));
      history.record(transition(NOW - 48 * HOUR + i * 30 * 60_000 + 5 * 60_000, 'inactive'));
    }
    const router = new Router();
    registerHygieneRoutes(router, history, { nowMs: () => clockMs });
    server = serve(router);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/vigil/v1/alerts`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (body: unknown): Promise<Response> =>
    fetch(`${base}/acknowledgements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  test('GET /alerts/hygiene reports the window with suggestions', async () => {
    const response = await fetch(`${base}/hygiene?window=7d`);
    assert.equal(response.status, 200);
    const { data } = (await response.json()) as {
      data: {
        windowStartMs: number;
        alerts: Array<{ alertname: string; timesFired: number; flaps: number; suggestions: string[] }>;
      };
    };
    assert.equal(data.windowStartMs, NOW - 7 * 24 * HOUR);
    assert.equal(data.alerts[0]?.alertname, 'GPUMemoryPressure');
    assert.equal(data.alerts[0]?.timesFired, 4);
    assert.equal(data.alerts[0]?.flaps, 3);
    assert.equal(data.alerts[0]?.suggestions.length, 3, data.alerts[0]?.suggestions.join('\n'));
  });

  test('the window defaults to 7d; a bad window is a 400 naming the parameter', async () => {
    const { data } = (await (await fetch(`${base}/hygiene`)).json()) as { data: { windowStartMs: number } };
    assert.equal(data.windowStartMs, NOW - 7 * 24 * HOUR);
    for (const window of ['7', '-1d', '0s', '400d', '1.5h']) {
      const response = await fetch(`${base}/hygiene?window=${window}`);
      assert.equal(response.status, 400, window);
      const body = (await response.json()) as { error: { message: string } };
      assert.match(body.error.message, /^invalid parameter 'window'/);
    }
  });

  test('POST /alerts/acknowledgements answers 201; the ack covers the episode and is listed', async () => {
    clockMs = NOW - 48 * HOUR + 60_000;
    const byLabels = await post({
      labels: { alertname: 'GPUMemoryPressure' },
      by: 'ana',
      comment: 'batch size',
    });
    assert.equal(byLabels.status, 201);
    const created = (await byLabels.json()) as {
      data: { id: string; by: string; atMs: number; labels: object };
    };
    assert.deepEqual(
      { ...created.data, id: 'x' },
      {
        id: 'x',
        by: 'ana',
        atMs: clockMs,
        labels: { alertname: 'GPUMemoryPressure' },
        comment: 'batch size',
      },
    );
    clockMs = NOW - 46 * HOUR + 60_000;
    assert.equal((await post({ fingerprint: fingerprint(labels), by: 'raj' })).status, 201);
    clockMs = NOW;
    const list = (await (await fetch(`${base}/acknowledgements`)).json()) as { data: Array<{ by: string }> };
    assert.deepEqual(
      list.data.map((ack) => ack.by),
      ['raj', 'ana'],
      'newest first',
    );
    const report = (await (await fetch(`${base}/hygiene`)).json()) as {
      data: { alerts: Array<{ firedWithoutAck: number }> };
    };
    assert.equal(report.data.alerts[0]?.firedWithoutAck, 2);
  });

  test('invalid acknowledgements are 400s that name the field', async () => {
    const cases: ReadonlyArray<[unknown, RegExp]> = [
      [[], /expected a JSON object/],
      [{ labels: { alertname: 'A' } }, /'by'/],
      [{ labels: { alertname: 'A' }, by: ' ' }, /'by'/],
      [{ labels: {}, by: 'ana' }, /'labels'/],
      [{ labels: { alertname: 1 }, by: 'ana' }, /'labels'/],
      [{ by: 'ana' }, /exactly one of 'labels' and 'fingerprint'/],
      [{ labels: { a: 'b' }, fingerprint: 'abc', by: 'ana' }, /exactly one/],
      [{ fingerprint: 'XYZ', by: 'ana' }, /'fingerprint'/],
      [{ labels: { a: 'b' }, by: 'ana', comment: 5 }, /'comment'/],
    ];
    for (const [body, message] of cases) {
      const response = await post(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match(((await response.json()) as { error: { message: string } }).error.message, message);
    }
    const wrongType = await fetch(`${base}/acknowledgements`, { method: 'POST', body: '{}' });
    assert.equal(wrongType.status, 415);
  });
});
