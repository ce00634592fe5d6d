import type { Resource } from '../../../model/resource.ts';
import { UNKNOWN_SERVICE } from '../../../model/resource.ts';
import type { Signal } from '../../../model/signal.ts';
import type { ComponentContext, Consumer, ProcessorFactory, ProcessorInstance } from '../../graph/component.ts';
import { SettingsReader } from '../../graph/settings-reader.ts';
import { applyAttributeActions } from '../attributes/apply-actions.ts';
import { parseAttributeActions, type AttributeAction } from '../attributes/attribute-actions.ts';
import { mapChanged } from '../attributes/copy-on-write.ts';

/**
 * The Collector's `resource` processor (processor/resourceprocessor): applies the `attributes`
 * actions (the same actions as the attributes processor) to each record's resource.
 *
 * Records of a batch share their Resource object, so each distinct resource is rewritten once per
 * batch and the records that shared it share the new one; `serviceName` follows `service.name`.
 *
 * @example
 * // processors: { resource: { attributes: [{ key: cloud.region, value: eu-west-1, action: upsert }] } }
 * const processor = resourceFactory.create('traces', settings, next, context);
 */
export const resourceFactory: ProcessorFactory = {
  type: 'resource',
  signals: ['traces', 'metrics', 'logs'],
  create<S extends Signal>(signal: S, settings: unknown, next: Consumer<S>, _context: ComponentContext): ProcessorInstance<S> {
    const reader = SettingsReader.of(settings);
    reader.allowOnly(['attributes']);
    const actions = parseAttributeActions(reader, 'attributes');
    const builders: { [K in Signal]: (next: Consumer<K>) => ProcessorInstance<K> } = {
      traces: (nextSpans) => ({ consume: (spans) => nextSpans.consume(withRewrittenResources(actions, spans)) }),
      metrics: (nextPoints) => ({ consume: (points) => nextPoints.consume(withRewrittenResources(actions, points)) }),
      logs: (nextLogs) => ({ consume: (logs) => nextLogs.consume(withRewrittenResources(actions, logs)) }),
    };
    return builders[signal](next);
  },
};

/** Every record type carries `resource`; the batch's record type is kept. */
function withRewrittenResources<T extends { resource: Resource }>(actions: readonly AttributeAction[], records: T[]): T[] {
  const rewritten = new Map<Resource, Resource>();
  return mapChanged(records, (record) => {
    let resource = rewritten.get(record.resource);
    if (resource === undefined) {
      resource = rewriteResource(actions, record.resource);
      rewritten.set(record.resource, resource);
    }
    return resource === record.resource ? record : { ...record, resource };
  });
}

function rewriteResource(actions: readonly AttributeAction[], resource: Resource): Resource {
  const attributes = applyAttributeActions(actions, resource.attributes);
  if (attributes === resource.attributes) return resource;
  return { ...resource, attributes, serviceName: serviceNameOf(attributes) };
}

/** As the OTLP decoders derive it: a non-empty string `service.name`, else the spec's default. */
function serviceNameOf(attributes: Resource['attributes']): string {
  const value = attributes['service.name'];
  return typeof value === 'string' && value !== '' ? value : UNKNOWN_SERVICE;
}
