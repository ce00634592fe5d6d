import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { AlertView, RuleGroupView } from '../../rules/manager/rule-manager.ts';
import { toApiError } from '../api-error.ts';
import { sendJson } from '../http-io.ts';
import { Router } from '../router.ts';
import { errorBody } from './prom-json.ts';
import { formatGoExponent, goTime, registerRuleRoutes } from './prom-rules-routes.ts';

type Json = Record<string, unknown>;
const T0 = 1_700_000_000_000;

const FIRING: AlertView = {
  groupKey: '/etc/rules/ml.yaml;ml',
  ruleName: 'HighLatency',
  labels: { severity: 'page', alertname: 'HighLatency', model: 'fraud' },
  annotations: { summary: 'slow' },
  state: 'firing',
  activeAtMs: T0 + 500,
  firedAtMs: T0 + 300_500,
  value: 0.75,
};

const GROUPS: RuleGroupView[] = [
  {
    key: '/etc/rules/ml.yaml;ml',
    name: 'ml',
    file: '/etc/rules/ml.yaml',
    intervalMs: 30_000,
    queryOffsetMs: 0,
    limit: 0,
    labels: {},
    evaluationTimeMs: 12.5,
    lastEvaluationMs: T0 + 330_000,
    rules: [
      {
        type: 'alerting',
        name: 'HighLatency',
        query: 'latency > 0.5',
        labels: { severity: 'page' },
        health: 'ok',
        lastError: '',
        evaluationTimeMs: 2,
        lastEvaluationMs: T0 + 330_000,
        state: 'firing',
        forMs: 300_000,
        keepFiringForMs: 60_000,
        annotations: { summary: 'slow' },
        alerts: [FIRING],
      },
      {
        type: 'recording',
        name: 'job:latency:p99',
        query: 'histogram_quantile(0.99, rate(x[5m]))',
        labels: {},
        health: 'err',
        lastError: 'exceeded limit of 1 with 2 series',
        evaluationTimeMs: 1,
        lastEvaluationMs: T0 + 330_000,
      },
    ],
  },
  {
    key: 'slo:checkout;slo',
    name: 'slo',
    file: 'slo:checkout',
    intervalMs: 60_000,
    queryOffsetMs: 0,
    limit: 10,
    labels: {},
    evaluationTimeMs: 0,
    rules: [
      {
        type: 'recording',
        name: 'slo:errors:ratio_rate5m',
        query: 'vector(0)',
        labels: { slo: 'checkout' },
        health: 'unknown',
        lastError: '',
        evaluationTimeMs: 0,
      },
    ],
  },
];

let server: Server;
let port: number;

