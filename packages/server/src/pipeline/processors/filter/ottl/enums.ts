/**
 * Enum symbols per context, as the ottlspan / ottllog / ottlmetric / ottldatapoint symbol tables
 * define them (OTLP enum numbers, as int64).
 */
import {
  SEVERITY_NUMBER_NAMES,
  SPAN_KIND_NAMES,
  STATUS_CODE_NAMES,
  TEMPORALITY_NAMES,
} from '../../../../receivers/otlp/enums.ts';

function table(entries: Record<string, number>): ReadonlyMap<string, bigint> {
  return new Map(Object.entries(entries).map(([name, value]) => [name, BigInt(value)]));
}

export const SPAN_ENUMS = table({ ...SPAN_KIND_NAMES, ...STATUS_CODE_NAMES });

export const LOG_ENUMS = table(SEVERITY_NUMBER_NAMES);

export const METRIC_ENUMS = table({
  ...TEMPORALITY_NAMES,
  METRIC_DATA_TYPE_NONE: 0,
  METRIC_DATA_TYPE_GAUGE: 1,
  METRIC_DATA_TYPE_SUM: 2,
  METRIC_DATA_TYPE_HISTOGRAM: 3,
  METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM: 4,
  METRIC_DATA_TYPE_SUMMARY: 5,
});

export const NO_ENUMS: ReadonlyMap<string, bigint> = new Map();
