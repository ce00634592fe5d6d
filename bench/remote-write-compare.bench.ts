/**
 * Remote-write ingest side by side: Vigil, Prometheus 2.42 and VictoriaMetrics 1.79 (Debian's) each
 * as its own process on loopback with a fresh data dir, receiving the very same pre-encoded load
 * from a separate sender process: 10k series × 2 h at 15 s (4.8M samples) ending now, one sample per
 * series per request as real senders do, sharded over `concurrency` senders like Prometheus's queue
 * manager. Per system: samples/s accepted, server CPU-seconds per million samples, bytes per sample
 * on disk (fresh and compacted), RSS idle and after, RSS bytes per active series; then Vigil's
 * ratio to each. How each number is taken: bench/remote-write-compare/measure.ts.
 *
 *   node --import tsx bench/remote-write-compare.bench.ts [series=10000] [steps=480]
 *     [seriesPerRequest=2000] [concurrency=16] [--only vigil,prometheus,victoria] [--keep]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBenchArgs, type BenchArgs } from './remote-write-compare/args.ts';
import { measureSystem, type SystemMeasurement } from './remote-write-compare/measure.ts';
import { formatDetails, formatInUseNotes, formatTable, tableRow } from './remote-write-compare/report.ts';
import { STEP_MS } from './remote-write-compare/requests.ts';
import { startSender } from './remote-write-compare/sender-client.ts';
import { SYSTEMS } from './remote-write-compare/systems.ts';

const log = (line: string): void => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

async function run(args: BenchArgs, workDir: string): Promise<SystemMeasurement[]> {
  const { shape } = args;
  const sender = startSender();
  try {
    // The newest sample is one step before now, as in bench/remote-write.bench.ts.
    const startMs = Date.now() - shape.steps * STEP_MS;
    log(`encoding ${shape.seriesCount} series × ${shape.steps} steps over ${shape.concurrency} shards…`);
    const encoded = await sender.encode(shape, startMs);
    log(
      `${encoded.requests} requests, ${(encoded.bodyBytes / 1e6).toFixed(1)} MB, encoded in ${(encoded.encodeMs / 1000).toFixed(1)} s`,
    );
    const measurements: SystemMeasurement[] = [];
    for (const id of args.systems) measurements.push(await measureSystem(SYSTEMS[id], sender, workDir, log));
    return measurements;
  } finally {
    await sender.close();
  }
}

async function main(): Promise<void> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error: unknown) {
    console.error(`remote-write-compare: ${(error as Error).message}`);
    process.exitCode = 2;
    return;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'remote-write-compare-'));
  try {
    const measurements = await run(args, workDir);
    const { seriesCount, steps, seriesPerRequest, concurrency } = args.shape;
    console.log(
      `\nremote write: ${seriesCount} series × ${steps} steps at 15 s = ${seriesCount * steps} samples, ` +
        `≤ ${seriesPerRequest} series per request, ${concurrency} shards\n`,
    );
    console.log(formatTable(measurements.map((m) => tableRow(m, seriesCount))));
    for (const note of formatInUseNotes(measurements)) console.log(note);
    console.log('');
    for (const measurement of measurements) console.log(formatDetails(measurement, args.shape));
  } finally {
    if (args.keep) log(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
