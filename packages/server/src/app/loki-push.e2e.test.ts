/**
 * Loki's push API on a running Vigil: what Promtail or Grafana Alloy would send is stored and found
 * through Vigil's log search, with its exact nanosecond time, stream labels and level.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { getJson, startTestVigil } from './e2e-support.ts';
import type { RunningVigil } from './start-vigil.ts';

let vigil: RunningVigil;
before(async () => {
  vigil = await startTestVigil();
});
after(() => vigil.close());

void test('POST /loki/api/v1/push (JSON) → GET /api/vigil/v1/logs finds the line by service and severity', async () => {
  const timeNanos = `${Date.now() - 60_000}123456`;
  const response = await fetch(`http://127.0.0.1:${vigil.ports.api}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      streams: [
        {
          stream: { service_name: 'feature-store', level: 'error', env: 'prod' },
          values: [[timeNanos, 'feature pipeline emitted 412 null values', { model: 'fraud-detector' }]],
        },
      ],
    }),
  });
  assert.equal(response.status, 204);
  const { status, body } = await getJson(vigil, '/api/vigil/v1/logs?service=feature-store&severity=error');
  assert.equal(status, 200);
  const logs = (body as { data: Record<string, unknown>[] }).data;
  assert.equal(logs.length, 1);
  assert.deepEqual(logs[0]?.body, { type: 'string', value: 'feature pipeline emitted 412 null values' });
  assert.equal(logs[0]?.severityNumber, 17);
  assert.equal(logs[0]?.timeUnixNano, timeNanos);
  const resource = logs[0]?.resource as { serviceName: string; attributes: Record<string, unknown> };
  assert.equal(resource.serviceName, 'feature-store');
  assert.deepEqual(resource.attributes['env'], { type: 'string', value: 'prod' });
  assert.deepEqual(logs[0]?.attributes, { model: { type: 'string', value: 'fraud-detector' } });
});
