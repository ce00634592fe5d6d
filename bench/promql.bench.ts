/**
 * PromQL benchmark (Vigil issue 5): the same deterministic ML-serving data (~10k series × 2 h at 15 s,
 * bench/promql-data.ts) loaded into Debian's Prometheus 2.42 and into Vigil, then every query of
 * bench/promql-queries.ts run as a range query on both, alternating, after a warm-up. Prints median
 * latency per engine, the Vigil/Prometheus ratio and whether the results are equal (same label sets
 * and timestamps, values within relative 1e-6, NaN = NaN).
 *
 *   bash scripts/ensure-test-packages.sh            # once, as root: installs prometheus + promtool
 *   node --import tsx bench/promql.bench.ts [--series 10000] [--hours 2] [--range-minutes 60]
 *       [--step 15] [--runs 5] [--warmup 1] [--only <name substring>] [--prometheus-only] [--keep]
 *
 * Defaults are the full size (loading takes ~1 min); `--series 1000` is a quick run.
 * Queries cover the last `--range-minutes` of the data at `--step` seconds (the reference
 * numbers are 1 h at 15 s; keep `--step` a multiple of 5 s, see DATA_OFFSET_MS). Exit status: 0 when
 * every result is equal, 1 when a result differs or a Vigil query fails, 2 when Vigil could not be
 * started or loaded (Prometheus numbers still printed).
 *
 * Vigil follows Prometheus 3.x semantics, the reference is 2.x: the data avoids the two places where
 * they differ on ordinary float series (window edges, DATA_OFFSET_MS; rate() on counters that start
 * inside the window, promql-data-series.ts counterSeries), so any difference left is Vigil's.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunningVigil } from '../packages/server/src/app/start-vigil.ts';
import { timedQueryRange, type RangeQuery } from './promql-client.ts';
import { compareMatrices, parseRangeResponse, type Matrix } from './promql-compare.ts';
import { generateDataset, type Dataset } from './promql-data.ts';
import { writeOpenMetricsFile } from './promql-openmetrics.ts';
import { createBlocks, startPrometheus, type RunningPrometheus } from './promql-prometheus.ts';
import { BENCH_QUERIES, type BenchQuery } from './promql-queries.ts';
import { formatReportTable, formatVerdict, type QueryReport } from './promql-report.ts';
import { measureAlternating, median, type BenchEngine, type EngineMeasurement } from './promql-timing.ts';

const DATA_STEP_MS = 15_000;
/**
 * Samples sit 7 s off the query grid (real scrapes are never aligned with query steps either). Then
 * no sample falls on a window's lower edge, where Prometheus 2.x ranges are closed ([t-5m, t]) and
 * 3.x ranges open ((t-5m, t], 3.0 migration guide), so the comparison does not depend on that change.
 */
const DATA_OFFSET_MS = 7_000;

