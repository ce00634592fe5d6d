import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsFrom } from '../../query/promql/labels.ts';
import { ApiError } from '../api-error.ts';
import { errorBody, labelsJson, queryDataJson, successBody, timestampJson } from './prom-json.ts';

test('timestampJson writes marshalTimestamp: seconds, and milliseconds as three digits when present', () => {
  const rows: [number, string][] = [
    [0, '0'],
    [1000, '1'],
    [1500, '1.500'],
    [1_700_000_000_050, '1700000000.050'],
    [1_700_000_000_001, '1700000000.001'],
    [-1500, '-1.500'],
    [-1000, '-1'],
  ];
  for (const [ms, want] of rows) assert.equal(timestampJson(ms), want);
});

test('queryDataJson writes each result type as Prometheus does', () => {
  const labels = labelsFrom({ job: 'api', __name__: 'up', '0': 'digit' });
  assert.equal(
    queryDataJson({ type: 'scalar', timestampMs: 1500, value: 2 }),
    '{"resultType":"scalar","result":[1.500,"2"]}',
  );
  assert.equal(
    queryDataJson({ type: 'string', timestampMs: 0, value: 'x"y' }),
    '{"resultType":"string","result":[0,"x\\"y"]}',
  );
  assert.equal(
    queryDataJson({ type: 'vector', samples: [{ labels, timestampMs: 2000, value: Infinity }] }),
    '{"resultType":"vector","result":[{"metric":{"0":"digit","__name__":"up","job":"api"},"value":[2,"+Inf"]}]}',
  );
  assert.equal(
    queryDataJson({
      type: 'matrix',
      series: [{ labels: labelsFrom({}), timestampsMs: [0, 60_000], values: [NaN, 1e21] }],
    }),
    '{"resultType":"matrix","result":[{"metric":{},"values":[[0,"NaN"],[60,"1000000000000000000000"]]}]}',
  );
  assert.equal(queryDataJson({ type: 'vector', samples: [] }), '{"resultType":"vector","result":[]}');
});

test('labelsJson keeps sorted order even for names JavaScript objects would reorder', () => {
  assert.equal(labelsJson(labelsFrom({ b: '1', '10': 'x', a: '\n' })), '{"10":"x","a":"\\n","b":"1"}');
});

test('successBody leaves out empty annotations and caps each kind at ten', () => {
  assert.equal(successBody('[]'), '{"status":"success","data":[]}');
  const warnings = Array.from({ length: 12 }, (_, i) => `w${i}`);
  const body = JSON.parse(successBody('1', warnings, ['i'])) as { warnings: string[]; infos: string[] };
  assert.equal(body.warnings.length, 11);
  assert.equal(body.warnings[10], '2 more warning annotations omitted');
  assert.deepEqual(body.infos, ['i']);
});

test('errorBody uses the errorType of the error, or derives it from the status', () => {
  assert.deepEqual(errorBody(new ApiError(422, 'boom', undefined, 'execution')), {
    status: 'error',
    errorType: 'execution',
    error: 'boom',
  });
  const rows: [number, string][] = [
    [404, 'not_found'],
    [405, 'bad_data'],
    [414, 'bad_data'],
    [429, 'unavailable'],
    [503, 'unavailable'],
    [500, 'internal'],
  ];
  for (const [status, errorType] of rows)
    assert.equal(errorBody(new ApiError(status, 'x')).errorType, errorType);
});
