/** Types of the alert hygiene report: how often alerts fire, flap and go unacknowledged. */

/**
 * Someone saying "I am on it" for an alert. `fingerprint` (Alertmanager's, as in webhook
 * payloads) names one alert; `labels` name every alert whose labels include them all, so
 * `{alertname: "GPUMemoryPressure"}` acknowledges that alert on every GPU.
 */
export interface Acknowledgement {
  id: string;
  fingerprint?: string;
  labels?: Readonly<Record<string, string>>;
  by: string;
  atMs: number;
  comment?: string;
}

/** What an acknowledgement names: a fingerprint, or labels the alert must all have. */
export type AcknowledgementTarget = string | Readonly<Record<string, string>>;

/** Counts and durations of one alert (or one label set of it) over the report window. */
export interface HygieneStats {
  /** Firing episodes that began in the window. */
  timesFired: number;
  /** Time spent firing inside the window (episodes that began earlier count from the window start). */
  firingTimeMs: number;
  /** Episodes that began within the flap window after the same label set resolved. */
  flaps: number;
  /** Episodes that began in the window and no acknowledgement covered. */
  firedWithoutAck: number;
  /** Median and 90th percentile (nearest rank) of the episodes that began and ended in the window; null without any. */
  medianFiringMs: number | null;
  p90FiringMs: number | null;
}

/** One label set of an alert. */
export interface SeriesHygiene extends HygieneStats {
  labels: Readonly<Record<string, string>>;
  fingerprint: string;
}

/** One alert (by alertname), its label sets, and what to change about its rule. */
export interface AlertHygiene extends HygieneStats {
  alertname: string;
  series: SeriesHygiene[];
  /** Concrete changes for the rule (see suggestions.ts); empty when the alert behaves. */
  suggestions: string[];
}

export interface HygieneReport {
  windowStartMs: number;
  windowEndMs: number;
  flapWindowMs: number;
  /** Alerts with any transition recorded, most often fired first. */
  alerts: AlertHygiene[];
  /** Transitions dropped from the bounded history: when non-zero the oldest data is missing. */
  droppedTransitions: number;
}

/** Thresholds of the report's heuristics; every field has a default (DEFAULT_HYGIENE_OPTIONS). */
export interface HygieneOptions {
  /** A resolved label set that fires again within this is flapping. Default 1h. */
  flapWindowMs: number;
  /** Episodes shorter than this are "short": the condition cleared on its own. Default 10m. */
  shortEpisodeMs: number;
  /** Fewer episodes than this give no suggestion: too little evidence. Default 3. */
  minEpisodes: number;
  /** The share of episodes that must be short / unacknowledged / flaps to suggest a change. Default 0.5. */
  suggestFraction: number;
}

export const DEFAULT_HYGIENE_OPTIONS: Readonly<HygieneOptions> = {
  flapWindowMs: 3_600_000,
  shortEpisodeMs: 600_000,
  minEpisodes: 3,
  suggestFraction: 0.5,
};
