/**
 * preprocess: turns a transaction into a 64-feature vector. Under null-features a broken upstream
 * pipeline leaves ~8% of them null, which this service reports (ml.preprocess.null_count) and warns about.
 */
import { trace } from '@opentelemetry/api';
import { jitterMillis, sleep } from '../payload.ts';
import { BASELINE_NULL_FRACTION, BROKEN_PIPELINE_NULL_FRACTION } from '../scenarios.ts';
import { runService } from '../service-runtime.ts';

const FEATURE_COUNT = 64;
const NULL_WARN_FRACTION = 0.05;

runService({
  serviceName: 'preprocess',
  serviceVersion: '1.12.3',
  hostName: 'cpu-node-1',
  instanceId: 'preprocess-0',
  route: '/preprocess',
  async handle(payload, runtime) {
    const startMillis = performance.now();
    const nullFraction = runtime.hasScenario('null-features')
      ? BROKEN_PIPELINE_NULL_FRACTION
      : BASELINE_NULL_FRACTION;
    const features = Array.from({ length: FEATURE_COUNT }, (_, index) =>
      Math.random() < nullFraction ? null : Math.sin(payload.amountCents * (index + 1)) * 0.5 + 0.5,
    );
    await sleep(jitterMillis(3));
    const nullCount = features.filter((value) => value === null).length;
    trace.getActiveSpan()?.setAttributes({
      'ml.preprocess.feature_count': FEATURE_COUNT,
      'ml.preprocess.null_count': nullCount,
    });
    runtime.sdk.metrics.preprocessLatencySeconds.record((performance.now() - startMillis) / 1000, {
      model_name: 'fraud-detector',
    });
    if (nullCount / FEATURE_COUNT > NULL_WARN_FRACTION) {
      runtime.log('warn', 'null feature ratio above threshold', {
        'ml.preprocess.null_count': nullCount,
        'ml.preprocess.feature_count': FEATURE_COUNT,
      });
    }
    return runtime.call('feature-store', '/features', { ...payload, features });
  },
});
