import type { Signal, SignalBatch } from '../../model/signal.ts';
import type { Pipeline } from '../pipeline.ts';
import type { StoreConsumers } from './build-graph.ts';

/** The store as one consumer per signal: the `vigil` exporter and the default destination. */
export function storeConsumers(storePipeline: Pipeline): StoreConsumers {
  const of = <S extends Signal>(signal: S) => ({
    consume: (records: SignalBatch[S]) => storePipeline.consume(signal, records),
  });
  return { traces: of('traces'), metrics: of('metrics'), logs: of('logs') };
}
