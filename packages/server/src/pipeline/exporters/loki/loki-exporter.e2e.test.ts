/**
 * The loki exporter pushes into a second Vigil's Loki push endpoint (POST /loki/api/v1/push), in
 * both encodings; what that Vigil stores must be what was exported: the JSON line as the body, the
 * stream labels as resource attributes, the level as severity, the exact nanosecond time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestVigil } from '../../../app/e2e-support.ts';
import type { RunningVigil } from '../../../app/start-vigil.ts';
import { attrs, BASE_NANOS, makeLog, resource } from '../../../storage/contract-fixtures.ts';
import type { ComponentContext } from '../../graph/component.ts';
import { testComponentContext } from '../../graph/test-context.ts';
import { lokiExporterFactory } from './loki-exporter.ts';

let vigil: RunningVigil;
before(async () => {
  vigil = await startTestVigil();
});
after(() => vigil.close());

function context(id: string): ComponentContext {
  return testComponentContext({ id, nowMs: () => 1_760_000_000_000 });
}

void describe('loki exporter → Vigil Loki push endpoint', () => {
  for (const [index, format] of (['protobuf', 'json'] as const).entries()) {
    void it(`${format}: records read back from the receiving store with their fields`, async () => {
      const service = `loki-export-${format}`;
      const source = resource(service, {
        'service.namespace': 'ml',
        'service.instance.id': `pod-${index}`,
        'host.name': 'node-3',
      });
      const records = [
        makeLog(1, {
          resource: source,
          severityNumber: 17,
          severityText: 'ERROR',
          body: 'model <v2> failed & retried',
        }),
        makeLog(2, { resource: source, attributes: attrs({ 'http.status': 503n, ratio: 0.25 }) }),
      ];
      const exporter = lokiExporterFactory.create(
        'logs',
        {
          endpoint: `http://127.0.0.1:${vigil.ports.api}/loki/api/v1/push`,
          format,
          sending_queue: { enabled: false },
        },
        context(`loki/${format}`),
      );
      await exporter.consume(records);
      await exporter.shutdown();
      const stored = await vigil.store.searchLogs({
        limit: 10,
        range: { startUnixNano: BASE_NANOS - 1n, endUnixNano: BASE_NANOS + 10_000n },
      });
      const mine = stored
        .filter((r) => r.resource.attributes['job'] === `ml/${service}`)
        .sort((a, b) => (a.timeUnixNano < b.timeUnixNano ? -1 : 1));
      assert.equal(mine.length, 2);
      const [first, second] = mine;
      assert.equal(first?.timeUnixNano, records[0]?.timeUnixNano);
      assert.equal(second?.timeUnixNano, records[1]?.timeUnixNano);
      assert.equal(first?.severityNumber, 17);
      assert.equal(first?.severityText, 'ERROR');
      assert.equal(second?.severityText, 'INFO');
      assert.deepEqual(
        { ...first?.resource.attributes },
        {
          exporter: 'OTLP',
          instance: `pod-${index}`,
          job: `ml/${service}`,
          level: 'ERROR',
          'service.name': `ml/${service}`,
        },
      );
      assert.equal(typeof first?.body, 'string');
      assert.deepEqual(JSON.parse(first?.body as string), {
        body: 'model <v2> failed & retried',
        severity: 'ERROR',
        attributes: { n: 1 },
        resources: {
          'host.name': 'node-3',
          'service.instance.id': `pod-${index}`,
          'service.name': service,
          'service.namespace': 'ml',
        },
        instrumentation_scope: { name: 'vigil.test', version: '1.2.3' },
      });
      const secondLine = JSON.parse(second?.body as string) as { attributes: unknown };
      assert.deepEqual(secondLine.attributes, { 'http.status': 503, ratio: 0.25 });
    });
  }
});
