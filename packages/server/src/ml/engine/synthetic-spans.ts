/**
 * Test data: inference span trees as the Vigil SDK emits them (inference.predict with preprocess
 * and forward_pass children), with seeded randomness so every test run sees the same spans.
 * Test-only; not imported by the engine.
 */
import type { AttributeValue } from '../../model/attributes.ts';
import { standardNormal } from '../stats/random.ts';
import type { Resource } from '../../model/resource.ts';
import type { Span } from '../../model/span.ts';
import { attrs, makeSpan, resource } from '../../storage/contract-fixtures.ts';
import { seededRandom } from '../stats/random.ts';

/** A minute-aligned Unix ms time, so slot boundaries in tests are easy to reason about. */
export const T0_MS = 29_333_340 * 60_000;
const NANOS_PER_MS = 1_000_000n;

export interface InferenceSpec {
  model?: string;
  version: string;
  /** When the request ends (Unix ms). */
  endMs: number;
  latencyMs: number;
  error?: boolean;
  score?: number;
  predictedClass?: string;
  /** Extra numeric attributes of inference.predict (features). */
  features?: Record<string, number>;
  featureCount?: number;
  nullCount?: number;
  /** Forward pass on a GPU for this long (ms); omitted: no forward-pass span. */
  gpuMs?: number;
  resource?: Resource;
}

let nextSpanId = 1;

/** inference.predict plus, when asked, inference.preprocess and inference.forward_pass. */
export function inferenceSpans(spec: InferenceSpec): Span[] {
  const model = spec.model ?? 'fraud-detector';
  const res = spec.resource ?? modelResource(model, spec.version);
  const trace = nextSpanId++;
  const attributes: Record<string, AttributeValue> = {
    'ml.model.name': model,
    'ml.model.version': spec.version,
    'ml.request.batch_size': 1n,
    'ml.predict.total_duration_ms': spec.latencyMs,
  };
  if (spec.score !== undefined) attributes['ml.prediction.score'] = spec.score;
  if (spec.predictedClass !== undefined) attributes['ml.prediction.class'] = spec.predictedClass;
  Object.assign(attributes, spec.features);
  const predict = timed(
    makeSpan({
      trace,
      span: nextSpanId++,
      name: 'inference.predict',
      status: spec.error ? 2 : 0,
      attributes: attrs(attributes),
      resource: res,
    }),
    spec.endMs,
    spec.latencyMs,
  );
  const spans = [predict];
  if (spec.featureCount !== undefined) {
    const phase = attrs({
      'ml.preprocess.feature_count': BigInt(spec.featureCount),
      'ml.preprocess.null_count': BigInt(spec.nullCount ?? 0),
    });
    spans.push(
      timed(
        makeSpan({
          trace,
          span: nextSpanId++,
          name: 'inference.preprocess',
          attributes: phase,
          resource: res,
        }),
        spec.endMs,
        1,
      ),
    );
  }
  if (spec.gpuMs !== undefined) {
    const phase = attrs({ 'ml.inference.gpu_used': true, 'ml.inference.model_version': spec.version });
    spans.push(
      timed(
        makeSpan({
          trace,
          span: nextSpanId++,
          name: 'inference.forward_pass',
          attributes: phase,
          resource: res,
        }),
        spec.endMs,
        spec.gpuMs,
      ),
    );
  }
  return spans;
}

/** A span ending at `endMs` after `durationMs`, with exact nanosecond times. */
export function timed(span: Span, endMs: number, durationMs: number): Span {
  const endNanos = BigInt(Math.round(endMs * 1000)) * (NANOS_PER_MS / 1000n);
  return {
    ...span,
    startTimeUnixNano: endNanos - BigInt(Math.round(durationMs * 1e6)),
    endTimeUnixNano: endNanos,
  };
}

export function modelResource(
  model: string,
  version: string,
  extra: Record<string, AttributeValue> = {},
): Resource {
  return resource('fraud-model', {
    'ml.model.name': model,
    'ml.model.version': version,
    'host.name': 'gpu-node-1',
    ...extra,
  });
}

export interface VersionMix {
  version: string;
  /** Share of requests (the shares of a workload sum to 1). */
  share: number;
  /** Latency multiplier (1.15 = 15% slower at every quantile). */
  slowdown?: number;
  errorRate?: number;
  /** Added to every prediction score. */
  scoreShift?: number;
  /** Probability that each of the 100 features of a request is null. */
  nullRate?: number;
  resource?: Resource;
}

/**
 * `count` requests spread evenly over [startMs, startMs + durationMs): latency lognormal with median
 * 40 ms and σ = 0.3 (times the version's slowdown), score Beta-like in [0, 1], class by score.
 */
export function workload(
  seed: number,
  count: number,
  startMs: number,
  durationMs: number,
  mix: readonly VersionMix[],
): Span[] {
  const random = seededRandom(seed);
  const spans: Span[] = [];
  for (let i = 0; i < count; i++) {
    const pick = random();
    let cumulative = 0;
    const version = mix.find((v) => (cumulative += v.share) > pick) ?? mix[mix.length - 1]!;
    const score = Math.min(1, Math.max(0, 0.3 + 0.1 * standardNormal(random) + (version.scoreShift ?? 0)));
    let nullCount = 0;
    if (version.nullRate !== undefined)
      for (let f = 0; f < 100; f++) if (random() < version.nullRate) nullCount++;
    spans.push(
      ...inferenceSpans({
        version: version.version,
        endMs: startMs + (i * durationMs) / count,
        latencyMs: 40 * Math.exp(0.3 * standardNormal(random)) * (version.slowdown ?? 1),
        error: random() < (version.errorRate ?? 0),
        score,
        predictedClass: score >= 0.5 ? 'fraud' : 'legit',
        features: { 'txn.amount': 100 * Math.exp(0.5 * standardNormal(random)) },
        featureCount: 100,
        nullCount,
        gpuMs: 28,
        ...(version.resource ? { resource: version.resource } : {}),
      }),
    );
  }
  return spans;
}
