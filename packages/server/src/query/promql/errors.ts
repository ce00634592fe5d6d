import type { Position } from './ast.ts';

/** Prometheus API errorType values (web/api/v1 errorType*). */
export type PromErrorType =
  | 'bad_data'
  | 'timeout'
  | 'canceled'
  | 'execution'
  | 'internal'
  | 'unavailable'
  | 'not_found'
  | 'not_acceptable';

/**
 * An error of parsing or evaluating a query, worded as Prometheus words it. The API maps `type`
 * to the errorType field and an HTTP status (bad_data 400, execution 422, timeout 503...).
 */
export class PromQLError extends Error {
  override readonly name = 'PromQLError';
  constructor(
    readonly type: PromErrorType,
    message: string,
    readonly position?: Position,
  ) {
    super(message);
  }
}

/** A syntax or type error, with the position Prometheus reports (`1:5: parse error: ...`). */
export function parseError(message: string, position: Position, query: string): PromQLError {
  return new PromQLError(
    'bad_data',
    `${describePosition(query, position.start)}: parse error: ${message}`,
    position,
  );
}

/** `line:column` (both 1-based) of an offset, as Prometheus's PositionRange prints it. */
export function describePosition(query: string, offset: number): string {
  const before = query.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${line}:${column}`;
}
