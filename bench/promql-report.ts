/**
 * The PromQL benchmark's results table: one row per query with both engines' median latency, the
 * Vigil/Prometheus ratio and whether the results matched.
 */

export interface QueryReport {
  name: string;
  prometheusMedianMs: number;
  /** Absent when Vigil was not measured (--prometheus-only, not loaded) or answered with an error. */
  vigilMedianMs?: number;
  /** Series and samples in Prometheus's result. */
  resultSeries: number;
  resultSamples: number;
  /** 'equal', 'DIFFERENT', an error text, or '-' when there was nothing to compare. */
  verdict: string;
}

/**
 * Renders rows as an aligned text table.
 *
 * @example
 * const topk = { name: 'topk', prometheusMedianMs: 120, vigilMedianMs: 90, resultSeries: 5 };
 * console.log(formatReportTable([{ ...topk, resultSamples: 1205, verdict: 'equal' }]));
 */
export function formatReportTable(reports: readonly QueryReport[]): string {
  const header = ['query', 'prometheus ms', 'vigil ms', 'vigil/prom', 'series', 'samples', 'result'];
  const rows = reports.map((report) => [
    report.name,
    report.prometheusMedianMs.toFixed(1),
    report.vigilMedianMs === undefined ? '-' : report.vigilMedianMs.toFixed(1),
    report.vigilMedianMs === undefined ? '-' : ratioText(report.vigilMedianMs, report.prometheusMedianMs),
    String(report.resultSeries),
    String(report.resultSamples),
    report.verdict,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  // Name and verdict columns read best left-aligned, numbers right-aligned.
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => {
        const leftAligned = column === 0 || column === cells.length - 1;
        return leftAligned ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!);
      })
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** One line on the bar: Vigil at or under 1.0× Prometheus on every query, results equal. */
export function formatVerdict(reports: readonly QueryReport[]): string {
  const measured = reports.filter((report) => report.verdict !== '-');
  if (measured.length === 0) return 'vigil not measured';
  const fastEnough = measured.filter(
    (report) => (report.vigilMedianMs ?? Infinity) <= report.prometheusMedianMs,
  ).length;
  const equal = measured.filter((report) => report.verdict === 'equal').length;
  const total = measured.length;
  return `latency <= 1.0x prometheus on ${fastEnough}/${total} queries; results equal on ${equal}/${total}`;
}

function ratioText(vigilMs: number, prometheusMs: number): string {
  return `${(vigilMs / prometheusMs).toFixed(2)}x`;
}