const { values: options } = parseArgs({
  options: {
    series: { type: 'string', default: '10000' },
    hours: { type: 'string', default: '2' },
    'range-minutes': { type: 'string', default: '60' },
    step: { type: 'string', default: '15' },
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    only: { type: 'string' },
    'prometheus-only': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

async function main(): Promise<number> {
  requireTool('prometheus');
  requireTool('promtool');
  const dataset = timed('generate', () => makeDataset());
  const { seriesCount, sampleCount, instanceCount } = dataset;
  const span = `${new Date(dataset.startMs).toISOString()} .. ${new Date(dataset.endMs).toISOString()}`;
  console.log(
    `data: ${seriesCount} series, ${sampleCount} samples, ${instanceCount} instances, ` +
      `${span} every ${dataset.stepMs / 1000} s`,
  );
  const workDir = mkdtempSync(join(tmpdir(), 'vigil-promql-bench-'));
  let prometheus: RunningPrometheus | undefined;
  let vigil: RunningVigil | undefined;
  try {
    prometheus = await loadPrometheus(dataset, workDir);
    let vigilProblem: string | undefined;
    if (!options['prometheus-only']) [vigil, vigilProblem] = await loadVigilSide(dataset, workDir);
    const engines: BenchEngine[] = [engineAt('prometheus', prometheus.baseUrl)];
    if (vigil) engines.push(engineAt('vigil', `http://127.0.0.1:${vigil.ports.api}`));
    const reports = await runQueries(engines, queryRange(dataset));
    console.log(`\n${formatReportTable(reports)}\n`);
    console.log(vigilProblem ? `vigil not measured: ${vigilProblem}` : formatVerdict(reports));
    const allEqual = reports.every((report) => report.verdict === 'equal' || report.verdict === '-');
    return !allEqual ? 1 : vigilProblem ? 2 : 0;
  } finally {
    await prometheus?.close();
    await vigil?.close();
    if (options.keep) console.log(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

function makeDataset(): Dataset {
  const rangeMs = Number(options.hours) * 3_600_000;
  // Data ends just before now: recent enough that no retention touches it.
  const gridEndMs = Math.floor(Date.now() / DATA_STEP_MS) * DATA_STEP_MS;
  const startMs = gridEndMs - rangeMs - DATA_STEP_MS + DATA_OFFSET_MS;
  return generateDataset({ targetSeries: Number(options.series), startMs, rangeMs, stepMs: DATA_STEP_MS });
}

function queryRange(dataset: Dataset): RangeQuery {
  const rangeMs = Math.min(Number(options['range-minutes']) * 60_000, dataset.endMs - dataset.startMs);
  const stepMs = Number(options.step) * 1000;
  // The last whole step before the last sample: Grafana aligns range queries to the step the same way.
  const endMs = Math.floor(dataset.endMs / stepMs) * stepMs;
  console.log(
    `queries: ${rangeMs / 60_000} min range ending at the last sample, ${stepMs / 1000} s step, ` +
      `${options.warmup} warm-up + ${options.runs} timed runs per engine, alternating`,
  );
  return { query: '', startMs: endMs - rangeMs, endMs, stepMs };
}

async function loadPrometheus(dataset: Dataset, workDir: string): Promise<RunningPrometheus> {
  const openMetricsPath = join(workDir, 'data.om');
  const dataDir = join(workDir, 'prometheus');
  mkdirSync(dataDir);
  timed('write openmetrics', () => writeOpenMetricsFile(dataset, openMetricsPath));
  await timedAsync('promtool create-blocks', () => createBlocks(openMetricsPath, dataDir));
  rmSync(openMetricsPath); // ~750 MB at full size; the blocks are ~15 MB.
  const prometheus = await timedAsync('prometheus start', () => startPrometheus(dataDir, workDir));
  console.log(`prometheus ${prometheus.version} at ${prometheus.baseUrl}`);
  return prometheus;
}

/** Vigil started and loaded, or why not; a failure here still lets the Prometheus side run. */
async function loadVigilSide(
  dataset: Dataset,
  workDir: string,
): Promise<[RunningVigil | undefined, string | undefined]> {
  let vigil: RunningVigil | undefined;
  try {
    // Imported here so that --prometheus-only runs even while Vigil's own modules do not load.
    const { loadVigil, startBenchVigil } = await import('./promql-vigil.ts');
    vigil = await timedAsync('vigil start', () => startBenchVigil(workDir));
    const started = vigil;
    await timedAsync('vigil load', () => loadVigil(started.store, dataset));
    return [vigil, undefined];
  } catch (error: unknown) {
    await vigil?.close();
    return [undefined, error instanceof Error ? error.message : String(error)];
  }
}

async function runQueries(engines: BenchEngine[], range: RangeQuery): Promise<QueryReport[]> {
  const selected = BENCH_QUERIES.filter((q) => options.only === undefined || q.name.includes(options.only));
  const reports: QueryReport[] = [];
  for (const benchQuery of selected) {
    const query = { ...range, query: benchQuery.query };
    const measured = await measureAlternating(engines, query, Number(options.runs), Number(options.warmup));
    const report = reportOf(benchQuery, measured);
    const vigilMs = report.vigilMedianMs;
    const vigilText = vigilMs === undefined ? '' : `, vigil ${vigilMs.toFixed(1)} ms, ${report.verdict}`;
    console.log(`  ${report.name}: prometheus ${report.prometheusMedianMs.toFixed(1)} ms${vigilText}`);
    reports.push(report);
  }
  return reports;
}

function reportOf(benchQuery: BenchQuery, [prometheus, vigil]: EngineMeasurement[]): QueryReport {
  if (!prometheus) throw new Error('no prometheus measurement');
  // Prometheus is the reference: an error from it means the benchmark itself is wrong.
  const expected = parseRangeResponse(JSON.parse(prometheus.lastResponse.bodyText));
  const report: QueryReport = {
    name: benchQuery.name,
    prometheusMedianMs: median(prometheus.latenciesMs),
    resultSeries: expected.size,
    resultSamples: [...expected.values()].reduce((total, series) => total + series.values.length, 0),
    verdict: '-',
  };
  if (!vigil) return report;
  report.vigilMedianMs = vigil.lastResponse.status === 200 ? median(vigil.latenciesMs) : undefined;
  report.verdict = vigilVerdict(expected, vigil);
  return report;
}

function vigilVerdict(expected: Matrix, vigil: EngineMeasurement): string {
  let actual: Matrix;
  try {
    actual = parseRangeResponse(JSON.parse(vigil.lastResponse.bodyText));
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    return `ERROR HTTP ${vigil.lastResponse.status}: ${reason.slice(0, 120)}`;
  }
  const diff = compareMatrices(expected, actual);
  if (diff.equal) return 'equal';
  console.log(`    ${diff.differenceCount} differences, first: \n      ${diff.differences.join('\n      ')}`);
  return 'DIFFERENT';
}

function engineAt(name: string, baseUrl: string): BenchEngine {
  return { name, queryRange: (range) => timedQueryRange(baseUrl, range) };
}

function requireTool(command: string): void {
  const probe = spawnSync(command, ['--version'], { stdio: 'ignore' });
  if (probe.error) throw new Error(`${command} not found: run 'bash scripts/ensure-test-packages.sh' (as root)`);
}

function timed<T>(label: string, body: () => T): T {
  const started = performance.now();
  const result = body();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function timedAsync<T>(label: string, body: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await body();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

process.exitCode = await main();
