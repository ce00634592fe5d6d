import type { CardinalityStatus, NameCount } from '../../store.ts';
import type { SeriesIndex } from './series-index.ts';

/**
 * Where the series come from, computed from the index's postings: Prometheus's
 * /api/v1/status/tsdb statistics, plus, for the metrics with most series, the label that varies
 * most inside each — the label to move out of metrics (a user id belongs on spans, not series).
 */
export function cardinalityStatus(index: SeriesIndex, limit: number): CardinalityStatus {
  const names = index.postingsOf('__name__');
  const seriesCountByMetricName = top(
    [...(names ?? new Map<string, readonly number[]>())].map(([name, refs]) => ({
      name,
      value: refs.length,
    })),
    limit,
  );
  const labelValueCountByLabelName: NameCount[] = [];
  const memoryInBytesByLabelName: NameCount[] = [];
  const seriesCountByLabelValuePair: NameCount[] = [];
  for (const label of index.labelNames()) {
    const values = index.postingsOf(label) ?? new Map<string, readonly number[]>();
    labelValueCountByLabelName.push({ name: label, value: values.size });
    let bytes = 0;
    for (const [value, refs] of values) {
      // Prometheus counts the bytes of each distinct value once (tsdb/index postings stats).
      bytes += Buffer.byteLength(value);
      seriesCountByLabelValuePair.push({ name: `${label}=${value}`, value: refs.length });
    }
    memoryInBytesByLabelName.push({ name: label, value: bytes });
  }
  return {
    headStats: { numSeries: index.size },
    seriesCountByMetricName,
    labelValueCountByLabelName: top(labelValueCountByLabelName, limit),
    memoryInBytesByLabelName: top(memoryInBytesByLabelName, limit),
    seriesCountByLabelValuePair: top(seriesCountByLabelValuePair, limit),
    growthDrivers: seriesCountByMetricName
      .map(({ name }) => growthDriver(index, name))
      .filter((d) => d !== undefined),
  };
}

function top(entries: NameCount[], limit: number): NameCount[] {
  return entries.sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : 1)).slice(0, limit);
}

/** The label with the most distinct values among one metric's series. */
function growthDriver(
  index: SeriesIndex,
  metric: string,
): CardinalityStatus['growthDrivers'][number] | undefined {
  const refs = index.postingsOf('__name__')?.get(metric) ?? [];
  const distinct = new Map<string, Set<string>>();
  for (const ref of refs) {
    const labels = index.labelsOf(ref) ?? [];
    for (let i = 0; i < labels.length; i += 2) {
      const name = labels[i] ?? '';
      if (name === '__name__') continue;
      let values = distinct.get(name);
      if (!values) distinct.set(name, (values = new Set()));
      values.add(labels[i + 1] ?? '');
    }
  }
  let best: { label: string; distinctValues: number } | undefined;
  for (const [label, values] of distinct) {
    if (!best || values.size > best.distinctValues) best = { label, distinctValues: values.size };
  }
  return best && { metric, series: refs.length, ...best };
}
