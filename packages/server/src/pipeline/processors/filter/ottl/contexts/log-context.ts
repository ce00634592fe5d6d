/**
 * The log context (pkg/ottl/contexts/ottllog; paths from internal/ctxlog/log.go). `time` and
 * `observed_time` (Go time.Time) are not offered.
 */
import { attributeText } from '../../../../../model/attributes.ts';
import type { LogRecord } from '../../../../../model/log-record.ts';
import type { OttlContext, PathTable } from '../context.ts';
import { attributesPath, commonPaths, idPath, indexValue, resolvePath, scalar } from '../context.ts';
import { OttlParseError } from '../parse-error.ts';
import { LOG_ENUMS } from '../enums.ts';

const LOG_PATHS: PathTable<LogRecord> = {
  ...commonPaths<LogRecord>(
    'log',
    (l) => l.resource,
    (l) => l.scope,
  ),
  time_unix_nano: scalar('log', (l) => l.timeUnixNano),
  observed_time_unix_nano: scalar('log', (l) => l.observedTimeUnixNano),
  severity_number: scalar('log', (l) => BigInt(l.severityNumber)),
  severity_text: scalar('log', (l) => l.severityText),
  body: (field, rest, column) => {
    // `body.string` is the body as text (ctxlog accessStringBody); `body["k"]` indexes a map body.
    if (
      rest.length === 1 &&
      rest[0]?.name === 'string' &&
      rest[0].keys.length === 0 &&
      field.keys.length === 0
    ) {
      return (l) => attributeText(l.body);
    }
    if (rest.length > 0)
      throw new OttlParseError(
        `"body.${rest.map((f) => f.name).join('.')}" is not a valid path for the log context`,
        column,
      );
    const keys = field.keys;
    return keys.length === 0 ? (l) => l.body : (l) => indexValue(l.body, keys);
  },
  attributes: attributesPath('log', (l) => l.attributes),
  dropped_attributes_count: scalar('log', (l) => BigInt(l.droppedAttributesCount)),
  flags: scalar('log', (l) => BigInt(l.flags)),
  trace_id: idPath<LogRecord>('log', (l) => l.traceId, 16),
  span_id: idPath<LogRecord>('log', (l) => l.spanId, 8),
  event_name: scalar('log', (l) => l.eventName),
};

/** The log context: conditions under `logs.log_record`. */
export const LOG_CONTEXT: OttlContext<LogRecord> = {
  name: 'log',
  enums: LOG_ENUMS,
  path: (fields, column) => resolvePath('log', LOG_PATHS, fields, column),
};
