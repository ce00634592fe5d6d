import type { AlertTransition } from '../rule-types.ts';
import { firingEpisodes, type FiringEpisode } from './firing-episodes.ts';
import {
  DEFAULT_HYGIENE_OPTIONS,
  type Acknowledgement,
  type AlertHygiene,
  type HygieneOptions,
  type HygieneReport,
  type HygieneStats,
  type SeriesHygiene,
} from './hygiene-types.ts';
import { firingMs, isFlap, nearestRank, suggestRuleChanges } from './suggestions.ts';

export interface HygieneInput {
  transitions: readonly AlertTransition[];
  acknowledgements: readonly Acknowledgement[];
  droppedTransitions: number;
}

interface Window {
  startMs: number;
  endMs: number;
}

/**
 * The alert hygiene report for the window `[nowMs - windowMs, nowMs]`: per alertname and per
 * label set, how often it fired, for how long, how often it flapped and went unacknowledged, and
 * the rule changes suggestions.ts derives from that. Only what was recorded at or before `nowMs`
 * counts, so a report for a past moment is reproducible.
 *
 * @example
 * hygieneReport(history.snapshot(), Date.now(), 7 * 86_400_000).alerts[0]?.suggestions;
 */
export function hygieneReport(
  input: HygieneInput,
  nowMs: number,
  windowMs: number,
  options: Partial<HygieneOptions> = {},
): HygieneReport {
  const settings = { ...DEFAULT_HYGIENE_OPTIONS, ...options };
  const window = { startMs: nowMs - windowMs, endMs: nowMs };
  const transitions = input.transitions.filter((transition) => transition.atMs <= nowMs);
  const acknowledgements = input.acknowledgements.filter((ack) => ack.atMs <= nowMs);
  const isAcknowledged = (episode: FiringEpisode): boolean =>
    acknowledgements.some((ack) => covers(ack, episode));
  const byAlertname = new Map<string, FiringEpisode[]>();
  for (const name of activeAlertnames(transitions, window)) byAlertname.set(name, []);
  for (const episode of firingEpisodes(transitions)) {
    if (!overlaps(episode, window)) continue;
    const list = byAlertname.get(episode.alertname) ?? [];
    list.push(episode);
    byAlertname.set(episode.alertname, list);
  }
  const alerts = [...byAlertname].map(([alertname, episodes]): AlertHygiene => {
    const began = episodes.filter((episode) => beganIn(episode, window));
    return {
      alertname,
      ...stats(episodes, window, isAcknowledged, settings),
      series: seriesHygiene(episodes, window, isAcknowledged, settings),
      suggestions: suggestRuleChanges(began, isAcknowledged, settings),
    };
  });
  alerts.sort(
    (a, b) =>
      b.timesFired - a.timesFired ||
      b.firingTimeMs - a.firingTimeMs ||
      a.alertname.localeCompare(b.alertname),
  );
  return {
    windowStartMs: window.startMs,
    windowEndMs: window.endMs,
    flapWindowMs: settings.flapWindowMs,
    alerts,
    droppedTransitions: input.droppedTransitions,
  };
}

/** Alertnames with a transition in the window, even if they never fired (pending only). */
function activeAlertnames(transitions: readonly AlertTransition[], window: Window): Set<string> {
  return new Set(
    transitions
      .filter((transition) => transition.atMs >= window.startMs)
      .map((transition) => transition.alertname),
  );
}

function seriesHygiene(
  episodes: readonly FiringEpisode[],
  window: Window,
  isAcknowledged: (episode: FiringEpisode) => boolean,
  options: HygieneOptions,
): SeriesHygiene[] {
  const byFingerprint = new Map<string, FiringEpisode[]>();
  for (const episode of episodes) {
    const list = byFingerprint.get(episode.fingerprint) ?? [];
    list.push(episode);
    byFingerprint.set(episode.fingerprint, list);
  }
  return [...byFingerprint].map(([fingerprint, list]) => ({
    labels: list[0]?.labels ?? {},
    fingerprint,
    ...stats(list, window, isAcknowledged, options),
  }));
}

function stats(
  episodes: readonly FiringEpisode[],
  window: Window,
  isAcknowledged: (episode: FiringEpisode) => boolean,
  options: HygieneOptions,
): HygieneStats {
  const began = episodes.filter((episode) => beganIn(episode, window));
  const durationsMs = began
    .filter((episode) => episode.resolvedAtMs !== undefined && episode.resolvedAtMs <= window.endMs)
    .map(firingMs);
  return {
    timesFired: began.length,
    firingTimeMs: episodes.reduce((total, episode) => total + overlapMs(episode, window), 0),
    flaps: began.filter((episode) => isFlap(episode, options.flapWindowMs)).length,
    firedWithoutAck: began.filter((episode) => !isAcknowledged(episode)).length,
    medianFiringMs: nearestRank(durationsMs, 0.5),
    p90FiringMs: nearestRank(durationsMs, 0.9),
  };
}

/**
 * An acknowledgement covers an episode when it names the alert and was made after the condition
 * started (pending included: acking a pending alert is fine) and before the label set fired again.
 */
function covers(ack: Acknowledgement, episode: FiringEpisode): boolean {
  const startMs = episode.pendingSinceMs ?? episode.firingSinceMs;
  if (ack.atMs < startMs || ack.atMs >= (episode.nextStartMs ?? Infinity)) return false;
  if (ack.fingerprint !== undefined) return ack.fingerprint === episode.fingerprint;
  return Object.entries(ack.labels ?? {}).every(([name, value]) => episode.labels[name] === value);
}

function beganIn(episode: FiringEpisode, window: Window): boolean {
  return episode.firingSinceMs >= window.startMs && episode.firingSinceMs <= window.endMs;
}

function overlaps(episode: FiringEpisode, window: Window): boolean {
  return episode.firingSinceMs <= window.endMs && (episode.resolvedAtMs ?? Infinity) >= window.startMs;
}

function overlapMs(episode: FiringEpisode, window: Window): number {
  const endMs = Math.min(episode.resolvedAtMs ?? window.endMs, window.endMs);
  return Math.max(0, endMs - Math.max(episode.firingSinceMs, window.startMs));
}
