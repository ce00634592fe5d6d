/**
 * Open-loop load: `ratePerSecond` scoring requests to the gateway whatever the latency (as real
 * clients do), capped at `maxInFlight` so a stalled platform is not buried under sockets.
 */
import { randomUUID } from 'node:crypto';
import type { DemoPayload } from './payload.ts';

export interface LoadStats {
  sent: number;
  succeeded: number;
  failed: number;
  /** Skipped because maxInFlight requests were already waiting. */
  shed: number;
}

export interface LoadGenerator {
  stats(): LoadStats;
  setRate(ratePerSecond: number): void;
  rate(): number;
  stop(): Promise<void>;
}

const TICK_MILLIS = 25;

export function startLoad(options: {
  url: string;
  ratePerSecond: number;
  maxInFlight?: number;
}): LoadGenerator {
  const maxInFlight = options.maxInFlight ?? 200;
  const stats: LoadStats = { sent: 0, succeeded: 0, failed: 0, shed: 0 };
  const inFlight = new Set<Promise<void>>();
  let ratePerSecond = options.ratePerSecond;
  let owed = 0;
  const send = (): void => {
    if (inFlight.size >= maxInFlight) {
      stats.shed += 1;
      return;
    }
    stats.sent += 1;
    const payload: DemoPayload = {
      requestId: randomUUID(),
      route: 'stable',
      amountCents: Math.round(Math.random() * 50_000),
    };
    const request = fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(15_000),
    })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.ok) stats.succeeded += 1;
        else stats.failed += 1;
      })
      .catch(() => {
        stats.failed += 1;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };
  const timer = setInterval(() => {
    owed += (ratePerSecond * TICK_MILLIS) / 1000;
    for (; owed >= 1; owed -= 1) send();
  }, TICK_MILLIS);
  return {
    stats: () => ({ ...stats }),
    setRate: (next) => {
      ratePerSecond = Math.max(0, next);
    },
    rate: () => ratePerSecond,
    stop: async () => {
      clearInterval(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
