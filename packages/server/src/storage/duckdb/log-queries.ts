import type { LogRecord } from '../../model/log-record.ts';
import type { LogQuery } from '../store.ts';
import { decodeTagged } from './attribute-codec.ts';
import type { DimensionCache, RunQuery } from './dimension-decoder.ts';
import { attributesAt, uintLiteral } from './dimension-decoder.ts';
import { spanIdToBigint, spanIdToHex, traceIdToBigint, traceIdToHex } from './dimension-encoder.ts';
import { rangeCondition, SqlBuilder } from './sql-builder.ts';

const LOG_SELECT = `time, observed_time, severity_number, severity_text, body_text, body, trace_id, span_id,
  flags, event_name, resource_id, scope_id, dropped_attributes, attr_str, attr_int, attr_dbl, attr_bool, attr_other`;

function decodeLog(row: readonly unknown[], dimensions: DimensionCache): LogRecord {
  const body = row[5] as string | null;
  return {
    timeUnixNano: row[0] as bigint,
    observedTimeUnixNano: row[1] as bigint,
    severityNumber: row[2] as number,
    severityText: row[3] as string,
    body: body === null ? (row[4] as string) : decodeTagged(JSON.parse(body)),
    attributes: attributesAt(row, 13),
    droppedAttributesCount: row[12] as number,
    flags: row[8] as number,
    traceId: traceIdToHex(row[6] as bigint | null),
    spanId: spanIdToHex(row[7] as bigint | null),
    eventName: row[9] as string,
    resource: dimensions.resource(row[10] as bigint),
    scope: dimensions.scope(row[11] as bigint),
  };
}

/** An id filter that is not valid hex matches nothing (it cannot be stored). */
function idCondition(
  column: string,
  hex: string,
  parse: (hex: string) => bigint | null,
  type: 'UBIGINT' | 'UHUGEINT',
): string {
  try {
    const id = parse(hex);
    return id === null ? `${column} IS NULL` : `${column} = ${uintLiteral(id, type)}`;
  } catch {
    return 'false';
  }
}

/** Log search, newest first. The body match is a case-insensitive substring of the body's text. */
export async function searchLogs(
  query: LogQuery,
  run: RunQuery,
  dimensions: DimensionCache,
): Promise<LogRecord[]> {
  const sql = new SqlBuilder();
  const conditions = rangeCondition('time', query.range);
  if (query.service !== undefined) conditions.push(`service = ${sql.param(query.service)}`);
  if (query.minSeverityNumber !== undefined)
    conditions.push(`severity_number >= ${sql.param(query.minSeverityNumber)}`);
  if (query.bodyContains !== undefined && query.bodyContains !== '') {
    // strpos over lower(): no LIKE wildcards to escape in what the user typed.
    conditions.push(`strpos(lower(body_text), lower(${sql.param(query.bodyContains)})) > 0`);
  }
  if (query.traceId !== undefined)
    conditions.push(idCondition('trace_id', query.traceId, traceIdToBigint, 'UHUGEINT'));
  if (query.spanId !== undefined)
    conditions.push(idCondition('span_id', query.spanId, spanIdToBigint, 'UBIGINT'));
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = await run(
    `SELECT ${LOG_SELECT} FROM logs ${where} ORDER BY time DESC LIMIT ${sql.param(Math.max(0, Math.floor(query.limit)))}`,
    sql.params,
  );
  await dimensions.load(
    rows.map((row) => row[10] as bigint),
    rows.map((row) => row[11] as bigint),
  );
  return rows.map((row) => decodeLog(row, dimensions));
}
