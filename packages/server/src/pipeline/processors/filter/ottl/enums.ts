/**
 * Enum symbols per context, as the ottlspan / ottllog / ottlmetric / ottldatapoint symbol tables
 * define them (OTLP enum numbers, as int64).
 */
function table(entries: Record<string, number>): ReadonlyMap<string, bigint> {
  return new Map(Object.entries(entries).map(([name, value]) => [name, BigInt(value)]));
}

export const SPAN_ENUMS = table({
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
});

const SEVERITY_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

function severityEntries(): Record<string, number> {
  const entries: Record<string, number> = { SEVERITY_NUMBER_UNSPECIFIED: 0 };
  SEVERITY_NAMES.forEach((name, group) => {
    const base = group * 4 + 1;
    entries[`SEVERITY_NUMBER_${name}`] = base;
    for (let step = 2; step <= 4; step++) entries[`SEVERITY_NUMBER_${name}${step}`] = base + step - 1;
  });
  return entries;
}

export const LOG_ENUMS = table(severityEntries());

export const METRIC_ENUMS = table({
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
  METRIC_DATA_TYPE_NONE: 0,
  METRIC_DATA_TYPE_GAUGE: 1,
  METRIC_DATA_TYPE_SUM: 2,
  METRIC_DATA_TYPE_HISTOGRAM: 3,
  METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM: 4,
  METRIC_DATA_TYPE_SUMMARY: 5,
});

export const NO_ENUMS: ReadonlyMap<string, bigint> = new Map();
