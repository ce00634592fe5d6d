/**
 * Alertmanager API v2 JSON shapes (api/v2/openapi.yaml): postableAlert in, gettableAlert and
 * gettableSilence out, postableSilence in. Validation follows api/v2's handlers and
 * types.Alert.Validate, so a Prometheus pointed at Vigil gets the answers it gets from Alertmanager.
 */
import type { IncomingAlert } from './alert-store.ts';
import { emptyRecord } from './label-set.ts';
import type { MatchType, Matcher } from './matchers.ts';
import type { AlertView } from './notifier.ts';
import { silenceState, type Silence, type SilenceInput } from './silence-types.ts';
import { isLegacyLabelName } from '../../model/prom-names.ts';

/** Invalid client input; the message is safe to return (it quotes no label values). */
export class AmApiInputError extends Error {
  override readonly name = 'AmApiInputError';
}

/** The alerts of a POST /api/v2/alerts body, defaulted; invalid ones are reported in `errors`. */
export function parsePostableAlerts(
  body: unknown,
  nowMs: number,
  resolveTimeoutMs: number,
): { alerts: IncomingAlert[]; errors: string[] } {
  if (!Array.isArray(body)) throw new AmApiInputError('expected a JSON array of alerts');
  const alerts: IncomingAlert[] = [];
  const errors: string[] = [];
  body.forEach((entry: unknown, index) => {
    try {
      alerts.push(parsePostableAlert(entry, nowMs, resolveTimeoutMs));
    } catch (error: unknown) {
      if (!(error instanceof AmApiInputError)) throw error;
      errors.push(`alert ${index}: ${error.message}`);
    }
  });
  return { alerts, errors };
}

function parsePostableAlert(entry: unknown, nowMs: number, resolveTimeoutMs: number): IncomingAlert {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw new AmApiInputError('expected an object');
  const raw = entry as Record<string, unknown>;
  const labels = stringRecord(raw['labels'], 'labels', true);
  const annotations = stringRecord(raw['annotations'], 'annotations', false);
  if (Object.keys(labels).length === 0) throw new AmApiInputError('at least one label pair required');
  let startsAtMs = optionalTime(raw['startsAt'], 'startsAt');
  let endsAtMs = optionalTime(raw['endsAt'], 'endsAt');
  // api/v2 postAlertsHandler: a missing start is now (or the end); a missing end is now + resolve_timeout.
  if (startsAtMs === undefined) startsAtMs = endsAtMs ?? nowMs;
  const timeout = endsAtMs === undefined;
  if (endsAtMs === undefined) endsAtMs = nowMs + resolveTimeoutMs;
  if (endsAtMs < startsAtMs) throw new AmApiInputError('start time must be before end time');
  const generatorURL = raw['generatorURL'] ?? '';
  if (typeof generatorURL !== 'string') throw new AmApiInputError('generatorURL must be a string');
  return { labels, annotations, startsAtMs, endsAtMs, generatorURL, timeout };
}

function stringRecord(value: unknown, field: string, checkNames: boolean): Record<string, string> {
  const record = emptyRecord();
  if (value === undefined || value === null) return record;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new AmApiInputError(`${field} must be an object`);
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new AmApiInputError(`${field}: value of "${name}" must be a string`);
    if (checkNames && !isLegacyLabelName(name)) throw new AmApiInputError(`invalid label name "${name}"`);
    record[name] = v;
  }
  return record;
}

function optionalTime(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '' || value === '0001-01-01T00:00:00Z')
    return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new AmApiInputError(`${field} is not an RFC 3339 time`);
  return ms;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** gettableAlert. */
export function gettableAlert(view: AlertView): Record<string, unknown> {
  const { alert } = view;
  return {
    annotations: alert.annotations,
    endsAt: iso(alert.endsAtMs),
    fingerprint: alert.fingerprint,
    receivers: view.receivers.map((name) => ({ name })),
    startsAt: iso(alert.startsAtMs),
    status: { inhibitedBy: view.inhibitedBy, silencedBy: view.silencedBy, state: view.state },
    updatedAt: iso(alert.updatedAtMs),
    generatorURL: alert.generatorURL,
    labels: alert.labels,
  };
}

/** gettableSilence. */
export function gettableSilence(silence: Silence, nowMs: number): Record<string, unknown> {
  return {
    id: silence.id,
    status: { state: silenceState(silence, nowMs) },
    updatedAt: iso(silence.updatedAtMs),
    comment: silence.comment,
    createdBy: silence.createdBy,
    endsAt: iso(silence.endsAtMs),
    matchers: silence.matchers.map((m) => ({
      isEqual: m.type === '=' || m.type === '=~',
      isRegex: m.type === '=~' || m.type === '!~',
      name: m.name,
      value: m.value,
    })),
    startsAt: iso(silence.startsAtMs),
  };
}

/** A postableSilence body. */
export function parsePostableSilence(body: unknown): SilenceInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AmApiInputError('expected a silence object');
  const raw = body as Record<string, unknown>;
  const text = (field: string): string => {
    const value = raw[field];
    if (typeof value !== 'string') throw new AmApiInputError(`${field} in body is required`);
    return value;
  };
  if (!Array.isArray(raw['matchers'])) throw new AmApiInputError('matchers in body is required');
  const startsAtMs = optionalTime(text('startsAt'), 'startsAt');
  const endsAtMs = optionalTime(text('endsAt'), 'endsAt');
  if (startsAtMs === undefined || endsAtMs === undefined)
    throw new AmApiInputError('startsAt and endsAt are required');
  const input: SilenceInput = {
    matchers: (raw['matchers'] as unknown[]).map(parseApiMatcher),
    startsAtMs,
    endsAtMs,
    createdBy: text('createdBy'),
    comment: text('comment'),
  };
  const id = raw['id'];
  if (typeof id === 'string' && id !== '') input.id = id;
  return input;
}

function parseApiMatcher(entry: unknown): Matcher {
  if (typeof entry !== 'object' || entry === null)
    throw new AmApiInputError('each matcher must be an object');
  const { name, value, isRegex, isEqual } = entry as Record<string, unknown>;
  if (typeof name !== 'string' || !isLegacyLabelName(name))
    throw new AmApiInputError('matcher name must be a label name');
  if (typeof value !== 'string') throw new AmApiInputError('matcher value must be a string');
  if (typeof isRegex !== 'boolean') throw new AmApiInputError('matcher isRegex is required');
  // isEqual is optional and defaults to true (API v2 before it existed had only equality).
  const equal = isEqual === undefined ? true : isEqual === true;
  const type: MatchType = isRegex ? (equal ? '=~' : '!~') : equal ? '=' : '!=';
  return { name, type, value };
}
