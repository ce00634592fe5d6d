import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UNKNOWN_SERVICE } from '../../../model/resource.ts';
import { makeLog, makeSpan, metricPointsOfEveryType, resource } from '../../../storage/contract-fixtures.ts';
import { SettingsError } from '../../graph/component.ts';
import { RecordingConsumer, plain, testContext } from '../attributes/attributes-test-support.ts';
import { resourceFactory } from './resource-processor.ts';

function tracesProcessor(attributes: unknown[]) {
  const sink = new RecordingConsumer<'traces'>();
  return { sink, processor: resourceFactory.create('traces', { attributes }, sink, testContext()) };
}

describe('resource processor', () => {
  it('rewrites a shared resource once and the records keep sharing it', async () => {
    const shared = resource('predictor', { 'host.name': 'gpu-1' });
    const other = resource('trainer');
    const spans = [1, 2, 3].map((span) => makeSpan({ trace: 1, span, resource: shared }));
    spans.push(makeSpan({ trace: 1, span: 4, resource: other }));
    const { sink, processor } = tracesProcessor([
      { key: 'cloud.region', value: 'eu-west-1', action: 'upsert' },
      { key: 'host.name', action: 'delete' },
    ]);
    await processor.consume(spans);
    const out = sink.last();
    const [first, second, third, fourth] = out;
    assert.ok(first && second && third && fourth);
    assert.notEqual(first.resource, shared);
    assert.equal(second.resource, first.resource, 'one new resource for the records that shared one');
    assert.equal(third.resource, first.resource);
    assert.notEqual(fourth.resource, first.resource);
    assert.deepStrictEqual(plain(first.resource.attributes), { 'service.name': 'predictor', 'cloud.region': 'eu-west-1' });
    assert.deepStrictEqual(plain(shared.attributes), { 'service.name': 'predictor', 'host.name': 'gpu-1' }, 'input resource unchanged');
    assert.equal(spans[0]?.resource, shared, 'input spans unchanged');
    assert.equal(first.attributes, spans[0]?.attributes, 'span attributes are not the resource processor’s to copy');
  });

  const SERVICE_NAME_CASES: { name: string; action: Record<string, unknown>; serviceName: string }[] = [
    { name: 'upsert', action: { key: 'service.name', value: 'renamed', action: 'upsert' }, serviceName: 'renamed' },
    { name: 'from another attribute', action: { key: 'service.name', from_attribute: 'k8s.deployment.name', action: 'update' }, serviceName: 'predictor-v2' },
    { name: 'delete', action: { key: 'service.name', action: 'delete' }, serviceName: UNKNOWN_SERVICE },
    // SHA-256 of "predictor": hashing keeps a string, so it becomes the service name.
    { name: 'hash', action: { key: 'service.name', action: 'hash' }, serviceName: '3b857e4f8436df32f83f397ddfd259bf7f9d4eeccb939751fb5e21c9ee11ed25' },
    { name: 'convert to int leaves a non-numeric name', action: { key: 'service.name', action: 'convert', converted_type: 'int' }, serviceName: 'predictor' },
    { name: 'upsert a non-string', action: { key: 'service.name', value: 7, action: 'upsert' }, serviceName: UNKNOWN_SERVICE },
  ];
  for (const { name, action, serviceName } of SERVICE_NAME_CASES) {
    it(`keeps serviceName in sync with service.name: ${name}`, async () => {
      const { sink, processor } = tracesProcessor([action]);
      await processor.consume([makeSpan({ trace: 1, span: 1, resource: resource('predictor', { 'k8s.deployment.name': 'predictor-v2' }) })]);
      const out = sink.last()[0]?.resource;
      assert.ok(out);
      assert.equal(out.serviceName, serviceName);
    });
  }

  it('passes the batch on as it came when no resource changes', async () => {
    const { sink, processor } = tracesProcessor([{ key: 'absent', action: 'delete' }]);
    const spans = [makeSpan({ trace: 1, span: 1 })];
    await processor.consume(spans);
    assert.equal(sink.last(), spans);
  });

  it('works on metrics and logs too, keeping value types', async () => {
    const metrics = new RecordingConsumer<'metrics'>();
    const logs = new RecordingConsumer<'logs'>();
    const settings = { attributes: [{ key: 'host.gpu.count', value: 8, action: 'insert' }, { key: 'weight', value: 0.5, action: 'insert' }] };
    await resourceFactory.create('metrics', settings, metrics, testContext()).consume(metricPointsOfEveryType());
    await resourceFactory.create('logs', settings, logs, testContext()).consume([makeLog(1)]);
    for (const out of [...metrics.last(), ...logs.last()]) {
      assert.equal(out.resource.attributes['host.gpu.count'], 8n);
      assert.equal(out.resource.attributes['weight'], 0.5);
    }
  });

  const INVALID: { name: string; settings: unknown; message: RegExp; keyPath: (string | number)[] }[] = [
    { name: 'no attributes', settings: {}, message: /missing required field "attributes"/, keyPath: ['attributes'] },
    { name: 'no settings at all', settings: null, message: /missing required field "attributes"/, keyPath: ['attributes'] },
    { name: 'actions instead of attributes', settings: { actions: [] }, message: /unknown setting "actions"/, keyPath: ['actions'] },
    { name: 'a bad action', settings: { attributes: [{ key: 'k', action: 'rename' }] }, message: /unsupported action "rename"/, keyPath: ['attributes', 0, 'action'] },
  ];
  for (const { name, settings, message, keyPath } of INVALID) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => resourceFactory.create('traces', settings, new RecordingConsumer(), testContext()),
        (error: unknown) => {
          assert.ok(error instanceof SettingsError, String(error));
          assert.match(error.message, message);
          assert.deepStrictEqual(error.keyPath, keyPath);
          return true;
        },
      );
    });
  }
});
