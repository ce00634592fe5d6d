/**
 * The `filter` processor (Collector contrib processor/filterprocessor): drops spans, span events,
 * metrics, data points and log records for which any OTTL condition is true, or that the legacy
 * include/exclude settings select. See docs/filter.md for the supported OTTL subset.
 */
import type { Signal } from '../../../model/signal.ts';
import type {
  ComponentContext,
  Consumer,
  ProcessorFactory,
  ProcessorInstance,
} from '../../graph/component.ts';
import { logsFilter } from './filter-logs.ts';
import { metricsFilter } from './filter-metrics-signal.ts';
import { parseFilterSettings } from './filter-settings.ts';
import { tracesFilter } from './filter-traces.ts';

/**
 * @example
 * // processors:
 * //   filter/health:
 * //     error_mode: ignore
 * //     traces:
 * //       span: ['attributes["http.route"] == "/health"']
 * const processor = filterFactory.create('traces', settings, next, context);
 * await processor.consume(spans); // health-check spans never reach `next`
 */
export const filterFactory: ProcessorFactory = {
  type: 'filter',
  signals: ['traces', 'metrics', 'logs'],
  create<S extends Signal>(
    signal: S,
    settings: unknown,
    next: Consumer<S>,
    context: ComponentContext,
  ): ProcessorInstance<S> {
    const parsed = parseFilterSettings(settings, (line) => context.log(`${context.id}: ${line}`));
    switch (signal) {
      case 'traces':
        return tracesFilter(parsed.traces, next as Consumer<'traces'>) as ProcessorInstance<S>;
      case 'metrics':
        return metricsFilter(parsed.metrics, next as Consumer<'metrics'>) as ProcessorInstance<S>;
      default:
        return logsFilter(parsed.logs, next as Consumer<'logs'>) as ProcessorInstance<S>;
    }
  },
};
