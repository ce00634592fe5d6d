/**
 * Silences (Alertmanager silence/silence.go): matchers that mute alerts between startsAt and
 * endsAt. Kept in memory, persisted to `silences.json` in a directory so they survive a restart,
 * and garbage-collected a retention after they expire (Alertmanager's --data.retention, 120h).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabelSet } from './label-set.ts';
import { compileMatcher, matchesAll, type CompiledMatcher } from './matchers.ts';
import { parseSilencesFile, SILENCES_FILE_VERSION } from './silences-file.ts';
import { silenceState, type Silence, type SilenceInput, type SilenceState } from './silence-types.ts';

export { silenceState, type Silence, type SilenceInput, type SilenceState } from './silence-types.ts';

/** A refused silence operation; `kind` picks the API status. */
export class SilenceError extends Error {
  override readonly name = 'SilenceError';
  constructor(
    message: string,
    readonly kind: 'invalid' | 'not_found' | 'limit',
  ) {
    super(message);
  }
}

export interface SilencesOptions {
  /** Directory for silences.json; no persistence when absent. */
  dir?: string;
  /** How long an expired silence is kept; default 120h as Alertmanager's --data.retention. */
  retentionMs?: number;
  /** At most this many silences (expired ones included until collected); default 10,000. */
  maxSilences?: number;
}

const DEFAULT_RETENTION_MS = 120 * 3_600_000;
const DEFAULT_MAX_SILENCES = 10_000;
const FILE_NAME = 'silences.json';

/**
 * The silence store.
 *
 * @example
 * const silences = new Silences({ dir: dataDir });
 * const id = silences.set({ matchers: [{ name: 'alertname', type: '=', value: 'X' }],
 *   startsAtMs: now, endsAtMs: now + 7_200_000, createdBy: 'ops', comment: 'deploy' }, now);
 */
export class Silences {
  private readonly silences = new Map<string, Silence>();
  private readonly compiled = new Map<string, CompiledMatcher[]>();
  private readonly retentionMs: number;
  private readonly maxSilences: number;

  constructor(private readonly options: SilencesOptions = {}) {
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.maxSilences = options.maxSilences ?? DEFAULT_MAX_SILENCES;
    if (options.dir === undefined) return;
    for (const silence of this.load(options.dir)) {
      try {
        this.store(silence);
      } catch {
        // A matcher that no longer compiles: skip that silence rather than refuse to start.
      }
    }
  }

  /**
   * Creates a silence, or updates the one with `input.id` (Silences.Set): an update that keeps the
   * matchers and only moves times the state allows is done in place; otherwise the old silence is
   * expired and a new one (new id) replaces it. A start in the past becomes now.
   */
  set(input: SilenceInput, nowMs: number): string {
    validateSilence(input, nowMs);
    const previous = input.id === undefined ? undefined : this.silences.get(input.id);
    if (input.id !== undefined && previous === undefined)
      throw new SilenceError('silence not found', 'not_found');
    if (previous !== undefined) {
      if (canUpdate(previous, input, nowMs))
        return this.save({ ...input, id: previous.id, updatedAtMs: nowMs });
      if (silenceState(previous, nowMs) !== 'expired') this.expire(previous.id, nowMs);
    }
    if (this.silences.size >= this.maxSilences) this.collectGarbage(nowMs);
    if (this.silences.size >= this.maxSilences)
      throw new SilenceError(`too many silences (limit ${this.maxSilences})`, 'limit');
    const startsAtMs = Math.max(input.startsAtMs, nowMs);
    return this.save({ ...input, id: randomUUID(), startsAtMs, updatedAtMs: nowMs });
  }

  /** Silences.Expire: an active silence ends now; a pending one starts and ends now. */
  expire(id: string, nowMs: number): void {
    const silence = this.silences.get(id);
    if (silence === undefined) throw new SilenceError('silence not found', 'not_found');
    const state = silenceState(silence, nowMs);
    if (state === 'expired') throw new SilenceError(`silence ${id} already expired`, 'invalid');
    const startsAtMs = state === 'pending' ? nowMs : silence.startsAtMs;
    this.save({ ...silence, startsAtMs, endsAtMs: nowMs, updatedAtMs: nowMs });
  }

