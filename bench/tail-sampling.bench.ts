/**
 * tail_sampling throughput: spans per second through the processor with the seed's three policies
 * (status_code ERROR, latency ≥ 500 ms, probabilistic 10 %), on a simulated clock at 100k spans/s of
 * 5-span traces (2 % errors, 5 % slow). Only the processor's own time is measured (consume + decision
 * ticks); making the spans is not. CPU time (process.cpuUsage: this thread, GC helpers included) is
 * the headline, as wall time is meaningless on a loaded machine; wall time is printed too.
 *
 *   node --import tsx bench/tail-sampling.bench.ts [totalSpans]
 */
import { randomBytes } from 'node:crypto';
import { newAttributes } from '../packages/server/src/model/attributes.ts';
import type { Resource, Scope } from '../packages/server/src/model/resource.ts';
import type { Span } from '../packages/server/src/model/span.ts';
import type { ComponentContext, Consumer } from '../packages/server/src/pipeline/graph/component.ts';
import { ManualScheduler } from '../packages/server/src/pipeline/graph/manual-scheduler.ts';
import { TailSamplingProcessor } from '../packages/server/src/pipeline/processors/tail-sampling/tail-sampling-processor.ts';
import { parseTailSamplingSettings } from '../packages/server/src/pipeline/processors/tail-sampling/tail-sampling-settings.ts';

const TOTAL_SPANS = Number(process.argv[2] ?? 1_000_000);
const SPANS_PER_TRACE = 5;
const SPANS_PER_BATCH = 1000;
const SPANS_PER_SECOND = 100_000;
const BATCH_INTERVAL_MS = (SPANS_PER_BATCH / SPANS_PER_SECOND) * 1000;
const START_MS = 1_760_000_000_000;

const SEED_POLICIES = [
  { name: 'error-traces', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
  { name: 'slow-traces', type: 'latency', latency: { threshold_ms: 500 } },
  { name: 'probabilistic-sampling', type: 'probabilistic', probabilistic: { sampling_percentage: 10 } },
];

const RESOURCE: Resource = {
  attributes: Object.assign(newAttributes(), { 'service.name': 'fraud-model', 'ml.model.version': '3.1.0' }),
  droppedAttributesCount: 0,
  schemaUrl: '',
  serviceName: 'fraud-model',
};
const SCOPE: Scope = { name: 'ml.inference', version: '1.0.0', attributes: newAttributes(), droppedAttributesCount: 0, schemaUrl: '' };
const ATTRIBUTES = Object.assign(newAttributes(), { 'ml.prediction.score': 0.87, 'ml.request.batch_size': 32n });

let traceCounter = 0;

/** One batch of whole traces with random W3C-style ids, spans of a trace adjacent as SDKs send them. */
function makeBatch(nowMs: number): Span[] {
  const traces = SPANS_PER_BATCH / SPANS_PER_TRACE;
  const ids = randomBytes(16 * traces).toString('hex');
  const startNanos = BigInt(nowMs) * 1_000_000n;
  const spans: Span[] = [];
  for (let t = 0; t < traces; t++) {
    const traceId = ids.slice(t * 32, t * 32 + 32);
    const n = traceCounter++;
    const error = n % 50 === 0;
    const durationNanos = (n % 20 === 1 ? 700n : 40n) * 1_000_000n;
    for (let s = 0; s < SPANS_PER_TRACE; s++) {
      spans.push({
        traceId,
        spanId: (n * SPANS_PER_TRACE + s).toString(16).padStart(16, '0'),
        parentSpanId: s === 0 ? '' : (n * SPANS_PER_TRACE).toString(16).padStart(16, '0'),
        traceState: '',
        flags: 1,
        name: s === 0 ? 'inference.predict' : 'inference.forward_pass',
        kind: 2,
        startTimeUnixNano: startNanos,
        endTimeUnixNano: startNanos + durationNanos,
        attributes: ATTRIBUTES,
        droppedAttributesCount: 0,
        events: [],
        droppedEventsCount: 0,
        links: [],
        droppedLinksCount: 0,
        statusCode: error && s === SPANS_PER_TRACE - 1 ? 2 : 0,
        statusMessage: '',
        resource: RESOURCE,
        scope: SCOPE,
      });
    }
  }
  return spans;
}

class CountingConsumer implements Consumer<'traces'> {
  spans = 0;
  consume(spans: Span[]): Promise<void> {
    this.spans += spans.length;
    return Promise.resolve();
  }
}

/** Adds up the CPU and wall time of the measured parts only. */
class Timer {
  private cpuMicros = 0;
  private wallNanos = 0n;

  async measure(work: () => Promise<void>): Promise<void> {
    const cpuBefore = process.cpuUsage();
    const wallBefore = process.hrtime.bigint();
    await work();
    const cpu = process.cpuUsage(cpuBefore);
    this.cpuMicros += cpu.user + cpu.system;
    this.wallNanos += process.hrtime.bigint() - wallBefore;
  }

  get cpuSeconds(): number {
    return this.cpuMicros / 1e6;
  }

  get wallSeconds(): number {
    return Number(this.wallNanos) / 1e9;
  }
}

async function run(label: string, numTraces: number): Promise<void> {
  const scheduler = new ManualScheduler(START_MS);
  const context: ComponentContext = {
    id: `tail_sampling/bench-${numTraces}`,
    log: (line) => console.log(`  log: ${line}`),
    nowMs: () => scheduler.nowMs(),
    scheduler,
    dataDir: '/nonexistent',
    storageDirectory: () => '/nonexistent',
  };
  const sink = new CountingConsumer();
  const settings = parseTailSamplingSettings({ decision_wait: '10s', num_traces: numTraces, policies: SEED_POLICIES });
  const processor = new TailSamplingProcessor(settings, sink, context);
  const timer = new Timer();
  let nowMs = START_MS;
  for (let sent = 0; sent < TOTAL_SPANS; sent += SPANS_PER_BATCH) {
    const batch = makeBatch(nowMs);
    await timer.measure(async () => {
      await processor.consume(batch);
      await scheduler.advanceTo(nowMs);
    });
    nowMs += BATCH_INTERVAL_MS;
  }
  await timer.measure(() => processor.shutdown());
  const evicted = Object.values(processor.stats().services).reduce((sum, s) => sum + s.evicted, 0);
  const rate = (seconds: number) => Math.round(TOTAL_SPANS / seconds).toLocaleString('en');
  console.log(
    `${label}: ${TOTAL_SPANS} spans, ${rate(timer.cpuSeconds)} spans/s of CPU time ` +
      `(${timer.cpuSeconds.toFixed(2)} s; wall ${rate(timer.wallSeconds)} spans/s); ` +
      `kept ${((100 * sink.spans) / TOTAL_SPANS).toFixed(1)} %, evicted ${evicted} traces`,
  );
}

// The seed config leaves num_traces at 50000: at 20k traces/s and decision_wait 10s, 200k traces are
// waiting at once, so most are decided early. The second run holds them all.
await run('seed config (num_traces 50000)', 50_000);
await run('num_traces 250000', 250_000);
