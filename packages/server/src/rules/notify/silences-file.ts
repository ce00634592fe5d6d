/**
 * The silences.json format: `{version: 1, silences: [...]}`. Read defensively: a damaged entry is
 * skipped rather than failing startup, since losing one silence beats losing all of them.
 */
import type { Matcher, MatchType } from './matchers.ts';
import type { Silence } from './silence-types.ts';

export const SILENCES_FILE_VERSION = 1;

const MATCH_TYPES: readonly string[] = ['=', '!=', '=~', '!~'];

/** Parses the file's text; returns [] for an unreadable file. */
export function parseSilencesFile(text: string): Silence[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const list = (parsed as { silences?: unknown }).silences;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    const silence = toSilence(entry);
    return silence ? [silence] : [];
  });
}

function toSilence(entry: unknown): Silence | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const e = entry as Record<string, unknown>;
  const { id, startsAtMs, endsAtMs, updatedAtMs, createdBy, comment, matchers } = e;
  if (typeof id !== 'string' || typeof createdBy !== 'string' || typeof comment !== 'string')
    return undefined;
  if (typeof startsAtMs !== 'number' || typeof endsAtMs !== 'number' || typeof updatedAtMs !== 'number')
    return undefined;
  if (!Array.isArray(matchers)) return undefined;
  const parsedMatchers = matchers.map(toMatcher);
  if (parsedMatchers.some((m) => m === undefined)) return undefined;
  return { id, startsAtMs, endsAtMs, updatedAtMs, createdBy, comment, matchers: parsedMatchers as Matcher[] };
}

function toMatcher(entry: unknown): Matcher | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { name, type, value } = entry as Record<string, unknown>;
  if (typeof name !== 'string' || typeof value !== 'string' || typeof type !== 'string') return undefined;
  if (!MATCH_TYPES.includes(type)) return undefined;
  return { name, type: type as MatchType, value };
}
