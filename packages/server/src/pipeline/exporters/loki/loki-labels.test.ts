import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from '../../../model/attributes.ts';
import { attrs, makeLog, resource } from '../../../storage/contract-fixtures.ts';
import { lokiRecordLabels, severityLevel, type DefaultLabelsEnabled } from './loki-labels.ts';

const ALL: DefaultLabelsEnabled = { exporter: true, job: true, instance: true, level: true };

interface LabelCase {
  name: string;
  resourceAttributes: Record<string, AttributeValue>;
  attributes?: Record<string, AttributeValue>;
  severityNumber?: number;
  enabled?: Partial<DefaultLabelsEnabled>;
  labels: Record<string, string>;
  /** Attribute keys left for the line. */
  kept?: string[];
  keptResource?: string[];
}

const CASES: LabelCase[] = [
  {
    name: 'default labels: job from namespace/name, instance, exporter, level from the severity',
    resourceAttributes: { 'service.namespace': 'ml', 'service.instance.id': 'pod-1' },
    labels: { exporter: 'OTLP', job: 'ml/api', instance: 'pod-1', level: 'INFO' },
    kept: ['n'],
    keptResource: ['service.instance.id', 'service.name', 'service.namespace'],
  },
  {
    name: 'job is service.name alone without a namespace; no severity, no level',
    resourceAttributes: {},
    severityNumber: 0,
    labels: { exporter: 'OTLP', job: 'api' },
  },
  {
    name: 'a level attribute wins over the severity and leaves the line',
    resourceAttributes: {},
    attributes: { level: 'warning', n: 1n },
    severityNumber: 17,
    labels: { exporter: 'OTLP', job: 'api', level: 'warning' },
    kept: ['n'],
  },
  {
    name: 'default labels switched off one by one',
    resourceAttributes: { 'service.instance.id': 'pod-1' },
    enabled: { exporter: false, instance: false },
    labels: { job: 'api', level: 'INFO' },
  },
  {
    name: 'hints promote resource and record attributes (comma list, list, nested path), names normalised',
    resourceAttributes: { 'loki.resource.labels': 'host.name, k8s.pod', 'host.name': 'node-3', k8s: new Map([['pod', 'p-1']]) },
    attributes: { 'loki.attribute.labels': ['http.method', 'missing'], 'http.method': 'GET', n: 2n },
    enabled: { level: false },
    labels: { exporter: 'OTLP', job: 'api', host_name: 'node-3', k8s_pod: 'p-1', http_method: 'GET' },
    kept: ['n'],
    keptResource: ['k8s', 'service.name'],
  },
  {
    name: 'the tenant hint labels the tenant attribute, the resource hint first',
    resourceAttributes: { 'loki.tenant': 'tenant.id', 'tenant.id': 'acme' },
    attributes: { 'loki.tenant': 'other', other: 'x' },
    enabled: { level: false, exporter: false },
    labels: { job: 'api', tenant_id: 'acme' },
    kept: ['other'],
  },
];

void describe('lokiRecordLabels', () => {
  for (const c of CASES) {
    void it(c.name, () => {
      const record = makeLog(1, {
        resource: resource('api', c.resourceAttributes),
        attributes: attrs(c.attributes ?? { n: 1n }),
        ...(c.severityNumber === undefined ? {} : { severityNumber: c.severityNumber }),
      });
      const before = Object.keys(record.attributes);
      const result = lokiRecordLabels(record, { ...ALL, ...c.enabled });
      assert.deepEqual(Object.fromEntries(result.labels), c.labels);
      if (c.kept) assert.deepEqual(Object.keys(result.attributes).sort(), c.kept);
      if (c.keptResource) assert.deepEqual(Object.keys(result.resourceAttributes).sort(), c.keptResource);
      assert.deepEqual(Object.keys(record.attributes), before, 'the record itself is not changed');
    });
  }

  const levels: [number, string][] = [[1, 'TRACE'], [5, 'DEBUG'], [9, 'INFO'], [10, 'INFO2'], [13, 'WARN'], [17, 'ERROR'], [20, 'ERROR4'], [21, 'FATAL'], [24, 'FATAL4'], [0, 'UNSPECIFIED']];
  for (const [number, word] of levels) {
    void it(`severity ${number} is level ${word}`, () => assert.equal(severityLevel(number), word));
  }
});
