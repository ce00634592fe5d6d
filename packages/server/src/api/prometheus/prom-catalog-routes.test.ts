import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startApiServer } from '../api-server.ts';
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

test('series with match[]: sorted label sets, GET and POST, limit with its warning', async () => {
  const { body } = await request(
    fixture.real,
    `/api/v1/series?match[]=up&start=${T0_SECONDS}&end=${T0_SECONDS + 600}`,
  );
  assert.deepEqual(body, {
    status: 'success',
    data: [
      { __name__: 'up', instance: 'a:9090', job: 'api' },
      { __name__: 'up', instance: 'b:9090', job: 'db' },
    ],
  });
  const posted = await postForm(fixture.real, '/api/v1/series', `match[]=${q('{job="api"}')}&limit=1`);
  assert.deepEqual(posted.body.data, [
    { __name__: 'http_requests_total', job: 'api', 'service.name': 'checkout' },
  ]);
  assert.deepEqual(posted.body.warnings, ['results truncated due to limit']);
  await expectError(fixture.real, '/api/v1/series', 400, 'bad_data', 'no match[] parameter provided');
  await expectError(
    fixture.real,
    `/api/v1/series?match[]=${q('{job=~".*"}')}`,
    400,
    'bad_data',
    'invalid parameter "match[]": match[] must contain at least one non-empty matcher',
  );
  await expectError(
    fixture.real,
    `/api/v1/series?match[]=${q('up{')}`,
    400,
    'bad_data',
    /^invalid parameter "match\[\]": 1:\d+: parse error: /,
  );
});

test('labels and label values, with match[] and the server cap on results', async () => {
  assert.deepEqual((await request(fixture.real, '/api/v1/labels')).body.data, [
    '__name__',
    'instance',
    'job',
    'service.name',
  ]);
  assert.deepEqual((await postForm(fixture.real, '/api/v1/labels', `match[]=up`)).body.data, [
    '__name__',
    'instance',
    'job',
  ]);
  assert.deepEqual((await request(fixture.real, '/api/v1/label/job/values')).body.data, ['api', 'db']);
  assert.deepEqual(
    (await request(fixture.real, `/api/v1/label/__name__/values?match[]=${q('{job="db"}')}`)).body.data,
    ['up'],
  );
  // U__ escaping of UTF-8 label names in the path (model.UnescapeName).
  assert.deepEqual((await request(fixture.real, '/api/v1/label/U__service_2e_name/values')).body.data, [
    'checkout',
  ]);
  const capped = await request(fixture.stub, '/api/v1/label/__name__/values?limit=5');
  assert.deepEqual(capped.body, { status: 'success', data: ['http_requests_total', 'up'] });
  const cut = await request(fixture.stub, '/api/v1/labels');
  assert.deepEqual(cut.body, {
    status: 'success',
    data: ['__name__', 'instance'],
    warnings: ['results truncated due to limit'],
  });
  await expectError(
    fixture.real,
    '/api/v1/labels?start=yesterday',
    400,
    'bad_data',
    `invalid parameter "start": Invalid time value for 'start': cannot parse "yesterday" to a valid timestamp`,
  );
  const wrongMethod = await request(fixture.real, '/api/v1/label/job/values', { method: 'POST' });
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.body.status, 'error');
});

test('metadata, buildinfo, unknown routes', async () => {
  assert.deepEqual((await request(fixture.real, '/api/v1/metadata?metric=up')).body.data, {
    up: [{ type: 'gauge', help: 'Whether the target is up.', unit: '' }],
  });
  assert.equal(
    Object.keys((await request(fixture.real, '/api/v1/metadata?limit=1')).body.data as Json).length,
    1,
  );
  await expectError(fixture.real, '/api/v1/metadata?limit=x', 400, 'bad_data', 'limit must be a number');
  const build = (await request(fixture.real, '/api/v1/status/buildinfo')).body.data as Json;
  assert.equal(build.version, '3.0.0');
  assert.deepEqual(Object.keys(build).sort(), [
    'branch',
    'buildDate',
    'buildUser',
    'goVersion',
    'revision',
    'version',
  ]);
  await expectError(fixture.real, '/api/v1/no_such_endpoint', 404, 'not_found', 'no such route');
});

test('status/tsdb reports series counts per metric, with a bounded limit', async () => {
  const body = (await request(fixture.real, '/api/v1/status/tsdb?limit=1')).body;
  assert.equal(body.status, 'success');
  const data = body.data as {
    headStats: { numSeries: number };
    seriesCountByMetricName: { name: string; value: number }[];
  };
  assert.ok(data.headStats.numSeries > 0);
  assert.equal(data.seriesCountByMetricName.length, 1);
  assert.ok((data.seriesCountByMetricName[0]?.value ?? 0) > 0);
  await expectError(
    fixture.real,
    '/api/v1/status/tsdb?limit=0',
    400,
    'bad_data',
    'limit must be a positive number',
  );
});

test('format_query prettifies; parse_query returns the tree; query_exemplars validates and answers empty', async () => {
  const formatted = await request(
    fixture.real,
    `/api/v1/format_query?query=${q('sum(rate(x{a="b"}[300s]))by(job)')}`,
  );
  assert.deepEqual(formatted.body, { status: 'success', data: 'sum by (job) (rate(x{a="b"}[5m]))' });
  const posted = await postForm(fixture.real, '/api/v1/format_query', `query=${q('1+1')}`);
  assert.equal(posted.body.data, '1 + 1');
  await expectError(
    fixture.real,
    `/api/v1/format_query?query=${q('sum(')}`,
    400,
    'bad_data',
    /^invalid parameter "query": 1:\d+: parse error: /,
  );
  const parsed = (await request(fixture.real, '/api/v1/parse_query?query=up')).body.data as Json;
  assert.equal(parsed.type, 'vectorSelector');
  assert.equal(parsed.name, 'up');
  assert.deepEqual((await request(fixture.real, '/api/v1/query_exemplars?query=up')).body, {
    status: 'success',
    data: [],
  });
  assert.equal((await request(fixture.real, '/api/v1/query_exemplars?query=1')).status, 204);
  await expectError(
    fixture.real,
    '/api/v1/query_exemplars?query=up&start=10&end=5',
    400,
    'bad_data',
    'end timestamp must not be before start timestamp',
  );
});

test('with `promql: false` the /api/v1 routes answer 404 in Prometheus format', async () => {
  const bare = await startApiServer({ port: 0, store: fixture.store, metricsText: () => '', promql: false });
  try {
    await expectError(bare, '/api/v1/query?query=up', 404, 'not_found', 'no such route');
  } finally {
    await bare.close();
  }
});
