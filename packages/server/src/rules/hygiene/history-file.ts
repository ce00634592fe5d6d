import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AlertState, AlertTransition } from '../rule-types.ts';
import type { Acknowledgement } from './hygiene-types.ts';

/** One line of the history file. */
export type HistoryRecord =
  { kind: 'transition'; transition: AlertTransition } | { kind: 'ack'; ack: Acknowledgement };

export interface LoadedHistory {
  records: HistoryRecord[];
  /** Lines that were not a valid record (a torn last line after a crash, a hand edit). */
  corruptLines: number;
  bytes: number;
}

/**
 * The alert history as a JSON-lines file: one transition or acknowledgement per line, appended
 * as they happen so the history survives restarts, and rewritten whole when it grows too large.
 * Writes are synchronous: transitions are rare (state changes, not evaluations), and an appended
 * line is on disk before record() returns. NaN values (resolved without a value) are written as null.
 */
export class HistoryFile {
  constructor(readonly filePath: string) {}

  /** The records of the file, oldest first; a missing file is an empty history. */
  load(): LoadedHistory {
    let text: string;
    try {
      text = readFileSync(this.filePath, 'utf8');
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { records: [], corruptLines: 0, bytes: 0 };
      throw error;
    }
    const records: HistoryRecord[] = [];
    let corruptLines = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const record = parseRecord(line);
      if (record) records.push(record);
      else corruptLines++;
    }
    return { records, corruptLines, bytes: Buffer.byteLength(text) };
  }

  /** Appends one record; returns the bytes written. */
  append(record: HistoryRecord): number {
    const line = `${serializeRecord(record)}\n`;
    mkdirSync(path.dirname(this.filePath), { recursive: true });
    appendFileSync(this.filePath, line);
    return Buffer.byteLength(line);
  }

  /** Replaces the file with these records (write a temporary file, then rename: never half a file). */
  rewrite(records: readonly HistoryRecord[]): number {
    const text = records.map((record) => `${serializeRecord(record)}\n`).join('');
    const temporary = `${this.filePath}.tmp`;
    mkdirSync(path.dirname(this.filePath), { recursive: true });
    writeFileSync(temporary, text);
    renameSync(temporary, this.filePath);
    return Buffer.byteLength(text);
  }
}

export function serializeRecord(record: HistoryRecord): string {
  if (record.kind === 'ack') return JSON.stringify({ kind: 'ack', ...record.ack });
  const { value, ...rest } = record.transition;
  return JSON.stringify({ kind: 'transition', ...rest, value: Number.isFinite(value) ? value : null });
}

const STATES: ReadonlySet<string> = new Set<AlertState>(['inactive', 'pending', 'firing']);

function isAlertState(value: unknown): value is AlertState {
  return typeof value === 'string' && STATES.has(value);
}

/** A line back into a record; undefined when any field is missing or of the wrong type. */
export function parseRecord(line: string): HistoryRecord | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(json)) return undefined;
  return json['kind'] === 'ack'
    ? parseAck(json)
    : json['kind'] === 'transition'
      ? parseTransition(json)
      : undefined;
}

function parseTransition(json: Record<string, unknown>): HistoryRecord | undefined {
  const { groupKey, alertname, labels, from, to, atMs, value } = json;
  if (typeof groupKey !== 'string' || typeof alertname !== 'string' || !isStringRecord(labels))
    return undefined;
  if (!isAlertState(from) || !isAlertState(to)) return undefined;
  if (typeof atMs !== 'number' || (value !== null && typeof value !== 'number')) return undefined;
  const transition: AlertTransition = {
    groupKey,
    alertname,
    labels,
    from,
    to,
    atMs,
    value: value ?? NaN,
  };
  return { kind: 'transition', transition };
}

function parseAck(json: Record<string, unknown>): HistoryRecord | undefined {
  const { id, fingerprint, labels, by, atMs, comment } = json;
  if (typeof id !== 'string' || typeof by !== 'string' || typeof atMs !== 'number') return undefined;
  if (fingerprint !== undefined && typeof fingerprint !== 'string') return undefined;
  if (labels !== undefined && !isStringRecord(labels)) return undefined;
  if (comment !== undefined && typeof comment !== 'string') return undefined;
  const ack: Acknowledgement = { id, by, atMs };
  if (fingerprint !== undefined) ack.fingerprint = fingerprint;
  if (labels !== undefined) ack.labels = labels;
  if (comment !== undefined) ack.comment = comment;
  return { kind: 'ack', ack };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON object of string values (JSON.parse makes `__proto__` an own key, so it stays a label). */
export function isStringRecord(value: unknown): value is Record<string, string> {
  return isObject(value) && Object.values(value).every((entry) => typeof entry === 'string');
}
