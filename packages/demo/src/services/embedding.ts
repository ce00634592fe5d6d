/**
 * embedding: encodes the features (~5 ms). Under propagation-gap its call to vector-store loses the
 * trace half the time (traceparent dropped: a new, disconnected trace) and otherwise goes through an
 * uninstrumented hop (traceparent rewritten to a span nobody exports: vector-store's spans are orphans).
 */
import { jitterMillis, sleep } from '../payload.ts';
import { runService } from '../service-runtime.ts';

runService({
  serviceName: 'embedding',
  serviceVersion: '4.0.2',
  hostName: 'cpu-node-2',
  instanceId: 'embedding-0',
  route: '/embed',
  async handle(payload, runtime) {
    await sleep(jitterMillis(5));
    const embedding = Array.from({ length: 8 }, (_, index) => Math.cos(payload.amountCents + index));
    const propagation = !runtime.hasScenario('propagation-gap')
      ? 'w3c'
      : Math.random() < 0.5
        ? 'none'
        : 'unexported-hop';
    return runtime.call('vector-store', '/search', { ...payload, embedding }, { propagation });
  },
});
