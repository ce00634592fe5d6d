/**
 * The memory limiter against the process's real RSS: a flood of OTLP/HTTP trace requests into a real
 * receiver whose pipeline keeps every delivered span id in memory, so memory only grows while data is
 * accepted. The limiter has to turn the flood into 429s before RSS passes limit + spike.
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import protobuf from 'protobufjs';
import type { Signal, SignalBatch } from '../../../model/signal.ts';
import { startOtlpHttpServer } from '../../../receivers/otlp/http-server.ts';
import { hexId } from '../../../storage/contract-fixtures.ts';
import type { ComponentContext, Consumer } from '../../graph/component.ts';
import { testComponentContext } from '../../graph/test-context.ts';
import { TimerScheduler } from '../../graph/timer-scheduler.ts';
import type { Pipeline } from '../../pipeline.ts';
import { memoryLimiterFactory } from './memory-limiter-factory.ts';
import { MIB_BYTES } from './memory-limiter-settings.ts';
import { readRssBytes } from './process-memory.ts';

const SPANS_PER_REQUEST = 1000;
const CLIENTS = 16;
const HEADROOM_MIB = 48;
const SPIKE_MIB = 16;
/**
 * RSS may pass limit + spike by what is in flight when a check finds the soft limit crossed (up to
 * 16 decoded requests, about 1 MiB of spans each) plus V8 growing its heap in chunks of a few MiB,
 * and the same event loop that runs the flood delays the 50 ms checks. 32 MiB covers that with room.
 */
const TOLERANCE_MIB = 32;
const FLOOD_DEADLINE_MS = 30_000;
/** Once refusing, the flood goes on this long so a limiter that wobbles would show it. */
const REFUSING_PHASE_MS = 1500;

/** The tiny adapter the receiver needs: a Pipeline that hands each signal to its consumer. */
function pipelineOf(consumers: { [S in Signal]: Consumer<S> }): Pipeline {
  return { consume: (signal, records) => consumers[signal].consume(records) };
}

/** The last stage: keeps the id of every delivered span and holds each request ~10 ms, like a store write. */
class SpanIdSink implements Consumer<'traces'> {
  readonly deliveredSpanKeys = new Set<string>();
  async consume(spans: SignalBatch['traces']): Promise<void> {
    for (const span of spans) this.deliveredSpanKeys.add(spanKey(span.traceId, span.spanId));
    await sleep(10);
  }
}

const refuseSignal: Consumer<Signal> = {
  consume: () => Promise.reject(new Error('this test sends traces only')),
};

function spanKey(traceId: string, spanId: string): string {
  return `${traceId}/${spanId}`;
}

/** A placeholder trace id that no span id (1…SPANS_PER_REQUEST) can contain. */
const TEMPLATE_TRACE_ID = Buffer.alloc(16, 0xf1);

/** An ExportTraceServiceRequest of SPANS_PER_REQUEST spans with TEMPLATE_TRACE_ID, span ids 1…N. */
function encodeTemplateRequest(): Buffer {
  const scopeSpans = protobuf.Writer.create();
  for (let i = 1; i <= SPANS_PER_REQUEST; i++) {
    const span = protobuf.Writer.create();
    span.uint32((1 << 3) | 2).bytes(TEMPLATE_TRACE_ID);
    span.uint32((2 << 3) | 2).bytes(Buffer.from(hexId(i, 16), 'hex'));
    span.uint32((5 << 3) | 2).string('flood');
    span.uint32((7 << 3) | 1).fixed64('1700000000000000000');
    span.uint32((8 << 3) | 1).fixed64('1700000000001000000');
    scopeSpans.uint32((2 << 3) | 2).bytes(span.finish());
  }
  const resourceSpans = protobuf.Writer.create()
    .uint32((2 << 3) | 2)
    .bytes(scopeSpans.finish());
  return Buffer.from(
    protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .bytes(resourceSpans.finish())
      .finish(),
  );
}

/**
 * Request bodies whose trace id is the request number. Encoding 1000 spans with protobufjs costs
 * more CPU than the receiver spends decoding them, and client and server share this process's one
 * thread, so the template is encoded once and each request only patches its trace id in.
 */
function requestEncoder(): (requestN: number) => Buffer {
  const template = encodeTemplateRequest();
  const offsets: number[] = [];
  for (
    let at = template.indexOf(TEMPLATE_TRACE_ID);
    at >= 0;
    at = template.indexOf(TEMPLATE_TRACE_ID, at + 16)
  ) {
    offsets.push(at);
  }
  assert.equal(offsets.length, SPANS_PER_REQUEST);
  return (requestN) => {
    const body = Buffer.from(template);
    const traceId = Buffer.from(hexId(requestN, 32), 'hex');
    for (const at of offsets) traceId.copy(body, at);
    return body;
  };
}

