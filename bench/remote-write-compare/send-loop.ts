/**
 * Sends pre-encoded remote-write requests the way Prometheus's queue manager does
 * (storage/remote/queue_manager.go): one sender per shard over keep-alive HTTP/1.1, each waiting for
 * an answer before its next request; 5xx, 429 and connection errors are retried after a backoff
 * that doubles from min_backoff 30 ms to max_backoff 5 s, other 4xx answers drop the request.
 */
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EncodedRequest } from './requests.ts';
import { StepBarrier } from './step-barrier.ts';

const MIN_BACKOFF_MS = 30;
const MAX_BACKOFF_MS = 5_000;
// Prometheus retries for ever; the benchmark gives up after ~30 s of backoff on one request and
// stops the whole load, so that a broken server fails the run quickly instead of hanging it.
const MAX_ATTEMPTS = 12;
// 16 steps = 4 min of data: far inside the 1 h Prometheus accepts behind its newest sample.
const MAX_LEAD_STEPS = 16;

/** Outcome of one load against one URL. */
export interface SendResult {
  samplesAccepted: number;
  samplesDropped: number;
  requests: number;
  retries: number;
  /** Wall time from the first request to the last answer. */
  elapsedMs: number;
  bodyBytes: number;
  /** CPU the sender itself used meanwhile: near a core's worth means the sender, not the server, set the pace. */
  senderCpuMs: number;
  /** The first error answer that dropped a request, for the report. */
  firstError?: string;
  /** Set when a request ran out of retries: the load was stopped there. */
  abortedBy?: string;
}

interface Answer {
  status: number;
  text: string;
}

function post(agent: Agent, url: URL, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      agent,
      method: 'POST',
      headers: {
        'content-type': 'application/x-protobuf',
        'content-encoding': 'snappy',
        'x-prometheus-remote-write-version': '0.1.0',
        'content-length': body.length,
      },
    });
    outgoing.once('error', reject);
    outgoing.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', reject);
      response.once('end', () =>
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    outgoing.end(body);
  });
}

/** Sends one request until it is accepted, refused for good, or out of attempts. */
async function sendWithRetries(
  agent: Agent,
  url: URL,
  encoded: EncodedRequest,
  result: SendResult,
): Promise<void> {
  let backoffMs = MIN_BACKOFF_MS;
  for (let attempt = 1; ; attempt++) {
    let answer: Answer | undefined;
    let failure: string;
    try {
      answer = await post(agent, url, encoded.body);
      if (answer.status >= 200 && answer.status < 300) {
        result.samplesAccepted += encoded.samples;
        return;
      }
      failure = `HTTP ${answer.status}: ${answer.text.slice(0, 200)}`;
    } catch (error: unknown) {
      failure = (error as Error).message;
    }
    const recoverable = answer === undefined || answer.status === 429 || answer.status >= 500;
    if (!recoverable || attempt >= MAX_ATTEMPTS) {
      result.samplesDropped += encoded.samples;
      result.firstError ??= failure;
      if (recoverable) result.abortedBy ??= `gave up after ${attempt} attempts: ${failure}`;
      return;
    }
    result.retries++;
    await sleep(backoffMs);
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
  }
}

/**
 * Sends every shard's requests (in order within a shard, shards concurrently) to `writeUrl`.
 *
 * @example
 * const result = await sendLoad('http://127.0.0.1:9090/api/v1/write', shards);
 * console.log(result.samplesAccepted / (result.elapsedMs / 1000), 'samples/s');
 */
export async function sendLoad(writeUrl: string, shards: EncodedRequest[][]): Promise<SendResult> {
  const url = new URL(writeUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: shards.length });
  const barrier = new StepBarrier(shards.length, MAX_LEAD_STEPS);
  const result: SendResult = {
    samplesAccepted: 0,
    samplesDropped: 0,
    requests: 0,
    retries: 0,
    elapsedMs: 0,
    bodyBytes: 0,
    senderCpuMs: 0,
  };
  const sendShard = async (shard: number, requests: EncodedRequest[]): Promise<void> => {
    for (const encoded of requests) {
      await barrier.waitForTurn(encoded.step);
      if (result.abortedBy !== undefined) break;
      await sendWithRetries(agent, url, encoded, result);
      result.requests++;
      result.bodyBytes += encoded.body.length;
      barrier.advance(shard, encoded.step);
    }
    barrier.finish(shard);
  };
  const startedMs = performance.now();
  const cpuBefore = process.cpuUsage();
  try {
    await Promise.all(shards.map((requests, shard) => sendShard(shard, requests)));
  } finally {
    agent.destroy();
  }
  result.elapsedMs = performance.now() - startedMs;
  const cpu = process.cpuUsage(cpuBefore);
  result.senderCpuMs = (cpu.user + cpu.system) / 1000;
  return result;
}
