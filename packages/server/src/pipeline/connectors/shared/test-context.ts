import type { MetricPoint } from '../../../model/metric-point.ts';
import type { ComponentContext, Consumer } from '../../graph/component.ts';
import { ManualScheduler } from '../../graph/manual-scheduler.ts';
import { testComponentContext } from '../../graph/test-context.ts';

/** Test support: a component context whose clock is a ManualScheduler, and a sink of emitted points. */
export interface ConnectorHarness {
  scheduler: ManualScheduler;
  context: ComponentContext;
  sink: MetricSink;
  logs: string[];
}

export class MetricSink implements Consumer<'metrics'> {
  readonly batches: MetricPoint[][] = [];
  refuse: Error | undefined;

  consume(points: MetricPoint[]): Promise<void> {
    if (this.refuse) return Promise.reject(this.refuse);
    this.batches.push(points);
    return Promise.resolve();
  }

  /** The points of the latest flush. */
  last(): MetricPoint[] {
    return this.batches[this.batches.length - 1] ?? [];
  }
}

export function connectorHarness(startMs = 1_760_000_000_000): ConnectorHarness {
  const scheduler = new ManualScheduler(startMs);
  const context = testComponentContext({ id: 'connector-under-test', scheduler });
  return { scheduler, context, sink: new MetricSink(), logs: context.lines };
}
