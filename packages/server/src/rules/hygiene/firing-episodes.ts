import { fingerprint } from '../notify/label-set.ts';
import type { AlertTransition } from '../rule-types.ts';

/**
 * One stretch of an alert label set firing: from its pending→firing transition to firing→inactive
 * (Prometheus alerts never go from firing back to pending; `keep_firing_for` only delays the
 * resolve).
 */
export interface FiringEpisode {
  fingerprint: string;
  alertname: string;
  labels: Readonly<Record<string, string>>;
  /** When the condition started to hold (the pending transition); absent when the alert had no `for`. */
  pendingSinceMs?: number;
  firingSinceMs: number;
  /** Absent while still firing. */
  resolvedAtMs?: number;
  /** When the same label set last resolved before this episode, for flap detection. */
  previousResolvedAtMs?: number;
  /** When the next episode of the same label set began (acknowledgements before it count for this one). */
  nextStartMs?: number;
}

interface SeriesState {
  pendingSinceMs?: number;
  open?: FiringEpisode;
  lastResolvedAtMs?: number;
  last?: FiringEpisode;
}

/**
 * Firing episodes from recorded transitions, oldest first. Transitions whose partner was dropped
 * from the bounded history (a resolve without its firing) are skipped; a repeated firing
 * transition (after a restart restored the alert) continues the open episode.
 */
export function firingEpisodes(transitions: readonly AlertTransition[]): FiringEpisode[] {
  const ordered = [...transitions].sort((a, b) => a.atMs - b.atMs);
  const states = new Map<string, SeriesState>();
  const episodes: FiringEpisode[] = [];
  for (const transition of ordered) {
    const key = fingerprint(transition.labels);
    let state = states.get(key);
    if (state === undefined) {
      state = {};
      states.set(key, state);
    }
    const started = apply(state, transition, key);
    if (started) episodes.push(started);
  }
  return episodes;
}

function apply(state: SeriesState, transition: AlertTransition, key: string): FiringEpisode | undefined {
  if (transition.to === 'pending') {
    state.pendingSinceMs = transition.atMs;
    return undefined;
  }
  if (transition.to === 'inactive') {
    if (state.open) {
      state.open.resolvedAtMs = transition.atMs;
      state.lastResolvedAtMs = transition.atMs;
      state.open = undefined;
    }
    state.pendingSinceMs = undefined;
    return undefined;
  }
  if (state.open) return undefined;
  const episode: FiringEpisode = {
    fingerprint: key,
    alertname: transition.alertname,
    labels: transition.labels,
    firingSinceMs: transition.atMs,
  };
  if (transition.from === 'pending' && state.pendingSinceMs !== undefined)
    episode.pendingSinceMs = state.pendingSinceMs;
  if (state.lastResolvedAtMs !== undefined) episode.previousResolvedAtMs = state.lastResolvedAtMs;
  if (state.last) state.last.nextStartMs = transition.atMs;
  state.open = episode;
  state.last = episode;
  state.pendingSinceMs = undefined;
  return episode;
}
