import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  expectError,
  postForm,
  q,
  request,
  startPromFixture,
  T0_SECONDS,
  type Json,
  type PromFixture,
} from './prom-test-fixture.ts';

let fixture: PromFixture;

before(async () => {
  fixture = await startPromFixture();
});

after(() => fixture.close());

test('query and query_range parameter errors are worded as Prometheus words them', async () => {
  const rows: [string, string][] = [
    [
      '/api/v1/query?query=up&time=x',
      `invalid parameter "time": Invalid time value for 'time': cannot parse "x" to a valid timestamp`,
    ],
    [
      '/api/v1/query?query=up&timeout=soon',
      'invalid parameter "timeout": cannot parse "soon" to a valid duration',
    ],
    ['/api/v1/query?query=up&limit=-1', 'invalid parameter "limit": limit must be non-negative'],
    [
      '/api/v1/query?query=up&lookback_delta=x',
      'error parsing lookback delta duration: cannot parse "x" to a valid duration',
    ],
    [
      '/api/v1/query_range?query=up&start=x&end=1&step=1',
      'invalid parameter "start": cannot parse "x" to a valid timestamp',
    ],
    [
      '/api/v1/query_range?query=up&start=1&step=1',
      'invalid parameter "end": cannot parse "" to a valid timestamp',
    ],
    [
      '/api/v1/query_range?query=up&start=10&end=5&step=1',
      'invalid parameter "end": end timestamp must not be before start time',
    ],
    [
      '/api/v1/query_range?query=up&start=0&end=5&step=0',
      'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
    ],
    [
      '/api/v1/query_range?query=up&start=0&end=5&step=-1m',
      'invalid parameter "step": cannot parse "-1m" to a valid duration',
    ],
    [
      '/api/v1/query_range?query=up&start=0&end=5',
      'invalid parameter "step": cannot parse "" to a valid duration',
    ],
    [
      '/api/v1/query_range?query=up&start=0&end=5&step=0.0001',
      'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
    ],
    [
      '/api/v1/query_range?query=up&start=0&end=11001&step=1',
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    ],
  ];
  for (const [path, error] of rows) await expectError(fixture.real, path, 400, 'bad_data', error);
  // 11,000 points exactly is allowed.
  const { status } = await request(fixture.stub, '/api/v1/query_range?query=up&start=0&end=11000&step=1');
  assert.equal(status, 200);
});

test('a parse error is a bad_data error of the "query" parameter, with its position', async () => {
  await expectError(
    fixture.real,
    `/api/v1/query?query=${q('sum(up')}`,
    400,
    'bad_data',
    /^invalid parameter "query": 1:\d+: parse error: /,
  );
  await expectError(
    fixture.real,
    `/api/v1/query_range?query=${q('up{')}&start=0&end=60&step=15`,
    400,
    'bad_data',
    /^invalid parameter "query": 1:\d+: parse error: /,
  );
});

test('query_range passes times and step to the engine in ms (RFC 3339, float seconds, durations)', async () => {
  fixture.rangeCalls.length = 0;
  const { status, body } = await request(
    fixture.stub,
    '/api/v1/query_range?query=up&start=2023-11-14T22:13:20Z&end=1700000060.5&step=15s',
  );
  assert.equal(status, 200);
  assert.deepEqual(body, { status: 'success', data: { resultType: 'matrix', result: [] } });
  const posted = await postForm(
    fixture.stub,
    '/api/v1/query_range',
    'query=up&start=1700000000&end=1700000060&step=0.5',
  );
  assert.equal(posted.status, 200);
  assert.deepEqual(fixture.rangeCalls, [
    [T0_SECONDS * 1000, T0_SECONDS * 1000 + 60_500, 15_000],
    [T0_SECONDS * 1000, T0_SECONDS * 1000 + 60_000, 500],
  ]);
});

test('results: Go float strings, ms timestamps, warnings capped at ten, infos, and `limit` truncation', async () => {
  const { status, body } = await request(fixture.stub, '/api/v1/query?query=annotated&limit=2');
  assert.equal(status, 200);
  const data = body.data as { resultType: string; result: { metric: Json; value: [number, string] }[] };
  assert.equal(data.resultType, 'vector');
  assert.deepEqual(data.result, [
    { metric: { job: 'a' }, value: [1.5, '+Inf'] },
    { metric: { job: 'b' }, value: [1.5, '-0.5'] },
  ]);
  const warnings = body.warnings as string[];
  assert.equal(warnings.length, 11);
  assert.equal(warnings[10], '2 more warning annotations omitted');
  assert.deepEqual(body.infos, ['PromQL info: i']);
});

