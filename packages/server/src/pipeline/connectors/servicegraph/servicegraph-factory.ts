import type { ConnectorFactory } from '../../graph/component.ts';
import { createServiceGraphConnector } from './servicegraph-connector.ts';

/**
 * `servicegraph`: traces in, service-to-service request metrics out (Collector contrib
 * connector/servicegraphconnector).
 *
 * @example
 * // connectors: { servicegraph: { store: { ttl: 5s, max_items: 10000 } } }
 * const connector = serviceGraphFactory.create(settings, metricsPipeline, context);
 */
export const serviceGraphFactory: ConnectorFactory<'traces', 'metrics'> = {
  type: 'servicegraph',
  from: 'traces',
  to: 'metrics',
  create: createServiceGraphConnector,
};
