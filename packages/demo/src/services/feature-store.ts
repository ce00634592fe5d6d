/** feature-store: online feature lookup (~3 ms; +120 ms under slow-feature-store). Its host's clock is the skewed one. */
import { jitterMillis, sleep } from '../payload.ts';
import { SLOW_FEATURE_STORE_EXTRA_MILLIS } from '../scenarios.ts';
import { runService } from '../service-runtime.ts';

runService({
  serviceName: 'feature-store',
  serviceVersion: '0.9.1',
  hostName: 'feature-node-1',
  instanceId: 'feature-store-0',
  clockSkewed: true,
  route: '/features',
  async handle(payload, runtime) {
    const slow = runtime.hasScenario('slow-feature-store');
    await sleep(jitterMillis(3) + (slow ? jitterMillis(SLOW_FEATURE_STORE_EXTRA_MILLIS, 0.2) : 0));
    if (slow && Math.random() < 0.1)
      runtime.log('warn', 'online store read exceeded 100 ms', { 'db.system': 'redis' });
    return runtime.call('embedding', '/embed', payload);
  },
});
