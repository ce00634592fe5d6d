/** A condition the parser or compiler refuses, with the 1-based column it points at. */
export class OttlParseError extends Error {
  override readonly name = 'OttlParseError';
  constructor(
    readonly reason: string,
    readonly column: number,
  ) {
    super(`column ${column}: ${reason}`);
  }
}

/**
 * A condition that failed while evaluating one record (indexing a string, an index out of range,
 * dividing by zero). error_mode decides what happens: propagate fails the batch, ignore logs and
 * treats the condition as false, silent does the same without logging (ottl.ErrorMode).
 */
export class OttlRuntimeError extends Error {
  override readonly name = 'OttlRuntimeError';
}