test('engine failures map to Prometheus errorTypes; unknown errors are a generic 500', async () => {
  await expectError(
    fixture.stub,
    '/api/v1/query?query=failing',
    422,
    'execution',
    'expanding series: storage said no',
  );
  await expectError(fixture.stub, '/api/v1/query?query=broken', 500, 'internal', 'internal error');
});

test('timeout: a query past its deadline answers 503 timeout; the concurrency limit queues, then refuses', async () => {
  await expectError(
    fixture.stub,
    '/api/v1/query?query=slow&timeout=0.05',
    503,
    'timeout',
    'query timed out in expression evaluation',
  );
  // The timed-out query still holds the only slot; one more may wait, the next is refused.
  const queued = request(fixture.stub, '/api/v1/query?query=slow&timeout=0.2');
  await new Promise((resolve) => setTimeout(resolve, 50));
  await expectError(fixture.stub, '/api/v1/query?query=slow', 503, 'unavailable', /too many queries waiting/);
  const waited = await queued;
  assert.equal(waited.status, 503);
  assert.equal(waited.body.error, 'query timed out in query queue');
  fixture.releaseSlow();
  await new Promise((resolve) => setTimeout(resolve, 10));
  const metrics = await (await fetch(`http://127.0.0.1:${fixture.stub.port}/metrics`)).text();
  assert.match(metrics, /vigil_promql_api_requests_total\{endpoint="query",outcome="timeout"\} [1-9]/);
  assert.match(metrics, /vigil_promql_api_requests_total\{endpoint="query",outcome="unavailable"\} [1-9]/);
});

test('GET and POST instant queries through the real engine', async () => {
  const time = T0_SECONDS + 300;
  assert.deepEqual((await request(fixture.real, `/api/v1/query?query=${q('1+1')}&time=${time}`)).body, {
    status: 'success',
    data: { resultType: 'scalar', result: [time, '2'] },
  });
  assert.deepEqual((await request(fixture.real, `/api/v1/query?query=${q('"x"')}&time=${time}`)).body.data, {
    resultType: 'string',
    result: [time, 'x'],
  });
  const summed = await postForm(
    fixture.real,
    `/api/v1/query?query=ignored`,
    `query=${q('sum(up)')}&time=${time}`,
  );
  assert.deepEqual(summed.body.data, { resultType: 'vector', result: [{ metric: {}, value: [time, '1'] }] });
  const up = (await request(fixture.real, `/api/v1/query?query=up&time=${time}`)).body.data as {
    result: { metric: Json; value: unknown }[];
  };
  assert.deepEqual(up.result.map((r) => [r.metric.job, r.value]).sort(), [
    ['api', [time, '1']],
    ['db', [time, '0']],
  ]);
});

test('range queries through the real engine', async () => {
  const path = `/api/v1/query_range?query=up&start=${T0_SECONDS}&end=${T0_SECONDS + 60}&step=15`;
  const { body } = await request(fixture.real, path);
  const data = body.data as { resultType: string; result: { metric: Json; values: [number, string][] }[] };
  assert.equal(data.resultType, 'matrix');
  assert.equal(data.result.length, 2);
  const api = data.result.find((series) => series.metric.job === 'api');
  assert.deepEqual(
    api?.values,
    [0, 15, 30, 45, 60].map((s) => [T0_SECONDS + s, '1']),
  );
  const posted = await postForm(
    fixture.real,
    '/api/v1/query_range',
    `query=${q('sum(up)')}&start=${T0_SECONDS}&end=${T0_SECONDS + 30}&step=15s`,
  );
  assert.deepEqual((posted.body.data as Json).result, [
    {
      metric: {},
      values: [
        [T0_SECONDS, '1'],
        [T0_SECONDS + 15, '1'],
        [T0_SECONDS + 30, '1'],
      ],
    },
  ]);
});