before(async () => {
  const router = new Router();
  registerRuleRoutes(router, { groups: () => GROUPS, alerts: () => [FIRING] });
  // The central handler's part that matters here: routing, and errors in Prometheus's format.
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    Promise.resolve()
      .then(() => {
        const match = router.match(request.method ?? 'GET', url.pathname);
        return match.route.handler({
          request,
          response,
          pathParams: match.pathParams,
          query: url.searchParams,
        });
      })
      .catch((error: unknown) => {
        const apiError = toApiError(error);
        sendJson(response, apiError.status, errorBody(apiError));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function get(path: string): Promise<{ status: number; body: Json; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Json, text };
}

const ALERT_JSON = {
  labels: { alertname: 'HighLatency', model: 'fraud', severity: 'page' },
  annotations: { summary: 'slow' },
  state: 'firing',
  activeAt: '2023-11-14T22:13:20.5Z',
  value: '7.5e-01',
};

const ALERTING_JSON = {
  state: 'firing',
  name: 'HighLatency',
  query: 'latency > 0.5',
  duration: 300,
  keepFiringFor: 60,
  labels: { severity: 'page' },
  annotations: { summary: 'slow' },
  alerts: [ALERT_JSON],
  health: 'ok',
  evaluationTime: 0.002,
  lastEvaluation: '2023-11-14T22:18:50Z',
  type: 'alerting',
};

const RECORDING_JSON = {
  name: 'job:latency:p99',
  query: 'histogram_quantile(0.99, rate(x[5m]))',
  health: 'err',
  lastError: 'exceeded limit of 1 with 2 series',
  evaluationTime: 0.001,
  lastEvaluation: '2023-11-14T22:18:50Z',
  type: 'recording',
};

const ML_GROUP = {
  name: 'ml',
  file: '/etc/rules/ml.yaml',
  rules: [ALERTING_JSON, RECORDING_JSON],
  interval: 30,
  limit: 0,
  evaluationTime: 0.0125,
  lastEvaluation: '2023-11-14T22:18:50Z',
};

const SLO_GROUP = {
  name: 'slo',
  file: 'slo:checkout',
  rules: [
    {
      name: 'slo:errors:ratio_rate5m',
      query: 'vector(0)',
      labels: { slo: 'checkout' },
      health: 'unknown',
      evaluationTime: 0,
      lastEvaluation: '0001-01-01T00:00:00Z',
      type: 'recording',
    },
  ],
  interval: 60,
  limit: 10,
  evaluationTime: 0,
  lastEvaluation: '0001-01-01T00:00:00Z',
};

test('GET /api/v1/rules: groups, alerting and recording rules in Prometheus field order and formats', async () => {
  const { status, body } = await get('/api/v1/rules');
  assert.equal(status, 200);
  assert.deepEqual(body, { status: 'success', data: { groups: [ML_GROUP, SLO_GROUP] } });
  const groups = (body.data as { groups: { rules: Json[] }[] }).groups;
  assert.deepEqual(Object.keys(groups[0] ?? {}), Object.keys(ML_GROUP));
  assert.deepEqual(Object.keys(groups[0]?.rules[0] ?? {}), Object.keys(ALERTING_JSON));
  assert.deepEqual(Object.keys(groups[0]?.rules[1] ?? {}), Object.keys(RECORDING_JSON));
});

interface FilterCase {
  query: string;
  groups: unknown[];
  /** The group the next page starts with (getRuleGroupNextToken: SHA-1 of `file;name`). */
  nextGroup?: string;
}

const FILTERS: FilterCase[] = [
  { query: 'type=alert', groups: [{ ...ML_GROUP, rules: [ALERTING_JSON] }] },
  { query: 'type=RECORD', groups: [{ ...ML_GROUP, rules: [RECORDING_JSON] }, SLO_GROUP] },
  { query: 'rule_name[]=HighLatency&rule_name[]=nothing', groups: [{ ...ML_GROUP, rules: [ALERTING_JSON] }] },
  { query: 'rule_group[]=slo', groups: [SLO_GROUP] },
  { query: 'file[]=%2Fetc%2Frules%2Fml.yaml', groups: [ML_GROUP] },
  {
    query: 'exclude_alerts=true',
    groups: [{ ...ML_GROUP, rules: [{ ...ALERTING_JSON, alerts: null }, RECORDING_JSON] }, SLO_GROUP],
  },
  { query: 'exclude_alerts=0', groups: [ML_GROUP, SLO_GROUP] },
  {
    query: `match[]=${encodeURIComponent('{severity="page"}')}`,
    groups: [{ ...ML_GROUP, rules: [ALERTING_JSON] }],
  },
  { query: 'group_limit=1', groups: [ML_GROUP], nextGroup: 'slo:checkout;slo' },
];

test('GET /api/v1/rules filters: type, rule_name[], rule_group[], file[], exclude_alerts, match[], group_limit', async () => {
  for (const filter of FILTERS) {
    const { body } = await get(`/api/v1/rules?${filter.query}`);
    const data = body.data as Json;
    assert.deepEqual(data.groups, filter.groups, filter.query);
    if (filter.nextGroup === undefined) {
      assert.equal(data.groupNextToken, undefined, filter.query);
      continue;
    }
    const token = createHash('sha1').update(filter.nextGroup).digest('hex');
    assert.equal(data.groupNextToken, token, filter.query);
    const next = await get(`/api/v1/rules?group_limit=1&group_next_token=${token}`);
    assert.deepEqual(next.body, { status: 'success', data: { groups: [SLO_GROUP] } });
  }
});

test('GET /api/v1/rules parameter errors as Prometheus words them', async () => {
  const rows: [string, string][] = [
    ['type=foo', 'invalid parameter "type": not supported value "foo"'],
    [
      'exclude_alerts=maybe',
      'invalid parameter "exclude_alerts": error converting exclude_alerts: strconv.ParseBool: parsing "maybe": invalid syntax',
    ],
    [
      'group_next_token=abc',
      'invalid parameter "group_next_token": group_limit needs to be present in order to paginate over the groups',
    ],
    ['group_limit=0', 'invalid parameter "group_limit": group_limit needs to be greater than 0'],
    [
      'group_limit=x',
      'invalid parameter "group_limit": group_limit needs to be a valid number: strconv.ParseInt: parsing "x": invalid syntax',
    ],
    [
      'group_limit=1&group_next_token=abc',
      'invalid parameter "group_next_token": invalid group_next_token \'abc\'. were rule groups changed?',
    ],
    [`match[]=${encodeURIComponent('{a=""}')}`, 'match[] must contain at least one non-empty matcher'],
  ];
  for (const [query, error] of rows) {
    const { status, body } = await get(`/api/v1/rules?${query}`);
    assert.deepEqual([status, body], [400, { status: 'error', errorType: 'bad_data', error }], query);
  }
});

test('GET /api/v1/alerts: every active alert', async () => {
  const { status, body } = await get('/api/v1/alerts');
  assert.deepEqual([status, body], [200, { status: 'success', data: { alerts: [ALERT_JSON] } }]);
});

test('Go formats: %e values and RFC 3339 times', () => {
  const values: [number, string][] = [
    [1, '1e+00'],
    [0.75, '7.5e-01'],
    [-1.5e-7, '-1.5e-07'],
    [1e100, '1e+100'],
    [123456789, '1.23456789e+08'],
    [0, '0e+00'],
    [-0, '-0e+00'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ];
  for (const [value, text] of values) assert.equal(formatGoExponent(value), text, String(value));
  assert.equal(goTime(T0), '2023-11-14T22:13:20Z');
  assert.equal(goTime(T0 + 120), '2023-11-14T22:13:20.12Z');
  assert.equal(goTime(undefined), '0001-01-01T00:00:00Z');
});
