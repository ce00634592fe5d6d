/**
 * The JSON a scoring request carries down the chain. Each hop adds its part (features, embedding,
 * neighbours, score); the route (stable or canary) is chosen once by the gateway.
 */
export interface DemoPayload {
  requestId: string;
  route: 'stable' | 'canary';
  amountCents: number;
  /** Raw feature vector; null marks a missing value (the broken-pipeline scenario). */
  features?: (number | null)[];
  embedding?: number[];
  neighborCount?: number;
  score?: number;
  resultClass?: string;
  flagged?: boolean;
}

function isNumberOrNull(value: unknown): value is number | null {
  return value === null || typeof value === 'number';
}

function optionalNumbers(value: unknown): number[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'number') ? value : undefined;
}

/** Validates a parsed body; throws a payload-free message when it is not a DemoPayload. */
export function parsePayload(value: unknown): DemoPayload {
  if (typeof value !== 'object' || value === null) throw new Error('body is not a JSON object');
  const body = value as Record<string, unknown>;
  const { requestId, route, amountCents, features } = body;
  if (
    typeof requestId !== 'string' ||
    (route !== 'stable' && route !== 'canary') ||
    typeof amountCents !== 'number'
  ) {
    throw new Error('body lacks requestId, route or amountCents');
  }
  const payload: DemoPayload = { requestId, route, amountCents };
  if (Array.isArray(features) && features.every(isNumberOrNull)) payload.features = features;
  const embedding = optionalNumbers(body['embedding']);
  if (embedding) payload.embedding = embedding;
  if (typeof body['neighborCount'] === 'number') payload.neighborCount = body['neighborCount'];
  if (typeof body['score'] === 'number') payload.score = body['score'];
  if (typeof body['resultClass'] === 'string') payload.resultClass = body['resultClass'];
  if (typeof body['flagged'] === 'boolean') payload.flagged = body['flagged'];
  return payload;
}

/** Milliseconds around `meanMillis` with ±`spread` relative uniform jitter: realistic, never negative. */
export function jitterMillis(meanMillis: number, spread = 0.15): number {
  return Math.max(0, meanMillis * (1 + spread * (2 * Math.random() - 1)));
}

export function sleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}
