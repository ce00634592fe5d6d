/**
 * Exposition parse throughput: a 10k-series scrape shaped like a GPU node running ML serving
 * (DCGM exporter gauges/counters per GPU plus request histograms per model), written once as
 * Prometheus text 0.0.4 and once as OpenMetrics 1.0, parsed repeatedly by each parser.
 *
 *   node --import tsx bench/exposition-parse.bench.ts [durationMillisPerCase]
 */
import { parseOpenMetrics } from '../packages/server/src/receivers/prometheus/openmetrics-parser.ts';
import { parseTextFormat } from '../packages/server/src/receivers/prometheus/text-parser.ts';
import type { ParsedExposition } from '../packages/server/src/receivers/prometheus/exposition.ts';

const durationMillis = Number(process.argv[2] ?? 1500);
const GPUS = 64;
const DCGM_GAUGES = ['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_MEM_COPY_UTIL', 'DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_FREE',
  'DCGM_FI_DEV_GPU_TEMP', 'DCGM_FI_DEV_POWER_USAGE', 'DCGM_FI_DEV_SM_CLOCK', 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE'];
const MODELS = ['llama-70b', 'mistral-7b', 'bge-large', 'whisper', 'sdxl'];
const ROUTES = ['/v1/chat', '/v1/embed', '/v1/score', '/v1/complete'];
const LE_BOUNDS = ['0.01', '0.05', '0.1', '0.25', '0.5', '1.0', '2.5', '5.0', '10.0', '+Inf'];
const POD_COUNT = 40;

function dcgmLines(openMetrics: boolean): string[] {
  const lines: string[] = [];
  for (const metric of DCGM_GAUGES) {
    lines.push(`# HELP ${metric} DCGM field.`, `# TYPE ${metric} gauge`);
    for (let gpu = 0; gpu < GPUS; gpu++) {
      const labels = `gpu="${gpu}",UUID="GPU-${(gpu * 7919).toString(16).padStart(8, '0')}",device="nvidia${gpu}",modelName="NVIDIA H200",Hostname="node-${gpu >> 3}"`;
      lines.push(`${metric}{${labels}} ${(gpu * 13.7) % 100}`);
    }
  }
  lines.push('# TYPE DCGM_FI_DEV_XID_ERRORS counter');
  for (let gpu = 0; gpu < GPUS; gpu++) lines.push(`DCGM_FI_DEV_XID_ERRORS${openMetrics ? '_total' : ''}{gpu="${gpu}"} 0`);
  return lines;
}

function mlLines(openMetrics: boolean): string[] {
  const lines = ['# HELP inference_request_duration_seconds Inference latency.', '# TYPE inference_request_duration_seconds histogram'];
  for (let pod = 0; pod < POD_COUNT; pod++) {
    for (const model of MODELS) {
      for (const route of ROUTES) {
        const labels = `model="${model}",route="${route}",pod="serve-${pod}"`;
        LE_BOUNDS.forEach((le, i) => {
          const exemplar = openMetrics && i === 3 ? ` # {trace_id="${(pod * 1_000_003).toString(16)}"} 0.2 1700000000.123` : '';
          lines.push(`inference_request_duration_seconds_bucket{${labels},le="${le}"} ${i * 10}${exemplar}`);
        });
        lines.push(`inference_request_duration_seconds_sum{${labels}} 123.4`, `inference_request_duration_seconds_count{${labels}} 90`);
      }
    }
  }
  return lines;
}

function exposition(openMetrics: boolean): string {
  const body = [...dcgmLines(openMetrics), ...mlLines(openMetrics)].join('\n');
  return openMetrics ? `${body}\n# EOF\n` : `${body}\n`;
}

function bench(name: string, body: string, parse: (body: string) => ParsedExposition): void {
  const seriesCount = parse(body).samples.length;
  const startMs = performance.now();
  let runs = 0;
  while (performance.now() - startMs < durationMillis) {
    parse(body);
    runs++;
  }
  const elapsedSeconds = (performance.now() - startMs) / 1000;
  const samplesPerSecond = Math.round((seriesCount * runs) / elapsedSeconds);
  const mib = (Buffer.byteLength(body) / 1024 / 1024).toFixed(2);
  console.log(`${name.padEnd(26)} ${seriesCount} series, ${mib} MiB: ${samplesPerSecond.toLocaleString('en-US')} samples/s (${(elapsedSeconds * 1000 / runs).toFixed(1)} ms/parse)`);
}

const text = exposition(false);
const openMetrics = exposition(true);
bench('text 0.0.4', text, parseTextFormat);
bench('openmetrics 1.0', openMetrics, (body) => parseOpenMetrics(body));
bench('openmetrics 1.0 (strict)', openMetrics, (body) => parseOpenMetrics(body, { strict: true }));
