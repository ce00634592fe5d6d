/**
 * Alertmanager's template functions (template/template.go DefaultFuncs): string helpers, regexps,
 * `join`/`stringSlice` for label lists, `date`/`tz`/`since` for alert times, `humanizeDuration`
 * and `toJson`. Alertmanager's `title` is cases.Title(language.AmericanEnglish), which, unlike
 * Prometheus's strings.Title, also lower-cases the rest of each word.
 */
import { goFunc, GoFuncError, type GoFunc } from '../../templates/go/go-func.ts';
import { compileGoRegexp, matchGo, mustCompileGoRegexp, replaceAllGo } from '../../templates/go/go-regexp.ts';
import { goQuote } from '../../templates/go/go-strconv.ts';
import { goToLower, goToUpper } from '../../templates/go/go-strings.ts';
import {
  GO,
  goBool,
  goFloat,
  goInt,
  goSlice,
  goString,
  goTime,
  type GoType,
  type GoValue,
} from '../../templates/go/go-values.ts';
import { convertToFloat, humanizeDuration } from '../../templates/humanize.ts';
import { STRING_SLICE } from './am-types.ts';
import { goJson } from './go-json.ts';
import { formatZoned, loadLocation, zonedTime, zoneOf } from './zoned-time.ts';

/** What the functions read from the notification being rendered. */
export interface AlertmanagerFuncContext {
  /** The notification's time: `since` measures from it (Go's time.Since uses the wall clock). */
  readonly nowMs: number;
}

const S = GO.string;
/** html/template.URL, returned by safeUrl. */
const URL_TYPE: GoType = { name: 'template.URL', kind: 'string' };

function str(value: GoValue | undefined): string {
  return value?.kind === 'string' ? value.value : '';
}

function nanosOf(time: GoValue | undefined): bigint {
  return time?.kind === 'struct' ? (time.unixNanos ?? 0n) : 0n;
}

/** x/text's word model, approximated: letters, marks, digits and '_' join words; MidLetter/MidNumLet may sit inside one. */
const WORD_CHAR = /^[\p{L}\p{M}\p{N}_]$/u;
const MID_CHAR = /^['.:\u00b7\u2018\u2019\u2024\u2027\ufe13\ufe52\ufe55\uff07\uff0e\uff1a]$/u;

/**
 * cases.Title: the first cased letter of each word upper-cased, the rest of the word lower-cased
 * (x/text titleCaser.Transform); two mid-word characters in a row end a word.
 */
export function casesTitle(text: string): string {
  let out = '';
  let midWord = false;
  let previousWasMid = false;
  for (const char of text) {
    const isMid = MID_CHAR.test(char);
    if (previousWasMid && isMid) midWord = false;
    const cased = char.toLowerCase() !== char.toUpperCase();
    if (cased) {
      out += midWord ? goToLower(char) : goToUpper(char);
      midWord = true;
    } else {
      out += char;
      if (!WORD_CHAR.test(char) && !isMid) midWord = false;
    }
    previousWasMid = isMid;
  }
  return out;
}

/** strings.TrimSpace: Unicode White_Space, which differs from JS trim() on U+0085 and U+FEFF. */
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const TRIM_SPACE = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'gu');

/** url.QueryUnescape: '+' is a space and %XX a byte; a malformed escape is an error. */
export function queryUnescape(text: string): string {
  const bytes: number[] = [];
  const utf8 = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (char === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex))
        throw new GoFuncError(`invalid URL escape ${goQuote(text.slice(i, i + 3))}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (char === '+') bytes.push(0x20);
    else bytes.push(...utf8.encode(char));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

function stringFuncs(): [string, GoFunc][] {
  return [
    ['toUpper', goFunc([S], ([text]) => goString(goToUpper(str(text))))],
    ['toLower', goFunc([S], ([text]) => goString(goToLower(str(text))))],
    ['title', goFunc([S], ([text]) => goString(casesTitle(str(text))))],
    ['trimSpace', goFunc([S], ([text]) => goString(str(text).replace(TRIM_SPACE, '')))],
    // join takes the separator first, for pipelines: {{ .Values | join ", " }}.
    [
      'join',
      goFunc([S, STRING_SLICE], ([sep, items]) =>
        goString((items?.kind === 'slice' ? (items.value ?? []) : []).map(str).join(str(sep))),
      ),
    ],
    ['stringSlice', goFunc([], (items) => goSlice(STRING_SLICE, items), S)],
    ['match', goFunc([S, S], ([pattern, text]) => goBool(matchGo(compileGoRegexp(str(pattern)), str(text))))],
    [
      'reReplaceAll',
      goFunc([S, S, S], ([pattern, replacement, text]) =>
        goString(replaceAllGo(mustCompileGoRegexp(str(pattern)), str(text), str(replacement))),
      ),
    ],
    ['safeHtml', goFunc([S], ([text]) => goString(str(text), GO.html))],
    ['safeUrl', goFunc([S], ([text]) => goString(str(text), URL_TYPE))],
    ['urlUnescape', goFunc([S], ([text]) => goString(queryUnescape(str(text))))],
  ];
}

function timeFuncs(context: () => AlertmanagerFuncContext): [string, GoFunc][] {
  return [
    [
      'date',
      goFunc([S, GO.time], ([layout, time]) =>
        goString(formatZoned(nanosOf(time), time ? zoneOf(time) : 'UTC', str(layout))),
      ),
    ],
    [
      'tz',
      goFunc([S, GO.time], ([name, time]) => {
        const zone = loadLocation(str(name));
        return zone === 'UTC' ? goTime(nanosOf(time)) : zonedTime(nanosOf(time), zone);
      }),
    ],
    [
      'since',
      goFunc([GO.time], ([time]) => goInt(BigInt(context().nowMs) * 1_000_000n - nanosOf(time), GO.duration)),
    ],
    [
      'humanizeDuration',
      goFunc([GO.any], ([value]) => goString(humanizeDuration(convertToFloat(value ?? goFloat(0))))),
    ],
  ];
}

/**
 * The function map of Alertmanager's notification templates. `context` is read at call time, so
 * one map (and the templates parsed with it) serves every notification.
 * @example alertmanagerFuncs(() => ({ nowMs: Date.now() })).get('toUpper')
 */
export function alertmanagerFuncs(context: () => AlertmanagerFuncContext): ReadonlyMap<string, GoFunc> {
  return new Map([
    ...stringFuncs(),
    ...timeFuncs(context),
    ['toJson', goFunc([GO.any], ([value]) => goString(goJson(value ?? { kind: 'invalid' })))],
  ]);
}
