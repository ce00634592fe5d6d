/**
 * The comparison's output: one table (a row per system, then Vigil's ratio to each other system)
 * and a few detail lines per system (versions, retries, apparent sizes, the correctness check).
 */
import type { SystemMeasurement } from './measure.ts';
import type { LoadShape } from './requests.ts';

const MIB = 1024 * 1024;

/** The numbers of one table row. */
export interface TableRow {
  system: string;
  samplesPerSecond: number;
  cpuSecondsPerMillionSamples: number;
  freshBytesPerSample: number;
  compactedBytesPerSample: number;
  rssIdleMiB: number;
  rssAfterMiB: number;
  rssBytesPerSeries: number;
}

const COLUMNS: { title: string; key: Exclude<keyof TableRow, 'system'>; digits: number }[] = [
  { title: 'samples/s', key: 'samplesPerSecond', digits: 0 },
  { title: 'CPU-s per M samples', key: 'cpuSecondsPerMillionSamples', digits: 2 },
  { title: 'B/sample fresh', key: 'freshBytesPerSample', digits: 2 },
  { title: 'B/sample compacted', key: 'compactedBytesPerSample', digits: 2 },
  { title: 'RSS idle MiB', key: 'rssIdleMiB', digits: 1 },
  { title: 'RSS after MiB', key: 'rssAfterMiB', digits: 1 },
  { title: 'bytes RSS per series', key: 'rssBytesPerSeries', digits: 0 },
];

/** Turns one system's measurement into its row; per-sample figures use the samples accepted. */
export function tableRow(measurement: SystemMeasurement, seriesCount: number): TableRow {
  const samples = measurement.send.samplesAccepted;
  return {
    system: measurement.id,
    samplesPerSecond: samples / (measurement.send.elapsedMs / 1000),
    cpuSecondsPerMillionSamples: measurement.cpuSendSeconds / (samples / 1e6),
    freshBytesPerSample: measurement.fresh.allocatedBytes / samples,
    compactedBytesPerSample: measurement.compacted.allocatedBytes / samples,
    rssIdleMiB: measurement.rssIdleBytes / MIB,
    rssAfterMiB: measurement.rssAfterBytes / MIB,
    rssBytesPerSeries: (measurement.rssAfterBytes - measurement.rssIdleBytes) / seriesCount,
  };
}

function ratioCells(numerator: TableRow, denominator: TableRow): string[] {
  return COLUMNS.map(({ key }) => {
    const ratio = numerator[key] / denominator[key];
    return Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : '-';
  });
}

/** The table: rows in order, then "vigil/<other>" ratio rows when Vigil and the other were run. */
export function formatTable(rows: TableRow[]): string {
  const lines: string[][] = [
    ['system', ...COLUMNS.map((column) => column.title)],
    ...rows.map((row) => [
      row.system,
      ...COLUMNS.map(({ key, digits }) => (Number.isFinite(row[key]) ? row[key].toFixed(digits) : '-')),
    ]),
  ];
  const vigil = rows.find((row) => row.system === 'vigil');
  for (const other of rows) {
    if (vigil && other !== vigil) lines.push([`vigil/${other.system}`, ...ratioCells(vigil, other)]);
  }
  const widths = lines[0]!.map((_, column) => Math.max(...lines.map((cells) => cells[column]!.length)));
  const render = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!)))
      .join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [render(lines[0]!), rule, ...lines.slice(1).map(render)].join('\n');
}

/**
 * Lines under the table for systems whose files hold free space `du` counts (Vigil: DuckDB keeps
 * blocks that compaction freed for later writes and truncates the file only at its tail).
 */
export function formatInUseNotes(measurements: SystemMeasurement[]): string[] {
  return measurements.flatMap((m) =>
    m.compactedInUseBytes === undefined
      ? []
      : [
          `${m.id} compacted, blocks in use: ${(m.compactedInUseBytes / m.send.samplesAccepted).toFixed(2)} B/sample ` +
            `(du counts free blocks the file keeps for later writes)`,
        ],
  );
}

function check(actual: number | string, expected: number): string {
  return actual === expected ? `${actual} ok` : `${actual} MISMATCH (expected ${expected})`;
}

/** Detail lines for one system: what the table leaves out, and the stored-counts check. */
export function formatDetails(measurement: SystemMeasurement, shape: LoadShape): string {
  const { send, idle, fresh, compacted, stored } = measurement;
  const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;
  return [
    `${measurement.id}: ${measurement.title} ${measurement.version}`,
    `  sent ${send.requests} requests (${mib(send.bodyBytes)}) in ${(send.elapsedMs / 1000).toFixed(1)} s;` +
      ` ${send.samplesAccepted} samples accepted, ${send.samplesDropped} dropped, ${send.retries} retries` +
      (send.firstError === undefined ? '' : `; first error: ${send.firstError}`) +
      (send.abortedBy === undefined ? '' : `; LOAD STOPPED, ${send.abortedBy}`),
    `  server CPU ${measurement.cpuSendSeconds.toFixed(1)} s during the send, ` +
      `${measurement.cpuSendFlushSeconds.toFixed(1)} s including the flush; sender CPU ${(send.senderCpuMs / 1000).toFixed(1)} s`,
    `  fresh data dir: ${measurement.freshParts.map((part) => `${part.name} ${mib(part.allocatedBytes)}`).join(', ')}`,
    `  disk at idle ${mib(idle.allocatedBytes)}, fresh ${mib(fresh.allocatedBytes)} (apparent ${mib(fresh.apparentBytes)}), ` +
      `compacted ${mib(compacted.allocatedBytes)} (apparent ${mib(compacted.apparentBytes)}): ${measurement.compactNote}`,
    `  stored series ${check(stored.series, shape.seriesCount)}, ` +
      `samples ${check(stored.samples, shape.seriesCount * shape.steps)}`,
  ].join('\n');
}
