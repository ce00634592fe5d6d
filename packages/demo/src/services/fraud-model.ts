/**
 * fraud-model: the GPU inference service, one process per model version (VIGIL_DEMO_MODEL_VERSION:
 * 3.1.0 stable on GPU 0, 3.2.0 canary on GPU 1). Each request is an `inference.predict` span with
 * the three phase spans from the Vigil SDK; the postprocess phase calls the postprocess service.
 */
import { traceInference } from '@vigil/sdk';
import { jitterMillis, sleep, type DemoPayload } from '../payload.ts';
import { CANARY_SLOWDOWN_FACTOR, ERROR_BURST_FRACTION, THROTTLED_SLOWDOWN_FACTOR } from '../scenarios.ts';
import { runService, ServiceError, type ServiceRuntime } from '../service-runtime.ts';

const MODEL_NAME = 'fraud-detector';
const modelVersion = process.env['VIGIL_DEMO_MODEL_VERSION'] ?? '3.1.0';
const canary = modelVersion !== '3.1.0';
const gpuId = canary ? '1' : '0';
const FORWARD_PASS_MILLIS = 28;
const GPU_MEMORY_BYTES = (canary ? 19.2 : 18.4) * 2 ** 30;

function forwardPassMillis(runtime: ServiceRuntime): number {
  let millis = jitterMillis(FORWARD_PASS_MILLIS, 0.12);
  if (canary && runtime.hasScenario('canary-regression')) millis *= CANARY_SLOWDOWN_FACTOR;
  if (runtime.hasScenario('gpu-throttling')) millis *= THROTTLED_SLOWDOWN_FACTOR;
  return millis;
}

/** A stand-in model: low scores for most traffic; imputed nulls push scores up (the drift to catch). */
function score(features: (number | null)[]): number {
  const nullFraction =
    features.length === 0 ? 0 : features.filter((v) => v === null).length / features.length;
  return Math.min(1, 0.05 + 0.35 * Math.random() ** 2 + 3 * nullFraction);
}

async function predict(payload: DemoPayload, runtime: ServiceRuntime): Promise<DemoPayload> {
  const startMillis = performance.now();
  const labels = { model_name: MODEL_NAME, model_version: modelVersion };
  const result = await traceInference(
    runtime.sdk.tracer,
    { modelName: MODEL_NAME, modelVersion, batchSize: 1 },
    async (inference) => {
      const features = await inference.preprocess(
        async () => {
          await sleep(jitterMillis(2));
          return payload.features ?? [];
        },
        (values) => ({ featureCount: values.length, nullCount: values.filter((v) => v === null).length }),
      );
      const predicted = await inference.forwardPass(
        async () => {
          const failing = runtime.hasScenario('error-burst') && Math.random() < ERROR_BURST_FRACTION;
          await sleep(failing ? jitterMillis(6) : forwardPassMillis(runtime));
          if (failing) throw new ServiceError('CUDA error: an illegal memory access was encountered', 500);
          return score(features);
        },
        { gpuUsed: true },
      );
      const resultClass = predicted >= 0.5 ? 'fraud' : 'legit';
      const post = await inference.postprocess(
        () => runtime.call('postprocess', '/postprocess', { ...payload, score: predicted, resultClass }),
        (value) => ({ flaggedCount: value.flagged === true ? 1 : 0 }),
      );
      inference.setPrediction(predicted, resultClass);
      return post;
    },
  );
  runtime.sdk.metrics.inferenceLatencySeconds.record((performance.now() - startMillis) / 1000, {
    ...labels,
    endpoint: '/predict',
  });
  runtime.sdk.metrics.predictionsTotal.add(1, { ...labels, result_class: result.resultClass ?? 'unknown' });
  runtime.sdk.metrics.gpuMemoryUsedBytes.record(GPU_MEMORY_BYTES, { gpu_id: gpuId, model_name: MODEL_NAME });
  return result;
}

runService({
  serviceName: 'fraud-model',
  serviceVersion: modelVersion,
  hostName: 'gpu-node-1',
  instanceId: `fraud-model-${modelVersion}`,
  model: { name: MODEL_NAME, version: modelVersion },
  gpuIds: gpuId,
  route: '/predict',
  onStart(runtime) {
    // A simulated load time: weights from object storage, then warm-up on the GPU.
    runtime.sdk.metrics.modelLoadDurationSeconds.record(canary ? 41.7 : 38.2, {
      model_name: MODEL_NAME,
      model_version: modelVersion,
    });
  },
  handle: predict,
});
