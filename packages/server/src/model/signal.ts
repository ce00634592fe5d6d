import type { LogRecord } from './log-record.ts';
import type { MetricPoint } from './metric-point.ts';
import type { Span } from './span.ts';

export type Signal = 'traces' | 'metrics' | 'logs';
export const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

/** What a decoded OTLP export request of each signal holds. */
export interface SignalBatch {
  traces: Span[];
  metrics: MetricPoint[];
  logs: LogRecord[];
}
