/**
 * The one validator for SLO declarations, shared by the config file (`vigil.slos:`) and the JSON
 * API (POST /api/vigil/v1/slos). Field names are snake_case in both.
 */
import { parseDurationMillis } from '../../config/duration.ts';
import { parseSli, SLI_KINDS } from './parse-sli.ts';
import { roundSignificant, type SloSpec } from './slo-spec.ts';
import { fieldsOf, labelMap, optionalString, requiredString, SloSpecError } from './spec-fields.ts';

const SLO_FIELDS = [
  'name',
  'service',
  'description',
  'objective',
  'window',
  'labels',
  'runbook_url',
  'page_severity',
  'ticket_severity',
  ...SLI_KINDS,
] as const;

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const DAY_MS = 86_400_000;
/** Below a day the workbook's windows (1h … 3d) stop making sense; above a year nobody keeps the data. */
const MIN_WINDOW_MS = DAY_MS;
const MAX_WINDOW_MS = 365 * DAY_MS;
const DEFAULT_WINDOW_MS = 30 * DAY_MS;
/** Labels the generated rules set themselves. */
const RESERVED_LABELS = ['slo', 'service', 'severity', 'alertname'];

/**
 * Validates one SLO declaration. `at` is the key path of the declaration (for config files
 * `['vigil', 'slos', '0']`), prefixed to every error's path. Throws {@link SloSpecError}.
 *
 * `objective` is a ratio below 1 (`0.999`) or a percentage above 1 (`99.9`, or the string `"99.9%"`):
 * the two ranges do not overlap, so either spelling is unambiguous. `window` is a Prometheus
 * duration from 1d to 365d, default `30d`.
 *
 * @example
 * parseSloSpec({
 *   name: 'fraud-latency', service: 'fraud-model', objective: 99,
 *   latency: { metric: 'ml_inference_latency_seconds', matchers: '{model_name="fraud-detector"}', threshold: '500ms' },
 * }); // { objectiveRatio: 0.99, windowMs: 2592000000, sli: { kind: 'latency', threshold: 0.5, … }, … }
 */
export function parseSloSpec(value: unknown, at: readonly string[] = []): SloSpec {
  const fields = fieldsOf(value, at, SLO_FIELDS);
  const name = requiredString(fields, 'name', at);
  if (!NAME_PATTERN.test(name))
    throw new SloSpecError('expected 1-100 characters [A-Za-z0-9_.-], starting with a letter or digit', [
      ...at,
      'name',
    ]);
  return {
    name,
    service: optionalString(fields, 'service', at),
    description: optionalString(fields, 'description', at),
    objectiveRatio: parseObjective(fields.objective, [...at, 'objective']),
    windowMs: parseWindow(fields.window, [...at, 'window']),
    labels: labelMap(fields, 'labels', at, RESERVED_LABELS),
    runbookUrl: optionalString(fields, 'runbook_url', at),
    pageSeverity: optionalString(fields, 'page_severity', at) ?? 'page',
    ticketSeverity: optionalString(fields, 'ticket_severity', at) ?? 'ticket',
    sli: parseSli(fields, at),
  };
}

/**
 * A list of SLO declarations (the config's `vigil.slos:`), names unique.
 *
 * @example
 * parseSloSpecs(config.vigil.slos, ['vigil', 'slos']);
 */
export function parseSloSpecs(value: unknown, at: readonly string[] = []): SloSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new SloSpecError('expected a list of SLOs', at);
  const seen = new Set<string>();
  return value.map((entry: unknown, index) => {
    const spec = parseSloSpec(entry, [...at, String(index)]);
    if (seen.has(spec.name)) throw new SloSpecError('duplicate SLO name', [...at, String(index), 'name']);
    seen.add(spec.name);
    return spec;
  });
}

function parseObjective(value: unknown, at: readonly string[]): number {
  if (value === undefined || value === null) throw new SloSpecError('required', at);
  let number = value;
  let percent = false;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    percent = trimmed.endsWith('%');
    number = trimmed === '' ? NaN : Number(percent ? trimmed.slice(0, -1) : trimmed);
  }
  if (typeof number !== 'number' || !Number.isFinite(number))
    throw new SloSpecError('expected a number such as 99.9 (percent) or 0.999 (ratio)', at);
  if (!percent && number > 0 && number < 1) return roundSignificant(number);
  if (number > 1 && number < 100) return roundSignificant(number / 100);
  throw new SloSpecError(
    'expected a ratio in (0, 1) such as 0.999 or a percentage in (1, 100) such as 99.9',
    at,
  );
}

function parseWindow(value: unknown, at: readonly string[]): number {
  if (value === undefined || value === null) return DEFAULT_WINDOW_MS;
  if (typeof value !== 'string') throw new SloSpecError('expected a duration such as 30d', at);
  let windowMs: number;
  try {
    windowMs = parseDurationMillis(value);
  } catch (error: unknown) {
    throw new SloSpecError((error as Error).message, at);
  }
  if (windowMs < MIN_WINDOW_MS || windowMs > MAX_WINDOW_MS)
    throw new SloSpecError('expected a window from 1d to 365d', at);
  return windowMs;
}
