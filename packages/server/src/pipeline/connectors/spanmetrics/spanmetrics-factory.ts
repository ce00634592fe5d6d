import type { ConnectorFactory } from '../../graph/component.ts';
import { createSpanMetricsConnector } from './spanmetrics-connector.ts';

/**
 * `spanmetrics`: traces in, RED metrics out (Collector contrib connector/spanmetricsconnector).
 *
 * @example
 * // connectors: { spanmetrics: { histogram: { unit: s } } }
 * const connector = spanMetricsFactory.create(settings, metricsPipeline, context);
 */
export const spanMetricsFactory: ConnectorFactory<'traces', 'metrics'> = {
  type: 'spanmetrics',
  from: 'traces',
  to: 'metrics',
  create: createSpanMetricsConnector,
};
