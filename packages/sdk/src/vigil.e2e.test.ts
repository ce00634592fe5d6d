/**
 * The SDK against a running Vigil (in-process, ephemeral ports): setupVigil with its real OTLP
 * exporters over each protocol, traceInference, forceFlush — the stored trace has the four spans,
 * parented as sent, with the attributes typed as sent and the ML resource.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { getJson, startTestVigil } from '../../server/src/app/e2e-support.ts';
import type { RunningVigil } from '../../server/src/app/start-vigil.ts';
import type { OtlpProtocol } from './otlp-exporters.ts';
import { setupVigil } from './setup-vigil.ts';
import { traceInference } from './trace-inference.ts';

type TypedValue = { type: string; value: unknown };
interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, TypedValue>;
  resource: { serviceName: string; attributes: Record<string, TypedValue> };
}

let vigil: RunningVigil;
before(async () => {
  vigil = await startTestVigil();
});
after(() => vigil.close());

async function storedSpans(traceId: string): Promise<StoredSpan[]> {
  const { status, body } = await getJson(vigil, `/api/vigil/v1/traces/${traceId}`);
  assert.equal(status, 200);
  return (body as { data: { spans: StoredSpan[] } }).data.spans;
}

async function runOneInference(protocol: OtlpProtocol): Promise<string> {
  const sdk = setupVigil({
    serviceName: 'ml-inference-service',
    serviceVersion: '1.4.2',
    environment: 'production',
    model: { name: 'fraud-detector-v3', version: '3.1.0' },
    protocol,
    endpoint: `http://127.0.0.1:${vigil.ports.otlpHttp}`,
    grpcEndpoint: `http://127.0.0.1:${vigil.ports.otlpGrpc}`,
  });
  try {
    const traceId = await traceInference(
      sdk.tracer,
      { modelName: 'fraud-detector-v3', modelVersion: '3.1.0', batchSize: 32 },
      async (inference) => {
        await inference.preprocess(() => 0, () => ({ featureCount: 128, nullCount: 3 }));
        await inference.forwardPass(() => 0, { gpuUsed: true });
        await inference.postprocess(() => 0, () => ({ flaggedCount: 2 }));
        inference.setPrediction(0.875, 'fraud');
        return inference.span.spanContext().traceId;
      },
    );
    await sdk.forceFlush();
    return traceId;
  } finally {
    await sdk.shutdown();
  }
}

for (const protocol of ['http/protobuf', 'http/json', 'grpc'] as const) {
  test(`${protocol}: Vigil stores the inference tree with typed attributes and the ML resource`, async () => {
    const traceId = await runOneInference(protocol);
    const spans = await storedSpans(traceId);
    const byName = new Map(spans.map((span) => [span.name, span]));
    assert.deepEqual([...byName.keys()].sort(), [
      'inference.forward_pass',
      'inference.postprocess',
      'inference.predict',
      'inference.preprocess',
    ]);
    const root = byName.get('inference.predict');
    assert.ok(root);
    for (const span of spans) {
      if (span !== root) assert.equal(span.parentSpanId, root.spanId, span.name);
    }
    assert.deepEqual(root.attributes['ml.request.batch_size'], { type: 'int', value: '32' });
    assert.deepEqual(root.attributes['ml.model.name'], { type: 'string', value: 'fraud-detector-v3' });
    assert.deepEqual(root.attributes['ml.prediction.score'], { type: 'double', value: 0.875 });
    assert.deepEqual(root.attributes['ml.prediction.class'], { type: 'string', value: 'fraud' });
    const preprocess = byName.get('inference.preprocess')?.attributes;
    assert.deepEqual(preprocess?.['ml.preprocess.feature_count'], { type: 'int', value: '128' });
    assert.deepEqual(preprocess?.['ml.preprocess.null_count'], { type: 'int', value: '3' });
    assert.equal(preprocess?.['ml.preprocess.duration_ms']?.type, 'double');
    assert.deepEqual(byName.get('inference.forward_pass')?.attributes['ml.inference.gpu_used'], { type: 'bool', value: true });
    assert.deepEqual(byName.get('inference.postprocess')?.attributes['ml.postprocess.flagged_count'], {
      type: 'int',
      value: '2',
    });
    assert.equal(root.resource.serviceName, 'ml-inference-service');
    assert.deepEqual(root.resource.attributes['ml.model.version'], { type: 'string', value: '3.1.0' });
    assert.deepEqual(root.resource.attributes['deployment.environment'], { type: 'string', value: 'production' });
    assert.deepEqual(root.resource.attributes['service.version'], { type: 'string', value: '1.4.2' });
  });
}
