import type { Signal, SignalBatch } from '../model/signal.ts';

/**
 * Where receivers hand decoded records. `consume` resolves once the records are durable (the
 * receiver then acknowledges) and rejects with OverloadedError / UnavailableError when it refuses
 * them; a refusal means none of the records were kept, so the client's retry loses nothing.
 */
export interface Pipeline {
  consume<S extends Signal>(signal: S, records: SignalBatch[S]): Promise<void>;
}
