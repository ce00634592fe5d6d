import type { AttributeValue, Attributes } from './attributes.ts';
import { attributeToJson } from './attributes.ts';
import { promLabelName } from './prom-naming.ts';
import type { Resource } from './resource.ts';

/** Resource attributes Prometheus turns into `job` and `instance` (OTel semconv service.*). */
const SERVICE_NAME = 'service.name';
const SERVICE_NAMESPACE = 'service.namespace';
const SERVICE_INSTANCE_ID = 'service.instance.id';
const IDENTIFYING_ATTRIBUTES: ReadonlySet<string> = new Set([SERVICE_NAME, SERVICE_NAMESPACE, SERVICE_INSTANCE_ID]);

/**
 * An attribute value as label text, as pdata's `Value.AsString` writes it (what Prometheus uses):
 * strings as they are, ints in decimal, doubles as ES6 number-to-string, bytes base64, arrays and
 * kvlists as JSON, an empty value as '' (which makes no label).
 */
export function promLabelValue(value: AttributeValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
    return String(value);
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return JSON.stringify(attributeToJson(value));
}

/**
 * Attributes as labels: names sanitised, empty values left out. Attributes whose names collide
 * once sanitised (`a.b` and `a_b`) share one label, their values joined with `;` in key order
 * (Prometheus createAttributes).
 */
export function attributeLabels(attributes: Attributes, ignore: ReadonlySet<string> = new Set()): Map<string, string> {
  const labels = new Map<string, string>();
  const keys = Object.keys(attributes).sort();
  for (const key of keys) {
    if (ignore.has(key)) continue;
    const name = promLabelName(key);
    const value = promLabelValue(attributes[key] ?? null);
    if (name === '' || value === '') continue;
    const existing = labels.get(name);
    labels.set(name, existing === undefined ? value : `${existing};${value}`);
  }
  return labels;
}

/**
 * `job` from service.namespace/service.name and `instance` from service.instance.id, only for
 * attributes the resource has (Prometheus createAttributes).
 */
export function resourceIdentityLabels(resource: Resource): Map<string, string> {
  const labels = new Map<string, string>();
  const attributes = resource.attributes;
  if (Object.hasOwn(attributes, SERVICE_NAME)) {
    const service = promLabelValue(attributes[SERVICE_NAME] ?? null);
    const namespace = Object.hasOwn(attributes, SERVICE_NAMESPACE)
      ? promLabelValue(attributes[SERVICE_NAMESPACE] ?? null)
      : undefined;
    const job = namespace === undefined ? service : `${namespace}/${service}`;
    if (job !== '') labels.set('job', job);
  }
  if (Object.hasOwn(attributes, SERVICE_INSTANCE_ID)) {
    const instance = promLabelValue(attributes[SERVICE_INSTANCE_ID] ?? null);
    if (instance !== '') labels.set('instance', instance);
  }
  return labels;
}

/**
 * The labels of a resource's `target_info` series: every resource attribute but the three that
 * make job/instance, plus job/instance. null when the resource has nothing beyond its identity or
 * has no identity at all (Prometheus addResourceTargetInfo).
 */
export function targetInfoLabels(resource: Resource): Map<string, string> | null {
  const hasOthers = Object.keys(resource.attributes).some((key) => !IDENTIFYING_ATTRIBUTES.has(key));
  if (!hasOthers) return null;
  const identity = resourceIdentityLabels(resource);
  if (identity.size === 0) return null;
  const labels = attributeLabels(resource.attributes, IDENTIFYING_ATTRIBUTES);
  for (const [name, value] of identity) labels.set(name, value);
  return labels;
}
