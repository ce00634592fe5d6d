/** Silence types shared by the store (silences.ts), its file format and the API. */
import type { Matcher } from './matchers.ts';

export type SilenceState = 'pending' | 'active' | 'expired';

/** A silence as stored and served (the API's gettableSilence, times in ms). */
export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAtMs: number;
  endsAtMs: number;
  updatedAtMs: number;
  createdBy: string;
  comment: string;
}

/** What a client sends to create a silence, or to update one by id. */
export type SilenceInput = Omit<Silence, 'id' | 'updatedAtMs'> & { id?: string };

/** silence.getState: pending before startsAt, active until endsAt, then expired. */
export function silenceState(silence: Pick<Silence, 'startsAtMs' | 'endsAtMs'>, nowMs: number): SilenceState {
  if (nowMs < silence.startsAtMs) return 'pending';
  if (nowMs < silence.endsAtMs) return 'active';
  return 'expired';
}
