import { attributeText } from '../../model/attributes.ts';
import type { LogRecord } from '../../model/log-record.ts';
import { encodeTagged } from './attribute-codec.ts';
import type { Column, TableBatch } from './columnar.ts';
import { HexIdBuilder, Int64Builder, StringTable } from './columnar.ts';
import type { DimensionCollector } from './dimension-encoder.ts';
import { AttributeColumns, uint32Column } from './dimension-encoder.ts';

/**
 * Log records → the `logs` batch. `body_text` is what search matches (the body's display text);
 * `body` keeps the exact typed value only when it is not a plain string, which is the common case.
 */
export function encodeLogs(logs: readonly LogRecord[], dimensions: DimensionCollector): TableBatch[] {
  const n = logs.length;
  const strings = new StringTable();
  const times = new Int64Builder(n, true);
  const observedTimes = new Int64Builder(n, true);
  const traceIds = new HexIdBuilder(n, 4);
  const spanIds = new HexIdBuilder(n, 2);
  const resourceIds = new Int64Builder(n, true);
  const scopeIds = new Int64Builder(n, true);
  const attributes = new AttributeColumns(n, strings);
  logs.forEach((log, row) => {
    times.set(row, log.timeUnixNano);
    observedTimes.set(row, log.observedTimeUnixNano);
    traceIds.set(row, log.traceId);
    spanIds.set(row, log.spanId);
    resourceIds.set(row, dimensions.resourceId(log.resource));
    scopeIds.set(row, dimensions.scopeId(log.scope));
    attributes.set(row, log.attributes);
  });
  const text = (pick: (log: LogRecord) => string | null): Column => strings.column(logs.map(pick));
  const columns: Column[] = [
    times.build(),
    observedTimes.build(),
    uint32Column(logs.map((l) => l.severityNumber)),
    text((l) => l.severityText),
    text((l) => attributeText(l.body)),
    text((l) => (typeof l.body === 'string' ? null : JSON.stringify(encodeTagged(l.body)))),
    text((l) => l.resource.serviceName),
    traceIds.build(),
    spanIds.build(),
    uint32Column(logs.map((l) => l.flags)),
    text((l) => l.eventName),
    resourceIds.build(),
    scopeIds.build(),
    uint32Column(logs.map((l) => l.droppedAttributesCount)),
    ...attributes.build(),
  ];
  return [{ table: 'logs', rowCount: n, columns, strings: strings.strings }];
}
