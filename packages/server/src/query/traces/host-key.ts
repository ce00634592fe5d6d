import { attributeText } from '../../model/attributes.ts';
import type { Resource } from '../../model/resource.ts';

/**
 * Which host emitted a span, from its resource: `host.name`, else `service.instance.id`, else
 * `service.name` (OTel semantic conventions). Two spans with the same key share a clock, so clock
 * skew between them is impossible and they are never adjusted against each other. Jaeger's
 * adjuster (model/adjuster/clockskew.go) keys on host.id / host.ip / host.name; Vigil falls back to
 * the service identity because ML services often run in containers that set neither.
 */
export function hostKey(resource: Resource): string {
  const attributes = resource.attributes;
  for (const key of ['host.name', 'service.instance.id']) {
    const value = attributes[key];
    if (value !== undefined && value !== null && value !== '') return `${key}=${attributeText(value)}`;
  }
  return `service.name=${resource.serviceName}`;
}
