import type { TimeRange } from '../store.ts';
import type { RunQuery } from './dimension-decoder.ts';
import type { SqlParam } from './worker-protocol.ts';
import { uintLiteral } from './dimension-decoder.ts';

/** The first window searched is this share of the time range; each next window is WINDOW_GROWTH times larger. */
const FIRST_WINDOW_SHARE = 64n;
const WINDOW_GROWTH = 4n;

/**
 * Trace ids of matching spans, newest first, found by scanning time windows backwards from the end of
 * the range and stopping once `limit` traces are found. Spans arrive roughly in time order, so the
 * start_time zonemaps let each window read only its row groups: a search whose filter matches often
 * reads the newest slice of the store instead of all of it (Tempo and Jaeger search the same way).
 * A rare match costs at most ~4/3 of one full scan. Within a window traces are ordered by their
 * latest matching span; a trace straddling two windows is reported once, in the newer one.
 */
export async function newestMatchingTraceIds(
  query: RunQuery,
  bounds: TimeRange,
  matchSql: (windowCondition: string) => { sql: string; params: SqlParam[] },
  limit: number,
): Promise<bigint[]> {
  const found = new Set<bigint>();
  const spanNanos = bounds.endUnixNano - bounds.startUnixNano;
  let windowNanos = spanNanos / FIRST_WINDOW_SHARE + 1n;
  let windowEnd = bounds.endUnixNano;
  while (found.size < limit && windowEnd >= bounds.startUnixNano) {
    const candidateStart = windowEnd - windowNanos + 1n;
    const windowStart = candidateStart > bounds.startUnixNano ? candidateStart : bounds.startUnixNano;
    const condition = `s.start_time BETWEEN ${uintLiteral(windowStart, 'UBIGINT')} AND ${uintLiteral(windowEnd, 'UBIGINT')}`;
    const { sql, params } = matchSql(condition);
    for (const row of await query(sql, params)) found.add(row[0] as bigint);
    windowEnd = windowStart - 1n;
    windowNanos *= WINDOW_GROWTH;
  }
  return [...found].slice(0, limit);
}
