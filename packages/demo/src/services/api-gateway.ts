/** api-gateway: the platform's edge. Routes 10% of scoring traffic to the v3.2 canary (env VIGIL_DEMO_CANARY_FRACTION). */
import { trace } from '@opentelemetry/api';
import { jitterMillis, sleep } from '../payload.ts';
import { runService } from '../service-runtime.ts';

const canaryFraction = Number(process.env['VIGIL_DEMO_CANARY_FRACTION'] ?? '0.1');

runService({
  serviceName: 'api-gateway',
  serviceVersion: '2.8.0',
  hostName: 'edge-node-1',
  instanceId: 'api-gateway-0',
  route: '/predict',
  async handle(payload, runtime) {
    await sleep(jitterMillis(1)); // auth + rate limiting
    const route = Math.random() < canaryFraction ? 'canary' : 'stable';
    trace.getActiveSpan()?.setAttribute('demo.route', route);
    return runtime.call('preprocess', '/preprocess', { ...payload, route });
  },
});
