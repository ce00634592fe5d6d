/** Filtering log records (processor/filterprocessor/logs.go): dropped when the resource or the record matches. */
import type { LogRecord } from '../../../model/log-record.ts';
import type { Consumer, ProcessorInstance } from '../../graph/component.ts';
import { filterMetrics } from './filter-metrics.ts';
import type { LogConditions } from './filter-settings.ts';
import { resourceMatcher } from './resource-cache.ts';

export function logsFilter(conditions: LogConditions, next: Consumer<'logs'>): ProcessorInstance<'logs'> {
  return {
    async consume(logs: LogRecord[]): Promise<void> {
      const resourceDropped = resourceMatcher(conditions.resource);
      const kept = logs.filter((log) => !resourceDropped(log.resource) && !conditions.logRecord.matches(log));
      const dropped = logs.length - kept.length;
      if (dropped > 0) filterMetrics.dropped.inc({ signal: 'logs' }, dropped);
      if (kept.length > 0) await next.consume(kept);
    },
  };
}
