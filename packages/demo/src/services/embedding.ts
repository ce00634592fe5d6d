/** embedding: encodes the features (~5 ms). Under propagation-gap it forgets traceparent when calling vector-store. */
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
    // The bug this scenario models: a hand-rolled HTTP client that does not copy trace headers.
    const propagate = !runtime.hasScenario('propagation-gap');
    return runtime.call('vector-store', '/search', { ...payload, embedding }, { propagate });
  },
});
