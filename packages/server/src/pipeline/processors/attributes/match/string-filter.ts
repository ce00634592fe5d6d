import { SettingsError } from '../../../graph/component.ts';
import { re2SearchRegExp } from '../../../../model/re2-regex.ts';

type KeyPath = readonly (string | number)[];

/** How `include`/`exclude` strings are read (internal/filter/filterset/config.go). */
export interface FilterSetConfig {
  /** '' when absent: upstream only refuses that once a filter is actually built. */
  matchType: string;
  /** `regexp.cacheenabled`: remember results per input string. */
  cacheEnabled: boolean;
  /** `regexp.cachemaxnumentries`; 0 is unbounded, as upstream's legacy behaviour. */
  cacheMaxEntries: number;
  /** Where `match_type` sits, for the error. */
  keyPath: KeyPath;
}

/** A set of strict strings or regexps; `matches` is true when any of them matches. */
export interface StringFilter {
  matches(text: string): boolean;
}

/**
 * filterset.CreateFilterSet: `strict` compares whole strings; `regexp` uses RE2 patterns that, like
 * Go's `MatchString`, match anywhere in the string (anchor with ^…$ to match all of it).
 *
 * @example
 * createStringFilter(['auth.*'], config, ['include', 'services']).matches('auth-api'); // true
 */
export function createStringFilter(
  patterns: readonly string[],
  config: FilterSetConfig,
  keyPath: KeyPath,
): StringFilter {
  switch (config.matchType) {
    case 'strict': {
      const allowed = new Set(patterns);
      return { matches: (text) => allowed.has(text) };
    }
    case 'regexp':
      return regexpFilter(patterns, config, keyPath);
    default:
      throw unrecognizedMatchType(config);
  }
}

export function unrecognizedMatchType(config: FilterSetConfig): SettingsError {
  return new SettingsError(
    `unrecognized match_type: '${config.matchType}', valid types are: [regexp strict]`,
    [...config.keyPath, 'match_type'],
  );
}

function regexpFilter(patterns: readonly string[], config: FilterSetConfig, keyPath: KeyPath): StringFilter {
  const regexes = [...new Set(patterns)].map((pattern) => {
    try {
      return re2SearchRegExp(pattern);
    } catch {
      throw new SettingsError(`invalid regexp "${pattern}"`, [...keyPath, patterns.indexOf(pattern)]);
    }
  });
  const search = (text: string): boolean => regexes.some((regex) => regex.test(text));
  if (!config.cacheEnabled) return { matches: search };
  const limit = config.cacheMaxEntries === 0 ? Infinity : config.cacheMaxEntries;
  const cache = new Map<string, boolean>();
  return {
    matches(text) {
      const known = cache.get(text);
      if (known !== undefined) return known;
      const result = search(text);
      // Oldest-first eviction; upstream uses an LRU, which only changes which entries stay cached.
      if (cache.size >= limit) cache.delete(cache.keys().next().value ?? '');
      cache.set(text, result);
      return result;
    },
  };
}