  get(id: string): Silence | undefined {
    return this.silences.get(id);
  }

  /** All silences, active first (by endsAt), then pending (by startsAt), then expired (latest first). */
  list(nowMs: number): Silence[] {
    const rank: Record<SilenceState, number> = { active: 0, pending: 1, expired: 2 };
    const sortKey = (s: Silence, state: SilenceState): number =>
      state === 'active' ? s.endsAtMs : state === 'pending' ? s.startsAtMs : -s.endsAtMs;
    return [...this.silences.values()]
      .map((silence) => ({ silence, state: silenceState(silence, nowMs) }))
      .sort(
        (a, b) => rank[a.state] - rank[b.state] || sortKey(a.silence, a.state) - sortKey(b.silence, b.state),
      )
      .map(({ silence }) => silence);
  }

  /** Ids of the active silences that match the labels (the silencer's Mutes). */
  mutedBy(labels: LabelSet, nowMs: number): string[] {
    const ids: string[] = [];
    for (const silence of this.silences.values()) {
      if (silenceState(silence, nowMs) !== 'active') continue;
      if (matchesAll(this.compiled.get(silence.id) ?? [], labels)) ids.push(silence.id);
    }
    return ids.sort();
  }

  /** Drops silences expired for longer than the retention. */
  collectGarbage(nowMs: number): void {
    let removed = false;
    for (const [id, silence] of this.silences) {
      if (silence.endsAtMs + this.retentionMs <= nowMs) {
        this.silences.delete(id);
        this.compiled.delete(id);
        removed = true;
      }
    }
    if (removed) this.persist();
  }

  private save(silence: Silence): string {
    this.store(silence);
    this.persist();
    return silence.id;
  }

  private store(silence: Silence): void {
    this.silences.set(silence.id, silence);
    this.compiled.set(silence.id, silence.matchers.map(compileMatcher));
  }

  private load(dir: string): Silence[] {
    let text: string;
    try {
      text = readFileSync(join(dir, FILE_NAME), 'utf8');
    } catch {
      return [];
    }
    return parseSilencesFile(text);
  }

  private persist(): void {
    const dir = this.options.dir;
    if (dir === undefined) return;
    mkdirSync(dir, { recursive: true });
    const path = join(dir, FILE_NAME);
    // Write then rename, so a crash mid-write leaves the previous file intact.
    const body = JSON.stringify({ version: SILENCES_FILE_VERSION, silences: [...this.silences.values()] });
    writeFileSync(`${path}.tmp`, body);
    renameSync(`${path}.tmp`, path);
  }
}

/** validateSilence and the API's checks (api/v2 postSilencesHandler). */
function validateSilence(input: SilenceInput, nowMs: number): void {
  if (input.matchers.length === 0) throw new SilenceError('at least one matcher required', 'invalid');
  let compiled: CompiledMatcher[];
  try {
    compiled = input.matchers.map(compileMatcher);
  } catch (error: unknown) {
    throw new SilenceError((error as Error).message, 'invalid');
  }
  if (compiled.every((matcher) => matcher.matches('')))
    throw new SilenceError('at least one matcher must not match the empty string', 'invalid');
  if (!Number.isFinite(input.startsAtMs) || !Number.isFinite(input.endsAtMs))
    throw new SilenceError('invalid start or end time', 'invalid');
  if (input.startsAtMs >= input.endsAtMs)
    throw new SilenceError('start time must be before end time', 'invalid');
  if (input.endsAtMs < nowMs) throw new SilenceError("end time can't be in the past", 'invalid');
}

/** silence.canUpdate: same matchers, and time changes the current state allows. */
function canUpdate(previous: Silence, next: SilenceInput, nowMs: number): boolean {
  const sameMatchers =
    previous.matchers.length === next.matchers.length &&
    previous.matchers.every((m, i) => {
      const other = next.matchers[i];
      return other !== undefined && m.name === other.name && m.type === other.type && m.value === other.value;
    });
  if (!sameMatchers) return false;
  switch (silenceState(previous, nowMs)) {
    case 'active':
      return next.startsAtMs === previous.startsAtMs && next.endsAtMs >= nowMs;
    case 'pending':
      return next.startsAtMs >= nowMs;
    case 'expired':
      return false;
  }
}
