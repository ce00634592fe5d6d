/** postprocess: business rules on the score (~2 ms): flags a transaction above the review threshold. */
import { jitterMillis, sleep } from '../payload.ts';
import { runService } from '../service-runtime.ts';

const REVIEW_THRESHOLD = 0.8;

runService({
  serviceName: 'postprocess',
  serviceVersion: '1.0.7',
  hostName: 'cpu-node-4',
  instanceId: 'postprocess-0',
  route: '/postprocess',
  async handle(payload) {
    await sleep(jitterMillis(2));
    return { ...payload, flagged: (payload.score ?? 0) >= REVIEW_THRESHOLD };
  },
});