function post(url: string, agent: Agent, body: Uint8Array): Promise<{ status: number; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface FloodResult {
  acceptedRequests: number[];
  refusals: number;
  refusalsWithoutRetryAfter: number;
  otherStatuses: number[];
}

/** CLIENTS concurrent senders until the limiter has been refusing for REFUSING_PHASE_MS (or the deadline). */
async function flood(url: string): Promise<FloodResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const result: FloodResult = {
    acceptedRequests: [],
    refusals: 0,
    refusalsWithoutRetryAfter: 0,
    otherStatuses: [],
  };
  const startedMs = Date.now();
  let firstRefusalMs: number | undefined;
  let nextRequest = 1;
  const encodeRequest = requestEncoder();
  const done = (): boolean =>
    Date.now() - startedMs > FLOOD_DEADLINE_MS ||
    (firstRefusalMs !== undefined && Date.now() - firstRefusalMs > REFUSING_PHASE_MS);
  const client = async (): Promise<void> => {
    while (!done()) {
      const requestN = nextRequest++;
      const answer = await post(url, agent, encodeRequest(requestN));
      if (answer.status === 200) result.acceptedRequests.push(requestN);
      else if (answer.status === 429) {
        result.refusals += 1;
        firstRefusalMs ??= Date.now();
        if (!(Number(answer.retryAfter) >= 1)) result.refusalsWithoutRetryAfter += 1;
      } else result.otherStatuses.push(answer.status);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  agent.destroy();
  return result;
}

/** On real time and real timers: this test measures the real process. */
function testContext(): ComponentContext {
  return testComponentContext({
    id: 'memory_limiter/rss-test',
    log: (line) => console.log(`memory_limiter/rss-test: ${line}`),
    nowMs: () => Date.now(),
    scheduler: new TimerScheduler(),
  });
}

describe('memory_limiter with the real RSS', () => {
  it('answers a flood with 429 + Retry-After, keeps RSS under limit + spike, and delivers all it accepted', async () => {
    const limitMib = Math.ceil(readRssBytes() / MIB_BYTES) + HEADROOM_MIB;
    const sink = new SpanIdSink();
    const limiter = memoryLimiterFactory.create(
      'traces',
      { check_interval: '50ms', limit_mib: limitMib, spike_limit_mib: SPIKE_MIB },
      sink,
      testContext(),
    );
    const receiver = await startOtlpHttpServer({
      pipeline: pipelineOf({ traces: limiter, metrics: refuseSignal, logs: refuseSignal }),
      port: 0,
    });
    let maxRssBytes = readRssBytes();
    const sampler = setInterval(() => (maxRssBytes = Math.max(maxRssBytes, readRssBytes())), 5);
    let result: FloodResult;
    try {
      result = await flood(`http://127.0.0.1:${receiver.port}/v1/traces`);
    } finally {
      clearInterval(sampler);
      await receiver.close();
      await limiter.shutdown?.();
    }

    const maxRssMib = maxRssBytes / MIB_BYTES;
    console.log(
      `limit ${limitMib} MiB, spike ${SPIKE_MIB} MiB, max RSS ${maxRssMib.toFixed(1)} MiB, ` +
        `${result.acceptedRequests.length} requests accepted, ${result.refusals} refused`,
    );
    assert.deepEqual(result.otherStatuses, [], 'only 200 and 429');
    assert.ok(result.refusals > 0, 'the flood was refused');
    assert.equal(result.refusalsWithoutRetryAfter, 0, 'every 429 carries Retry-After');
    assert.ok(
      maxRssMib < limitMib + SPIKE_MIB + TOLERANCE_MIB,
      `max RSS ${maxRssMib.toFixed(1)} MiB ≥ limit + spike + tolerance ${limitMib + SPIKE_MIB + TOLERANCE_MIB} MiB`,
    );
    assertAllDelivered(result.acceptedRequests, sink.deliveredSpanKeys);
  });
});

function assertAllDelivered(acceptedRequests: number[], delivered: ReadonlySet<string>): void {
  let missing = 0;
  for (const requestN of acceptedRequests) {
    const traceId = hexId(requestN, 32);
    for (let i = 1; i <= SPANS_PER_REQUEST; i++)
      if (!delivered.has(spanKey(traceId, hexId(i, 16)))) missing += 1;
  }
  assert.equal(missing, 0, 'spans of requests answered 200 that never reached the sink');
  assert.equal(delivered.size, acceptedRequests.length * SPANS_PER_REQUEST, 'nothing refused was delivered');
}
