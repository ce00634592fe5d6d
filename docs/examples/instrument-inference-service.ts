/**
 * TypeScript version of the seed's "OpenTelemetry — Instrument an ML Inference Service with Custom
 * Spans": a parent span per prediction with child spans for preprocessing, forward pass and
 * postprocessing, the seed's ML attributes, exported to Vigil over OTLP.
 *
 * Run against a local Vigil: node --import tsx docs/examples/instrument-inference-service.ts
 */
import { setupVigil, traceInference } from '@vigil/sdk';

// Configure the tracer: one call instead of Resource + TracerProvider + BatchSpanProcessor + exporter.
const sdk = setupVigil({
  serviceName: 'ml-inference-service',
  serviceVersion: '1.4.2',
  environment: 'production',
  model: { name: 'fraud-detector-v3', version: '3.1.0' },
  endpoint: process.env['VIGIL_OTLP_ENDPOINT'] ?? 'http://127.0.0.1:4318',
});

interface Features {
  rows: number[][];
  featureCount: number;
  nullCount: number;
}

function preprocess(inputs: (number | null)[][]): Features {
  const featureCount = inputs[0]?.length ?? 0;
  let nullCount = 0;
  const rows = inputs.map((row) =>
    row.map((value) => {
      if (value === null || Number.isNaN(value)) nullCount++;
      return value ?? 0;
    }),
  );
  return { rows, featureCount, nullCount };
}

/** A stand-in model: the mean of each row squashed to (0, 1). */
const model = {
  predict: (features: Features): number[] =>
    features.rows.map((row) => 1 / (1 + Math.exp(-row.reduce((sum, value) => sum + value, 0) / row.length))),
};

function postprocess(predictions: number[], threshold: number): { scores: number[]; flags: boolean[] } {
  return { scores: predictions, flags: predictions.map((score) => score > threshold) };
}

/** Run inference with full APM instrumentation. */
export async function predict(requestData: { inputs: (number | null)[][] }): Promise<{ scores: number[]; flags: boolean[] }> {
  const request = { modelName: 'fraud-detector-v3', modelVersion: '3.1.0', batchSize: requestData.inputs.length };
  return traceInference(sdk.tracer, request, async (inference) => {
    // Phase 1: feature preprocessing → ml.preprocess.{duration_ms,feature_count,null_count}
    const features = await inference.preprocess(
      () => preprocess(requestData.inputs),
      (result) => ({ featureCount: result.featureCount, nullCount: result.nullCount }),
    );
    // Phase 2: model forward pass → ml.inference.{duration_ms,gpu_used,model_version}
    const predictions = await inference.forwardPass(() => model.predict(features), { gpuUsed: true });
    // Phase 3: postprocessing and thresholding → ml.postprocess.{duration_ms,flagged_count}
    const results = await inference.postprocess(
      () => postprocess(predictions, 0.85),
      (result) => ({ flaggedCount: result.flags.filter(Boolean).length }),
    );
    const top = Math.max(...results.scores);
    inference.setPrediction(top, top > 0.85 ? 'fraud' : 'legitimate');
    return results;
  });
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  console.log(await predict({ inputs: [[0.2, 3.1, null, 4.4], [5.5, 2.0, 1.0, 0.3]] }));
  await sdk.shutdown(); // flushes the batch of spans to Vigil
}
