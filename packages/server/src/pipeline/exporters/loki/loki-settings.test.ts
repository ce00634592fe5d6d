import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testComponentContext } from '../../graph/test-context.ts';
import { readLokiSettings } from './loki-exporter.ts';

const CONTEXT = testComponentContext();

void describe('loki settings', () => {
  void it('defaults: protobuf, every default label, the exporterhelper defaults', () => {
    const s = readLokiSettings({ endpoint: 'http://loki:3100/loki/api/v1/push' }, CONTEXT);
    assert.equal(s.format, 'protobuf');
    assert.deepEqual(s.defaultLabelsEnabled, { exporter: true, job: true, instance: true, level: true });
    assert.equal(s.sending.queue.enabled, true);
  });

  void it('reads default_labels_enabled and format', () => {
    const s = readLokiSettings(
      {
        endpoint: 'http://loki:3100/loki/api/v1/push',
        format: 'json',
        default_labels_enabled: { exporter: false, level: false },
      },
      CONTEXT,
    );
    assert.equal(s.format, 'json');
    assert.deepEqual(s.defaultLabelsEnabled, { exporter: false, job: true, instance: true, level: false });
  });

  const refusals: [string, Record<string, unknown>, RegExp][] = [
    ['no endpoint', {}, /"endpoint" is required/],
    ['an unknown format', { endpoint: 'http://loki', format: 'logfmt' }, /format must be/],
    ['an unknown key', { endpoint: 'http://loki', tenant_id: 'x' }, /unknown setting/],
    [
      'a non-boolean default label',
      { endpoint: 'http://loki', default_labels_enabled: { job: 'yes' } },
      /true or false/,
    ],
  ];
  for (const [name, settings, message] of refusals) {
    void it(`refuses ${name}`, () => assert.throws(() => readLokiSettings(settings, CONTEXT), message));
  }
});
