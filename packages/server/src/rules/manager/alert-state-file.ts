import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Active alerts on disk, so a restart does not send every alert back through its `for` period.
 * Prometheus gets the same effect from its ALERTS_FOR_STATE series (Group.RestoreForState); a
 * small JSON file also keeps the state and firing time, which that series cannot. Written after
 * every evaluation to a temporary file that is then renamed over the old one, so a crash leaves
 * either the old or the new state, never half of one.
 */

export interface SavedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAtMs: number;
  firedAtMs?: number;
  keepFiringSinceMs?: number;
  /** As `String(value)`: JSON has no NaN or Infinity. */
  value: string;
}

export interface SavedRule {
  /** Rule identity (name and labels, rule-runtime.ts ruleIdentity). */
  identity: string;
  alerts: SavedAlert[];
}

export interface SavedGroup {
  key: string;
  /** The group's last evaluation: when its alerts were last known to hold. */
  lastEvaluationMs: number;
  rules: SavedRule[];
}

export interface SavedState {
  version: 1;
  groups: SavedGroup[];
}

/** At most this many alerts are kept: a runaway rule must not make every evaluation write megabytes. */
export const MAX_SAVED_ALERTS = 20_000;

/** Reads the state file; undefined when there is none or it cannot be used (logged). */
export function loadAlertState(path: string, log: (line: string) => void): SavedState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error: unknown) {
    if (!isNotFound(error))
      log(`rules: cannot read alert state ${path}: ${describe(error)}; starting without it`);
    return undefined;
  }
  try {
    const state = parseState(JSON.parse(text));
    if (state) return state;
  } catch {
    // Falls through to the same message as a well-formed file of the wrong shape.
  }
  log(`rules: alert state ${path} is not valid; starting without it`);
  return undefined;
}

/** Writes the state (temporary file, then rename). */
export async function saveAlertState(path: string, state: SavedState): Promise<void> {
  const temporaryPath = `${path}.tmp`;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(temporaryPath, JSON.stringify(state));
  await rename(temporaryPath, path);
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function parseState(value: unknown): SavedState | undefined {
  if (!isObject(value) || value.version !== 1 || !Array.isArray(value.groups)) return undefined;
  const groups: SavedGroup[] = [];
  for (const group of value.groups) {
    if (!isObject(group) || typeof group.key !== 'string' || !isFiniteNumber(group.lastEvaluationMs))
      return undefined;
    if (!Array.isArray(group.rules)) return undefined;
    const rules = group.rules.map(parseRule);
    if (rules.some((rule) => rule === undefined)) return undefined;
    groups.push({ key: group.key, lastEvaluationMs: group.lastEvaluationMs, rules: rules.filter(isDefined) });
  }
  return { version: 1, groups };
}

function parseRule(value: unknown): SavedRule | undefined {
  if (!isObject(value) || typeof value.identity !== 'string' || !Array.isArray(value.alerts))
    return undefined;
  const alerts = value.alerts.map(parseAlert);
  return alerts.every(isDefined) ? { identity: value.identity, alerts } : undefined;
}

function parseAlert(value: unknown): SavedAlert | undefined {
  if (!isObject(value) || !isFiniteNumber(value.activeAtMs) || typeof value.value !== 'string')
    return undefined;
  const labels = stringRecord(value.labels);
  const annotations = stringRecord(value.annotations);
  if (!labels || !annotations || (value.state !== 'pending' && value.state !== 'firing')) return undefined;
  const alert: SavedAlert = {
    labels,
    annotations,
    state: value.state,
    activeAtMs: value.activeAtMs,
    value: value.value,
  };
  if (isFiniteNumber(value.firedAtMs)) alert.firedAtMs = value.firedAtMs;
  if (isFiniteNumber(value.keepFiringSinceMs)) alert.keepFiringSinceMs = value.keepFiringSinceMs;
  return alert;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const record: Record<string, string> = {};
  for (const [name, text] of Object.entries(value)) {
    if (typeof text !== 'string') return undefined;
    record[name] = text;
  }
  return record;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
