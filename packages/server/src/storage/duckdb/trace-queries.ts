import type { Span } from '../../model/span.ts';
import type {
  ApdexCounts,
  ApdexQuery,
  AttributeScope,
  DependencyEdge,
  Operation,
  TimeRange,
  TraceQuery,
  TraceSummary,
} from '../store.ts';
import type { DimensionCache, RunQuery } from './dimension-decoder.ts';
import { uintLiteral } from './dimension-decoder.ts';
import { traceIdToBigint, traceIdToHex } from './dimension-encoder.ts';
import { newestMatchingTraceIds } from './newest-first-search.ts';
import { decodeSpans, SPAN_SELECT } from './span-decoder.ts';
import {
  attributeCondition,
  attributeTextSql,
  promotedCondition,
  rangeCondition,
  SqlBuilder,
} from './sql-builder.ts';

/** Trace and span queries of the Store contract, as SQL over the schema.ts tables. */
export class TraceQueries {
  constructor(
    private readonly query: RunQuery,
    private readonly dimensions: DimensionCache,
  ) {}

  /**
   * One query: the trace's time window from trace_index bounds the span scan. DuckDB turns the
   * joined window into a dynamic filter on start_time, so only row groups whose zonemap overlaps it
   * are read (a full trace_id scan at 10M spans reads 160 MB); one round trip instead of two halves
   * the latency (10M spans: median 12.2 → 6.2 ms, measured on the bench file).
   */
  async getTrace(traceIdHex: string): Promise<Span[]> {
    const traceId = /^[0-9a-f]{32}$/.test(traceIdHex) ? traceIdToBigint(traceIdHex) : null;
    if (traceId === null) return [];
    const id = uintLiteral(traceId, 'UHUGEINT');
    const rows = await this.query(
      `WITH w AS (SELECT min(min_start) AS lo, max(max_start) AS hi FROM trace_index WHERE trace_id = ${id})
       SELECT ${SPAN_SELECT} FROM spans, w WHERE trace_id = ${id} AND start_time BETWEEN w.lo AND w.hi`,
    );
    return decodeSpans(rows, this.dimensions);
  }

  async searchTraces(query: TraceQuery): Promise<TraceSummary[]> {
    const limit = Math.max(0, Math.floor(query.limit));
    const bounds = await this.searchBounds(query.range);
    if (limit === 0 || !bounds) return [];
    const traceIds = await newestMatchingTraceIds(
      this.query,
      bounds,
      (windowCondition) => {
        const sql = new SqlBuilder();
        const conditions = [windowCondition, ...spanConditions({ ...query, range: undefined }, sql)];
        return {
          sql: `SELECT trace_id, max(start_time) AS last_start FROM spans s WHERE ${conditions.join(' AND ')}
                GROUP BY trace_id ORDER BY last_start DESC LIMIT ${sql.param(limit)}`,
          params: sql.params,
        };
      },
      limit,
    );
    return traceIds.length === 0 ? [] : this.summaries(traceIds);
  }

  /** The query's range narrowed to where spans exist (trace_index is small: one row per trace and batch). */
  private async searchBounds(range: TimeRange | undefined): Promise<TimeRange | undefined> {
    const [row] = await this.query(`SELECT min(min_start), max(max_start) FROM trace_index`);
    const [first, last] = (row ?? []) as (bigint | null)[];
    if (typeof first !== 'bigint' || typeof last !== 'bigint') return undefined;
    const start = range && range.startUnixNano > first ? range.startUnixNano : first;
    const end = range && range.endUnixNano < last ? range.endUnixNano : last;
    return start <= end ? { startUnixNano: start, endUnixNano: end } : undefined;
  }

  /** Summaries of the given traces, newest first; the trace_index window prunes the span scan. */
  private async summaries(traceIds: bigint[]): Promise<TraceSummary[]> {
    const idList = traceIds.map((id) => uintLiteral(id, 'UHUGEINT')).join(',');
    const [window] = await this.query(
      `SELECT min(min_start), max(max_start) FROM trace_index WHERE trace_id IN (${idList})`,
    );
    const [from, to] = (window ?? []) as (bigint | null)[];
    const timeCondition =
      typeof from === 'bigint' && typeof to === 'bigint'
        ? `AND start_time BETWEEN ${uintLiteral(from, 'UBIGINT')} AND ${uintLiteral(to, 'UBIGINT')}`
        : '';
    // The root is the span without a parent; a trace still missing its root shows its earliest span.
    const rows = await this.query(
      `SELECT trace_id,
         arg_min(service, {'orphan': parent_span_id IS NOT NULL, 'start': start_time}),
         arg_min(name, {'orphan': parent_span_id IS NOT NULL, 'start': start_time}),
         min(start_time), max(start_time + duration) - min(start_time), count(*),
         count(*) FILTER (WHERE status_code = 2), list_sort(list_distinct(list(service)))
       FROM spans WHERE trace_id IN (${idList}) ${timeCondition}
       GROUP BY trace_id ORDER BY min(start_time) DESC`,
    );
    return rows.map((row) => ({
      traceId: traceIdToHex(row[0] as bigint),
      rootServiceName: row[1] as string,
      rootSpanName: row[2] as string,
      startTimeUnixNano: row[3] as bigint,
      durationNanos: BigInt(row[4] as bigint),
      spanCount: Number(row[5]),
      errorCount: Number(row[6]),
      services: row[7] as string[],
    }));
  }

  async services(range?: TimeRange): Promise<string[]> {
    const where = whereClause(rangeCondition('start_time', range));
    const rows = await this.query(`SELECT DISTINCT service FROM spans ${where} ORDER BY service`);
    return rows.map((row) => row[0] as string);
  }

