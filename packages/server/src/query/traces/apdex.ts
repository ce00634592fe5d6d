import { SpanKind } from '../../model/span.ts';
import type { ApdexCounts, Store, TimeRange } from '../../storage/store.ts';

/** Per-service Apdex thresholds: a default T and overrides by service name (config `vigil.apdex`). */
export interface ApdexThresholds {
  defaultMs: number;
  byServiceMs: Readonly<Record<string, number>>;
}

/** SigNoz and New Relic default T: 500 ms. */
export const DEFAULT_APDEX_THRESHOLDS: ApdexThresholds = { defaultMs: 500, byServiceMs: {} };

/** Entry-point spans are the requests users wait for; internal and client spans would count work twice. */
export const APDEX_DEFAULT_KINDS: readonly SpanKind[] = [SpanKind.SERVER, SpanKind.CONSUMER];

export interface ApdexScore {
  service: string;
  /** Empty string on the per-service rollup rows. */
  operation: string;
  thresholdMs: number;
  /** (satisfied + tolerating / 2) / total; null without requests. */
  apdex: number | null;
  total: number;
  satisfied: number;
  tolerating: number;
  frustrated: number;
  errors: number;
}

export interface ApdexReport {
  services: ApdexScore[];
  operations: ApdexScore[];
}

/**
 * Apdex per service and per operation (Apdex Alliance spec; errors count as frustrated, as New
 * Relic and SigNoz count them). Services with their own T are queried separately, so each service
 * is scored against the threshold its users expect.
 */
export async function apdexReport(
  store: Pick<Store, 'spanApdex'>,
  range: TimeRange,
  thresholds: ApdexThresholds,
  options: { service?: string; thresholdMs?: number; kinds?: readonly SpanKind[] } = {},
): Promise<ApdexReport> {
  const kinds = options.kinds ?? APDEX_DEFAULT_KINDS;
  // An explicit T applies to everything; otherwise services with their own T get their own query.
  const overrides = options.thresholdMs === undefined ? thresholds.byServiceMs : {};
  const defaultMs = options.thresholdMs ?? thresholds.defaultMs;
  const operations: ApdexScore[] = [];
  for (const row of await query(store, range, defaultMs, kinds, options.service)) {
    if (overrides[row.service] === undefined) operations.push(score(row, defaultMs));
  }
  for (const [service, thresholdMs] of Object.entries(overrides)) {
    if (options.service !== undefined && options.service !== service) continue;
    for (const row of await query(store, range, thresholdMs, kinds, service))
      operations.push(score(row, thresholdMs));
  }
  operations.sort((a, b) => a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation));
  return { services: rollUp(operations), operations };
}

function query(
  store: Pick<Store, 'spanApdex'>,
  range: TimeRange,
  thresholdMs: number,
  kinds: readonly SpanKind[],
  service: string | undefined,
): Promise<ApdexCounts[]> {
  const thresholdNanos = BigInt(Math.round(thresholdMs * 1e6));
  return store.spanApdex({ range, thresholdNanos, kinds, ...(service === undefined ? {} : { service }) });
}

function score(counts: ApdexCounts, thresholdMs: number): ApdexScore {
  const frustrated = counts.total - counts.satisfied - counts.tolerating;
  const apdex = counts.total === 0 ? null : (counts.satisfied + counts.tolerating / 2) / counts.total;
  return { ...counts, thresholdMs, apdex, frustrated };
}

function rollUp(operations: readonly ApdexScore[]): ApdexScore[] {
  const byService = new Map<string, ApdexScore>();
  for (const op of operations) {
    const sum = byService.get(op.service);
    if (!sum) {
      byService.set(op.service, { ...op, operation: '' });
      continue;
    }
    sum.total += op.total;
    sum.satisfied += op.satisfied;
    sum.tolerating += op.tolerating;
    sum.errors += op.errors;
  }
  return [...byService.values()].map((sum) => score(sum, sum.thresholdMs));
}
