/**
 * The correctness check after a load: each system must hold every series and every sample, asked
 * the same way through its Prometheus-compatible /api/v1/query.
 */

/** count(series) and sum(samples) over the last 3 h, or an error text in their place. */
export interface StoredCounts {
  series: number | string;
  samples: number | string;
}

/** The scalar of a one-element instant-vector answer, or a short error text. */
export function vectorValue(body: unknown): number | string {
  const answer = body as {
    status?: string;
    error?: string;
    data?: { result?: { value?: [number, string] }[] };
  };
  if (answer.status !== 'success') return `error: ${answer.error ?? 'no status'}`;
  const result = answer.data?.result ?? [];
  if (result.length === 0) return 'empty';
  return Number(result[0]?.value?.[1]);
}

async function instantQuery(baseUrl: string, query: string, timeMs: number): Promise<number | string> {
  const params = new URLSearchParams({ query, time: String(timeMs / 1000) });
  try {
    const response = await fetch(`${baseUrl}/api/v1/query?${params.toString()}`);
    return vectorValue(await response.json());
  } catch (error: unknown) {
    return `error: ${(error as Error).message}`;
  }
}

/** Asks `baseUrl` how many bench series and samples it holds in the 3 h before `timeMs`. */
export async function storedCounts(baseUrl: string, timeMs: number): Promise<StoredCounts> {
  return {
    series: await instantQuery(baseUrl, 'count(count_over_time({job="bench"}[3h]))', timeMs),
    samples: await instantQuery(baseUrl, 'sum(count_over_time({job="bench"}[3h]))', timeMs),
  };
}
