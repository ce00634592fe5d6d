/**
 * OTLP names → Prometheus names, as Prometheus's own OTLP endpoint writes them with its default
 * translation strategy `UnderscoreEscapingWithSuffixes` (prometheus/otlptranslator `MetricNamer`
 * with `WithMetricSuffixes`, `LabelNamer`, `UnitNamer`; UTF-8 names not allowed).
 */

/** How a metric is named: counters get `_total`, unit-"1" gauges `_ratio` (otlptranslator MetricType). */
export type PromNamingKind = 'gauge' | 'counter' | 'non-monotonic-counter' | 'histogram' | 'summary';

/** otlptranslator `unitMap`: UCUM units → Prometheus base-unit words. "1" (dimensionless) → none. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '1': '',
  '%': 'percent',
};

/** otlptranslator `perUnitMap`: the unit after "/" (singular: `_per_second`). */
const PER_UNIT_WORDS: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

/** Characters of a metric name other than the separator `_` (otlptranslator isValidCompliantMetricChar). */
const METRIC_NAME_CHAR = /[a-zA-Z0-9:]/u;
const NOT_METRIC_NAME_CHAR = /[^a-zA-Z0-9:]/gu;
const NOT_LABEL_NAME_CHAR = /[^a-zA-Z0-9_]/gu;

function lookup(table: Readonly<Record<string, string>>, key: string): string {
  return Object.hasOwn(table, key) ? (table[key] ?? key) : key;
}

/**
 * The unit as main and per words, unmapped units kept as written and units in braces (UCUM
 * annotations like `{request}`) dropped (otlptranslator buildUnitSuffixes).
 */
function unitSuffixes(unit: string): { main: string; per: string } {
  const slash = unit.indexOf('/');
  const mainUnit = (slash < 0 ? unit : unit.slice(0, slash)).trim();
  const perUnit = slash < 0 ? '' : unit.slice(slash + 1).trim();
  const main = mainUnit !== '' && !/[{}]/.test(mainUnit) ? lookup(UNIT_WORDS, mainUnit) : '';
  const perWord = perUnit !== '' && !/[{}]/.test(perUnit) ? lookup(PER_UNIT_WORDS, perUnit) : '';
  return { main, per: perWord === '' ? '' : `per_${perWord}` };
}

/** Invalid characters → `_`, runs of `_` collapsed, a leading `_` dropped (otlptranslator cleanUpUnit). */
function cleanUpUnit(unit: string): string {
  return unit.replace(NOT_METRIC_NAME_CHAR, '_').replace(/__+/g, '_').replace(/^_/, '');
}

function splitNameTokens(name: string): string[] {
  const tokens: string[] = [];
  let token = '';
  for (const char of name) {
    if (METRIC_NAME_CHAR.test(char)) token += char;
    else if (token !== '') {
      tokens.push(token);
      token = '';
    }
  }
  if (token !== '') tokens.push(token);
  return tokens;
}

/** Appends the unit words unless the name already has them (otlptranslator addUnitTokens). */
function addUnitTokens(tokens: string[], mainSuffix: string, perSuffix: string): string[] {
  let main = tokens.includes(mainSuffix) ? '' : mainSuffix;
  let per = perSuffix === 'per_' ? '' : perSuffix.replace(/_$/, '');
  if (tokens.includes(per)) per = '';
  if (per !== '') main = main.replace(/_$/, '');
  const result = [...tokens];
  if (main !== '') result.push(main);
  if (per !== '') result.push(per);
  return result;
}

function moveToEnd(tokens: string[], suffix: string): string[] {
  return [...tokens.filter((token) => token !== suffix), suffix];
}

/**
 * The Prometheus metric family name of an OTLP metric: the name's runs of valid characters
 * joined by `_`, the unit's words appended unless already present (`ml_inference_latency_seconds`
 * with unit "s" stays as it is), `_total` for monotonic counters, `_ratio` for unit-"1" gauges, a
 * leading digit prefixed with `_` (otlptranslator normalizeName). '' when nothing valid is left.
 *
 * @example
 * promMetricName('http.server.duration', 's', 'histogram'); // 'http_server_duration_seconds'
 * promMetricName('ml_predictions_total', '', 'counter'); // 'ml_predictions_total'
 */
export function promMetricName(name: string, unit: string, kind: PromNamingKind): string {
  const { main, per } = unitSuffixes(unit);
  let tokens = addUnitTokens(splitNameTokens(name), cleanUpUnit(main), cleanUpUnit(per));
  if (kind === 'counter') tokens = moveToEnd(tokens, 'total');
  if (unit === '1' && kind === 'gauge') tokens = moveToEnd(tokens, 'ratio');
  const joined = tokens.join('_');
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

/**
 * A Prometheus label name for an OTLP attribute key: invalid characters → `_`, a leading digit
 * prefixed with `key_`, a single leading `_` with `key` (`__reserved` kept) (otlptranslator
 * LabelNamer). '' for keys that leave no valid name (only underscores).
 *
 * @example
 * promLabelName('service.instance.id'); // 'service_instance_id'
 */
export function promLabelName(key: string): string {
  if (key === '') return '';
  let name = key.replace(NOT_LABEL_NAME_CHAR, '_');
  if (/^[0-9]/.test(name)) name = `key_${name}`;
  else if (name.startsWith('_') && !name.startsWith('__')) name = `key${name}`;
  return name !== key && /^_+$/.test(name) ? '' : name;
}

/**
 * The unit as Prometheus metadata reports it: "s" → "seconds", "By/s" → "bytes_per_second", "1" → ""
 * (otlptranslator UnitNamer).
 */
export function promUnit(unit: string): string {
  const { main, per } = unitSuffixes(unit);
  const mainClean = cleanUpUnit(main);
  const perClean = cleanUpUnit(per);
  const joined = mainClean !== '' && perClean !== '' ? `${mainClean}_${perClean}` : mainClean || perClean;
  return joined.replace(/^_/, '').replace(/_$/, '');
}

/**
 * A float as Go's `strconv.FormatFloat(x, 'f', -1, 64)` writes it: shortest round-trip digits,
 * never an exponent; `+Inf`, `-Inf`, `NaN`. Prometheus formats `le` and `quantile` values this way.
 */
export function formatPromFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', lead = '', fraction = '', exponentText = '0'] = match;
  const digits = lead + fraction;
  const pointAt = 1 + Number(exponentText);
  if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return sign + digits + '0'.repeat(pointAt - digits.length);
  return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}
