/**
 * PromQL literal syntax: durations, numbers and Go-style quoted strings, as Prometheus's lexer
 * reads them (promql/parser/lex.go, model.ParseDuration, strconv.Unquote).
 */

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  y: 365 * 24 * 3_600_000,
  w: 7 * 24 * 3_600_000,
  d: 24 * 3_600_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};
import { isValidLabelName as isValidName } from '../../model/prom-names.ts';

export { unquoteString } from '../../model/go-unquote.ts';
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const DURATION_UNIT_ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const;

/** Milliseconds of a duration like `1h30m` or `500ms`; undefined when not a duration. */
export function parseDurationMs(text: string): number | undefined {
  if (text === '' || text === '0') return text === '0' ? 0 : undefined;
  const match = DURATION.exec(text);
  if (!match) return undefined;
  let totalMs = 0;
  DURATION_UNIT_ORDER.forEach((unit, index) => {
    const part = match[index + 1];
    if (part !== undefined) totalMs += Number(part) * (DURATION_UNITS_MS[unit] ?? 0);
  });
  return totalMs;
}

/** A number literal: decimal, hex, Inf/NaN in any case; undefined when not a number. */
export function parseNumber(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '');
  const lower = body.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return sign * Infinity;
  if (lower === 'nan') return NaN;
  if (/^0x[0-9a-f]+$/i.test(body)) return sign * parseInt(body.slice(2), 16);
  if (/^0[0-7]+$/.test(body)) return sign * parseInt(body, 8);
  if (/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(body)) return sign * Number(body);
  return undefined;
}

/**
 * A number-or-duration literal in seconds (Prometheus 3 accepts `5m` where a number is expected,
 * meaning 300).
 */
export function parseNumberOrDurationSeconds(text: string): number | undefined {
  const number = parseNumber(text);
  if (number !== undefined) return number;
  const negative = text.startsWith('-');
  const durationMs = parseDurationMs(text.replace(/^[+-]/, ''));
  return durationMs === undefined ? undefined : ((negative ? -1 : 1) * durationMs) / 1000;
}

/**
 * model.UTF8Validation.IsValidLabelName: any non-empty valid UTF-8. Invalid bytes from string
 * literals arrive as lone surrogates (decodeBytes), so no lone surrogate may appear.
 */
export function isValidLabelName(name: string): boolean {
  return isValidName(name, 'utf8');
}

/** Text for a message as Go's %s shows it once decoded: escaped invalid bytes become U+FFFD. */
export function displayString(text: string): string {
  return text.replace(/[\uDC80-\uDCFF]/g, '\uFFFD');
}
