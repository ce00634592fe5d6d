import { isPrint } from './go-strconv.ts';

/** Go's text escapers: template.HTMLEscapeString, template.JSEscapeString and url.QueryEscape. */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '\0': '\uFFFD',
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
};

export function htmlEscapeString(text: string): string {
  return text.replace(/[\0"'&<>]/g, (char) => HTML_ESCAPES[char] ?? char);
}

const JS_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '=': '\\u003D',
};

export function jsEscapeString(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const simple = JS_ESCAPES[char];
    if (simple !== undefined) out += simple;
    else if (code < 0x20) out += `\\u00${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (code < 0x80 || isPrint(code)) out += char;
    else out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

const UTF8 = new TextEncoder();

/** url.QueryEscape: unreserved bytes stay, space becomes '+', all else %XX. */
export function queryEscape(text: string): string {
  let out = '';
  for (const byte of UTF8.encode(text)) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(char)) out += char;
    else if (char === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
