import type { AttributeValue, Attributes } from '../../../model/attributes.ts';
import type { Resource, Scope } from '../../../model/resource.ts';

/**
 * Regroups flat records (each pointing at its resource and scope) into the OTLP tree
 * resource → scope → records. Records of one decoded request share resource and scope objects, so
 * grouping is by object identity first; distinct objects with equal contents (records from several
 * requests, or copies made by processors) are merged by value so a request carries each resource
 * once, as the Collector's pdata does after batching.
 */

export interface ScopeGroup<R> {
  scope: Scope;
  records: R[];
}

export interface ResourceGroup<R> {
  resource: Resource;
  scopes: ScopeGroup<R>[];
}

/** Groups by identity, then by a value key computed only for objects not seen before. */
class IdentityThenValue<K extends object, G> {
  private readonly byObject = new Map<K, G>();
  private readonly byValue = new Map<string, G>();

  constructor(
    private readonly valueKey: (key: K) => string,
    private readonly create: (key: K) => G,
  ) {}

  get(key: K): G {
    let group = this.byObject.get(key);
    if (group !== undefined) return group;
    const text = this.valueKey(key);
    group = this.byValue.get(text);
    if (group === undefined) {
      group = this.create(key);
      this.byValue.set(text, group);
    }
    this.byObject.set(key, group);
    return group;
  }
}

/**
 * @example
 * for (const { resource, scopes } of groupByResourceAndScope(spans)) {
 *   for (const { scope, records } of scopes) writeScopeSpans(resource, scope, records);
 * }
 */
export function groupByResourceAndScope<R extends { resource: Resource; scope: Scope }>(
  records: readonly R[],
): ResourceGroup<R>[] {
  const groups: ResourceGroup<R>[] = [];
  const scopeIndexes = new Map<ResourceGroup<R>, IdentityThenValue<Scope, ScopeGroup<R>>>();
  const resources = new IdentityThenValue<Resource, ResourceGroup<R>>(resourceKey, (resource) => {
    const group: ResourceGroup<R> = { resource, scopes: [] };
    groups.push(group);
    scopeIndexes.set(
      group,
      new IdentityThenValue<Scope, ScopeGroup<R>>(scopeKey, (scope) => {
        const scopeGroup: ScopeGroup<R> = { scope, records: [] };
        group.scopes.push(scopeGroup);
        return scopeGroup;
      }),
    );
    return group;
  });
  for (const record of records) {
    const resourceGroup = resources.get(record.resource);
    scopeIndexes.get(resourceGroup)!.get(record.scope).records.push(record);
  }
  return groups;
}

/** Groups items by a key object (a metric descriptor), identity first, then value. */
export function groupBy<R, K extends object>(
  records: readonly R[],
  keyOf: (record: R) => K,
  valueKey: (key: K) => string,
): { key: K; records: R[] }[] {
  const groups: { key: K; records: R[] }[] = [];
  const index = new IdentityThenValue<K, { key: K; records: R[] }>(valueKey, (key) => {
    const group = { key, records: [] as R[] };
    groups.push(group);
    return group;
  });
  for (const record of records) index.get(keyOf(record)).records.push(record);
  return groups;
}

function resourceKey(resource: Resource): string {
  return `${resource.schemaUrl}\u0000${resource.droppedAttributesCount}\u0000${attributesKey(resource.attributes)}`;
}

function scopeKey(scope: Scope): string {
  return [
    scope.name,
    scope.version,
    scope.schemaUrl,
    scope.droppedAttributesCount,
    attributesKey(scope.attributes),
  ].join('\u0000');
}

/** A typed, order-sensitive text form of attributes: equal text means equal OTLP content. */
export function attributesKey(attributes: Attributes): string {
  let text = '';
  for (const key in attributes) text += `${JSON.stringify(key)}=${valueKey(attributes[key] ?? null)};`;
  return text;
}

function valueKey(value: AttributeValue): string {
  if (value === null) return 'e';
  switch (typeof value) {
    case 'string':
      return `s${JSON.stringify(value)}`;
    case 'boolean':
      return value ? 'T' : 'F';
    case 'bigint':
      return `i${value}`;
    case 'number':
      // Object.is distinguishes -0, which String() would not.
      return Object.is(value, -0) ? 'd-0' : `d${value}`;
    default:
      if (value instanceof Uint8Array) return `b${Buffer.from(value).toString('base64')}`;
      if (Array.isArray(value)) return `[${value.map(valueKey).join(',')}]`;
      return `{${[...value].map(([k, v]) => `${JSON.stringify(k)}=${valueKey(v)}`).join(',')}}`;
  }
}
