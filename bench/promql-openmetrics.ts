/**
 * Writes a benchmark dataset as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`
 * (Prometheus docs, "Backfilling from OpenMetrics format"): one `# TYPE` per family, each series'
 * samples in time order, `# EOF` last.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Dataset, GeneratedSeries, MetricFamily } from './promql-data.ts';

/** Flush to disk every ~4 MB: a 10k × 2 h dataset is ~750 MB of text. */
const FLUSH_CHARS = 4_000_000;

/**
 * Streams the dataset to `path`.
 *
 * @example
 * writeOpenMetricsFile(dataset, '/tmp/bench/data.om');
 */
export function writeOpenMetricsFile(dataset: Dataset, path: string): void {
  const fd = openSync(path, 'w');
  try {
    let chunk = '';
    for (const family of dataset.families) {
      chunk += familyHeader(family);
      for (const series of family.series) {
        chunk += seriesLines(series, dataset.stepMs);
        if (chunk.length >= FLUSH_CHARS) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
    }
    writeSync(fd, chunk + '# EOF\n');
  } finally {
    closeSync(fd);
  }
}

export function familyHeader(family: MetricFamily): string {
  return `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
}

/** All samples of one series, one `name{labels} value timestamp` line each. */
export function seriesLines(series: GeneratedSeries, stepMs: number): string {
  const prefix = `${series.labels.__name__ ?? ''}${formatLabels(series.labels)} `;
  let text = '';
  for (let i = 0; i < series.values.length; i++) {
    const timestamp = formatTimestamp(series.startMs + i * stepMs);
    text += `${prefix}${formatValue(series.values[i] ?? NaN)} ${timestamp}\n`;
  }
  return text;
}

/** `{a="x",b="y"}` without `__name__`; empty label sets print nothing. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels)
    .filter(([name]) => name !== '__name__')
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/**
 * JS's shortest round-trip number text, which Go's strconv.ParseFloat reads back to the same float64,
 * so both engines see identical values. OpenMetrics spells infinities `+Inf`/`-Inf`.
 */
export function formatValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * OpenMetrics timestamps are seconds. Prometheus's openmetricsparse.go computes `int64(ts * 1000)`
 * from the parsed float, which is exact only for whole seconds, so fractional seconds are refused.
 */
export function formatTimestamp(timestampMs: number): string {
  if (!Number.isInteger(timestampMs / 1000)) {
    throw new RangeError(`timestamp ${timestampMs} ms is not a whole second`);
  }
  return String(timestampMs / 1000);
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
