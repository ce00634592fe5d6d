import type { CardinalityStatus, NameCount } from '../storage/store.ts';
import { CliError, type Command } from './command.ts';

const USAGE = `Usage: vigil cardinality [--api URL] [--limit N]

Prints where a running Vigil's metric series come from: the metrics with most series, the labels
with most values, the label=value pairs in most series, and for each top metric the label that
drives its growth. A label with thousands of values (user ids, request ids) belongs on spans as an
attribute, not on metrics.

Flags:
  --api URL      Vigil's query API (default http://127.0.0.1:16700)
  --limit N      rows per table (default 10)
  -h, --help     show this help`;

export const cardinalityCommand: Command = {
  usage: USAGE,
  options: { api: { type: 'string' }, limit: { type: 'string' } },
  run: async (values) => {
    const api = typeof values['api'] === 'string' ? values['api'] : 'http://127.0.0.1:16700';
    const limit = typeof values['limit'] === 'string' ? Number(values['limit']) : 10;
    if (!Number.isInteger(limit) || limit < 1) throw new CliError('--limit must be a positive integer', 2);
    console.log(formatReport(await fetchStatus(api, limit)));
    return 0;
  },
};

async function fetchStatus(api: string, limit: number): Promise<CardinalityStatus> {
  let response: Response;
  try {
    response = await fetch(`${api.replace(/\/$/, '')}/api/v1/status/tsdb?limit=${limit}`);
  } catch {
    throw new CliError(`cannot reach Vigil's API at ${api}`);
  }
  const body = (await response.json()) as { status: string; data?: CardinalityStatus; error?: string };
  if (body.status !== 'success' || !body.data)
    throw new CliError(`the API answered ${response.status}: ${body.error ?? 'no data'}`);
  return body.data;
}

/** The report as aligned text tables. */
export function formatReport(status: CardinalityStatus): string {
  const sections = [
    `series: ${status.headStats.numSeries}`,
    table('metrics by series', status.seriesCountByMetricName),
    table('labels by distinct values', status.labelValueCountByLabelName),
    table('label=value pairs by series', status.seriesCountByLabelValuePair),
    table(
      'growth drivers (label with most values per top metric)',
      status.growthDrivers.map((d) => ({ name: `${d.metric}: ${d.label}`, value: d.distinctValues })),
    ),
  ];
  return sections.join('\n\n');
}

function table(title: string, rows: readonly NameCount[]): string {
  const width = Math.max(0, ...rows.map((row) => row.name.length));
  return [title, ...rows.map((row) => `  ${row.name.padEnd(width)}  ${row.value}`)].join('\n');
}
