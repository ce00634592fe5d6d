import type { SettingsReader } from '../../../graph/settings-reader.ts';
import type { FilterSetConfig } from './string-filter.ts';

/** `libraries` item: `version` absent matches any version; "" only an empty one. */
export interface LibraryProperties {
  name: string;
  version: string | undefined;
}

/** `log_severity_number` (internal/filter/filterconfig/config.go LogSeverityNumberMatchProperties). */
export interface SeverityNumberProperties {
  min: number;
  matchUndefined: boolean;
}

/**
 * One `include` or `exclude` block as written (filterconfig.MatchProperties). Which fields a signal
 * may use is checked when the signal's matcher is built (record-matchers.ts), as upstream does.
 */
export interface MatchProperties {
  config: FilterSetConfig;
  keyPath: readonly (string | number)[];
  services: string[];
  spanNames: string[];
  spanKinds: string[];
  logBodies: string[];
  logSeverityTexts: string[];
  logSeverityNumber: SeverityNumberProperties | undefined;
  metricNames: string[];
  attributes: SettingsReader[];
  resources: SettingsReader[];
  libraries: LibraryProperties[];
  /** The reader, to point errors at one field. */
  reader: SettingsReader;
}

const MATCH_KEYS = [
  'match_type', 'regexp', 'services', 'span_names', 'span_kinds', 'log_bodies', 'log_severity_texts',
  'log_severity_number', 'metric_names', 'attributes', 'resources', 'libraries',
];

/**
 * Reads `include`/`exclude` of the attributes processor; undefined when the block is absent.
 *
 * @example
 * const include = parseMatchProperties(settings.child('include'));
 */
export function parseMatchProperties(reader: SettingsReader | undefined): MatchProperties | undefined {
  if (!reader) return undefined;
  reader.allowOnly(MATCH_KEYS);
  return {
    config: parseFilterSetConfig(reader),
    keyPath: reader.keyPath,
    services: reader.strings('services'),
    spanNames: reader.strings('span_names'),
    spanKinds: reader.strings('span_kinds'),
    logBodies: reader.strings('log_bodies'),
    logSeverityTexts: reader.strings('log_severity_texts'),
    logSeverityNumber: parseSeverityNumber(reader.child('log_severity_number')),
    metricNames: reader.strings('metric_names'),
    attributes: reader.list('attributes'),
    resources: reader.list('resources'),
    libraries: reader.list('libraries').map(parseLibrary),
    reader,
  };
}

function parseFilterSetConfig(reader: SettingsReader): FilterSetConfig {
  const regexp = reader.child('regexp');
  regexp?.allowOnly(['cacheenabled', 'cachemaxnumentries']);
  return {
    matchType: reader.string('match_type', ''),
    cacheEnabled: regexp?.boolean('cacheenabled', false) ?? false,
    cacheMaxEntries: regexp?.count('cachemaxnumentries', 0) ?? 0,
    keyPath: reader.keyPath,
  };
}

function parseSeverityNumber(reader: SettingsReader | undefined): SeverityNumberProperties | undefined {
  if (!reader) return undefined;
  reader.allowOnly(['min', 'match_undefined']);
  return { min: reader.count('min', 0), matchUndefined: reader.boolean('match_undefined', false) };
}

function parseLibrary(reader: SettingsReader): LibraryProperties {
  reader.allowOnly(['name', 'version']);
  return { name: reader.string('name', ''), version: reader.has('version') ? reader.string('version', '') : undefined };
}
