/**
 * Latency measurement for the PromQL benchmark: engines take turns on the same query (order flipped
 * every round, so neither always runs on a cache the other just warmed or on a CPU the other just
 * heated), after warm-up runs that are not counted.
 */
import type { RangeQuery, TimedResponse } from './promql-client.ts';

/** Something that answers range queries over HTTP: Prometheus, Vigil. */
export interface BenchEngine {
  name: string;
  queryRange(range: RangeQuery): Promise<TimedResponse>;
}

export interface EngineMeasurement {
  engine: string;
  latenciesMs: number[];
  /** Body of the last counted run, for the result comparison. */
  lastResponse: TimedResponse;
}

/**
 * Runs `warmupRuns` uncounted then `runs` counted queries on every engine, alternating. An engine
 * that answers with an error is not asked again (its error is fast and meaningless as a latency; the
 * caller reports the body); the others go on.
 *
 * @example
 * const [prometheus, vigil] = await measureAlternating([prometheusEngine, vigilEngine], range, 5, 1);
 */
export async function measureAlternating(
  engines: readonly BenchEngine[],
  range: RangeQuery,
  runs: number,
  warmupRuns: number,
): Promise<EngineMeasurement[]> {
  const latencies = engines.map((): number[] => []);
  const lastResponses: (TimedResponse | undefined)[] = engines.map(() => undefined);
  const failed = new Set<number>();
  for (let round = 0; round < warmupRuns + runs; round++) {
    for (const index of roundOrder(engines.length, round)) {
      if (failed.has(index)) continue;
      const response = await engines[index]!.queryRange(range);
      lastResponses[index] = response;
      if (response.status !== 200) failed.add(index);
      else if (round >= warmupRuns) latencies[index]!.push(response.elapsedMs);
    }
  }
  return measurements(engines, latencies, lastResponses);
}

/** Engine indexes for a round: ascending on even rounds, descending on odd ones. */
export function roundOrder(engineCount: number, round: number): number[] {
  const order = Array.from({ length: engineCount }, (_, i) => i);
  return round % 2 === 0 ? order : order.reverse();
}

/** Median of the values (mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function measurements(
  engines: readonly BenchEngine[],
  latencies: number[][],
  lastResponses: (TimedResponse | undefined)[],
): EngineMeasurement[] {
  return engines.map((engine, i) => ({
    engine: engine.name,
    latenciesMs: latencies[i] ?? [],
    lastResponse: lastResponses[i] ?? { elapsedMs: NaN, status: 0, bodyText: '' },
  }));
}
