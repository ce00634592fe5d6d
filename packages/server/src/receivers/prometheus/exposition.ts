/**
 * What the Prometheus exposition parsers (text 0.0.4 and OpenMetrics 1.0) produce and the scrape
 * loop consumes. Labels include `__name__`; sample names keep their suffixes (`_bucket`, `_total`,
 * `_created`…) as the exposition writes them.
 */
export interface ExposedSample {
  labels: Map<string, string>;
  value: number;
  /** Timestamp written on the line, in ms; undefined when the line has none. */
  timestampMs?: number;
  exemplar?: ExposedExemplar;
}

export interface ExposedExemplar {
  labels: Map<string, string>;
  value: number;
  timestampMs?: number;
}

export type ExposedMetricType = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown' | 'untyped';

/** `# TYPE` / `# HELP` / `# UNIT` of a metric family. */
export interface ExposedFamily {
  name: string;
  type: ExposedMetricType;
  help: string;
  unit: string;
}

export interface ParsedExposition {
  samples: ExposedSample[];
  families: ExposedFamily[];
}

/** A malformed exposition: the first error, with its 1-based line number. */
export class ExpositionParseError extends Error {
  override readonly name = 'ExpositionParseError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}
