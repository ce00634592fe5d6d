import type { LogRecord } from '../../model/log-record.ts';
import type { LogQuery, Store } from '../../storage/store.ts';
import { LOG_LIMIT } from './log-search-request.ts';

/**
 * Log queries on top of Store.searchLogs: search (newest first) and the logs of one trace (in
 * time order, for showing next to the trace's spans).
 *
 * @example
 * const logs = new LogQueryService(store);
 * const records = await logs.logsOfTrace('4bf92f3577b34da6a3ce929d0e0e4736');
 */
export class LogQueryService {
  constructor(private readonly store: Store) {}

  async search(query: LogQuery): Promise<LogRecord[]> {
    const records = await this.store.searchLogs(query);
    // The Store does not promise an order; searches read best newest first.
    return records.sort((a, b) => compareTime(b, a));
  }

  /**
   * Every log record correlated with the trace (OTLP LogRecord.trace_id), oldest first. No time
   * range: a trace ID identifies its logs on its own, and logs may be stamped outside the spans.
   */
  async logsOfTrace(traceId: string, limit: number = LOG_LIMIT.max): Promise<LogRecord[]> {
    const records = await this.store.searchLogs({ traceId, limit });
    return records.sort(compareTime);
  }
}

function compareTime(a: LogRecord, b: LogRecord): number {
  const diff = logTime(a) - logTime(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** OTLP: when time_unix_nano is unset (0) the observed time is the record's time. */
function logTime(record: LogRecord): bigint {
  return record.timeUnixNano !== 0n ? record.timeUnixNano : record.observedTimeUnixNano;
}