  async operations(service: string, range?: TimeRange): Promise<Operation[]> {
    const sql = new SqlBuilder();
    const where = whereClause([`service = ${sql.param(service)}`, ...rangeCondition('start_time', range)]);
    const rows = await this.query(
      `SELECT DISTINCT name, kind FROM spans ${where} ORDER BY name, kind`,
      sql.params,
    );
    return rows.map((row) => ({ name: row[0] as string, kind: row[1] as Operation['kind'] }));
  }

  async attributeKeys(scope: AttributeScope, range?: TimeRange): Promise<string[]> {
    const keys = `list_concat(coalesce(map_keys(attr_str), []), coalesce(map_keys(attr_int), []),
      coalesce(map_keys(attr_dbl), []), coalesce(map_keys(attr_bool), []), coalesce(json_keys(attr_other), []))`;
    const rows = await this.query(
      `SELECT DISTINCT unnest(${keys}) AS key FROM ${scopeSource(scope, range)} ORDER BY key`,
    );
    return rows.map((row) => row[0] as string);
  }

  async attributeValues(
    scope: AttributeScope,
    key: string,
    range?: TimeRange,
    limit = 100,
  ): Promise<string[]> {
    const sql = new SqlBuilder();
    const value = attributeTextSql('', sql.param(key));
    const rows = await this.query(
      `SELECT DISTINCT v FROM (SELECT ${value} AS v FROM ${scopeSource(scope, range)})
       WHERE v IS NOT NULL ORDER BY v LIMIT ${sql.param(Math.max(0, Math.floor(limit)))}`,
      sql.params,
    );
    return rows.map((row) => row[0] as string);
  }

  /** Parent span's service → child span's service, joined on the parent id within a trace. */
  async dependencies(range: TimeRange): Promise<DependencyEdge[]> {
    const end = uintLiteral(range.endUnixNano, 'UBIGINT');
    const rows = await this.query(
      `SELECT p.service, c.service, count(*) FROM spans c
       JOIN spans p ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id
       WHERE ${rangeCondition('c.start_time', range).join('')} AND p.start_time <= ${end} AND p.service <> c.service
       GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    return rows.map((row) => ({
      parent: row[0] as string,
      child: row[1] as string,
      callCount: Number(row[2]),
    }));
  }

  /** One scan with filtered counts; status_code 2 is OTLP STATUS_CODE_ERROR (always frustrated). */
  async spanApdex(query: ApdexQuery): Promise<ApdexCounts[]> {
    if (query.kinds.length === 0) return [];
    const sql = new SqlBuilder();
    const t = `${BigInt.asIntN(64, query.thresholdNanos)}::BIGINT`;
    const fourT = `${BigInt.asIntN(64, query.thresholdNanos * 4n)}::BIGINT`;
    const conditions = [
      ...rangeCondition('start_time', query.range),
      `kind IN (${query.kinds.map((kind) => sql.param(kind)).join(', ')})`,
    ];
    if (query.service !== undefined) conditions.push(`service = ${sql.param(query.service)}`);
    const rows = await this.query(
      `SELECT service, name, count(*),
         count(*) FILTER (WHERE status_code <> 2 AND duration <= ${t}),
         count(*) FILTER (WHERE status_code <> 2 AND duration > ${t} AND duration <= ${fourT}),
         count(*) FILTER (WHERE status_code = 2)
       FROM spans ${whereClause(conditions)} GROUP BY 1, 2 ORDER BY 1, 2`,
      sql.params,
    );
    return rows.map((row) => ({
      service: row[0] as string,
      operation: row[1] as string,
      total: Number(row[2]),
      satisfied: Number(row[3]),
      tolerating: Number(row[4]),
      errors: Number(row[5]),
    }));
  }
}

function whereClause(conditions: string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

/** Rows carrying the attributes of a scope: spans, or the resources that spans in range use. */
function scopeSource(scope: AttributeScope, range: TimeRange | undefined): string {
  const where = whereClause(rangeCondition('start_time', range));
  if (scope === 'span') return `spans ${where}`;
  return `resources WHERE resource_id IN (SELECT DISTINCT resource_id FROM spans ${where})`;
}

/** Every span-level condition of a trace query; a trace matches when one span meets them all. */
function spanConditions(query: TraceQuery, sql: SqlBuilder): string[] {
  const conditions = rangeCondition('s.start_time', query.range);
  if (query.service !== undefined) conditions.push(`s.service = ${sql.param(query.service)}`);
  if (query.operation !== undefined) conditions.push(`s.name = ${sql.param(query.operation)}`);
  if (query.kind !== undefined) conditions.push(`s.kind = ${sql.param(query.kind)}`);
  if (query.statusCode !== undefined) conditions.push(`s.status_code = ${sql.param(query.statusCode)}`);
  if (query.minDurationNanos !== undefined)
    conditions.push(`s.duration >= ${sql.param(query.minDurationNanos)}`);
  if (query.maxDurationNanos !== undefined)
    conditions.push(`s.duration <= ${sql.param(query.maxDurationNanos)}`);
  for (const filter of query.attributes ?? []) {
    const promoted = promotedCondition(filter, sql);
    if (promoted) conditions.push(promoted);
    if (filter.scope === 'span') conditions.push(attributeCondition(filter, 's.', sql));
    else {
      const inner = attributeCondition(filter, 'r.', sql);
      conditions.push(`s.resource_id IN (SELECT r.resource_id FROM resources r WHERE ${inner})`);
    }
  }
  return conditions;
}
