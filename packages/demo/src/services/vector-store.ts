/** vector-store: nearest-neighbour search (~4 ms), then the fraud model: v3.1 stable or the v3.2 canary. */
import { jitterMillis, sleep } from '../payload.ts';
import { runService } from '../service-runtime.ts';

runService({
  serviceName: 'vector-store',
  serviceVersion: '1.3.0',
  hostName: 'cpu-node-3',
  instanceId: 'vector-store-0',
  route: '/search',
  async handle(payload, runtime) {
    await sleep(jitterMillis(4));
    const target = payload.route === 'canary' ? 'fraud-model-v3.2' : 'fraud-model-v3.1';
    return runtime.call(target, '/predict', { ...payload, neighborCount: 10 });
  },
});
