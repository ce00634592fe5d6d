import { formatDuration } from '../../query/promql/format-query.ts';
import type { FiringEpisode } from './firing-episodes.ts';
import type { HygieneOptions } from './hygiene-types.ts';

const MINUTE_MS = 60_000;

/**
 * What to change about an alert's rule, from its firing episodes that began in the window. Each
 * heuristic needs at least `minEpisodes` cases and `suggestFraction` of the episodes, so one bad
 * night does not rewrite a rule:
 *
 * 1. Flapping — episodes that began within `flapWindowMs` of the same label set resolving:
 *    "set `keep_firing_for: Ym`", Y the gap that covers 90% of those re-fires (rounded up to the
 *    next minute). keep_firing_for (Prometheus 2.42+) keeps the alert firing through a brief
 *    recovery, so it neither resolves nor pages again.
 * 2. Short episodes — episodes that resolved within `shortEpisodeMs`: "raise `for` to Xm", X just
 *    over the condition time (pending start to resolve, or firing time when the rule has no
 *    `for`) of 90% of the short episodes, so those would have stayed pending and never paged.
 * 3. Unacknowledged — episodes nobody acknowledged: "review the threshold or route to a ticket":
 *    a page nobody acts on teaches people to ignore pages (the seed's alert-fatigue failure mode).
 *
 * An alert that never fired gets no suggestion.
 *
 * @example
 * suggestRuleChanges(episodes, (e) => acked.has(e), DEFAULT_HYGIENE_OPTIONS);
 * // ['4 of 5 firing episodes ended within 10m: raise `for` to 7m ...']
 */
export function suggestRuleChanges(
  episodes: readonly FiringEpisode[],
  isAcknowledged: (episode: FiringEpisode) => boolean,
  options: HygieneOptions,
): string[] {
  return [
    flappingSuggestion(episodes, options),
    shortEpisodeSuggestion(episodes, options),
    unacknowledgedSuggestion(episodes, isAcknowledged, options),
  ].filter((suggestion): suggestion is string => suggestion !== undefined);
}

/** Whether an episode began within the flap window after its label set resolved. */
export function isFlap(episode: FiringEpisode, flapWindowMs: number): boolean {
  return (
    episode.previousResolvedAtMs !== undefined &&
    episode.firingSinceMs - episode.previousResolvedAtMs <= flapWindowMs
  );
}

function flappingSuggestion(episodes: readonly FiringEpisode[], options: HygieneOptions): string | undefined {
  const flaps = episodes.filter((episode) => isFlap(episode, options.flapWindowMs));
  if (!enough(flaps.length, episodes.length, options)) return undefined;
  const gapsMs = flaps.map(
    (episode) => episode.firingSinceMs - (episode.previousResolvedAtMs ?? episode.firingSinceMs),
  );
  const keepFiringForMs = minutesAbove(nearestRank(gapsMs, 0.9) ?? 0);
  return (
    `${flaps.length} of ${episodes.length} firings came back within ${formatDuration(options.flapWindowMs)} of resolving: ` +
    `set \`keep_firing_for: ${formatDuration(keepFiringForMs)}\` so a brief recovery neither resolves nor pages again`
  );
}

function shortEpisodeSuggestion(
  episodes: readonly FiringEpisode[],
  options: HygieneOptions,
): string | undefined {
  const completed = episodes.filter((episode) => episode.resolvedAtMs !== undefined);
  const short = completed.filter((episode) => firingMs(episode) < options.shortEpisodeMs);
  if (!enough(short.length, completed.length, options)) return undefined;
  const conditionMs = short.map(
    (episode) => (episode.resolvedAtMs ?? 0) - (episode.pendingSinceMs ?? episode.firingSinceMs),
  );
  const forMs = minutesAbove(nearestRank(conditionMs, 0.9) ?? 0);
  return (
    `${short.length} of ${completed.length} firing episodes ended within ${formatDuration(options.shortEpisodeMs)}: ` +
    `raise \`for\` to ${formatDuration(forMs)} (90% of them would have stayed pending and not paged)`
  );
}

function unacknowledgedSuggestion(
  episodes: readonly FiringEpisode[],
  isAcknowledged: (episode: FiringEpisode) => boolean,
  options: HygieneOptions,
): string | undefined {
  const unacknowledged = episodes.filter((episode) => !isAcknowledged(episode)).length;
  if (!enough(unacknowledged, episodes.length, options)) return undefined;
  return (
    `${unacknowledged} of ${episodes.length} firings were never acknowledged: ` +
    'review the threshold or route to a ticket instead of a page'
  );
}

function enough(matching: number, total: number, options: HygieneOptions): boolean {
  return matching > 0 && matching >= options.minEpisodes && matching >= total * options.suggestFraction;
}

/** Firing time of a resolved episode. */
export function firingMs(episode: FiringEpisode): number {
  return (episode.resolvedAtMs ?? episode.firingSinceMs) - episode.firingSinceMs;
}

/** The nearest-rank quantile: the smallest value at or above `q` of the values. */
export function nearestRank(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? null;
}

/** The next whole minute strictly above a duration: a `for` of exactly D still fires at D. */
function minutesAbove(durationMs: number): number {
  return (Math.floor(durationMs / MINUTE_MS) + 1) * MINUTE_MS;
}
