import { goQuote, parseGoFloat, parseGoInt, parseGoUint, unquoteChar } from '../go/go-strconv.ts';
import type { NumberNode } from './nodes.ts';

/**
 * parse.newNumber: a number or character constant under every Go type that can represent it, as
 * Go's ideal constants. Returns the error message on failure. Complex constants are not supported
 * (Prometheus templates have no use for them); they fail to parse here.
 */
export function newNumber(
  pos: number,
  text: string,
  typ: 'number' | 'charConstant' | 'complex',
): NumberNode | string {
  if (typ === 'charConstant') {
    const quote = text[0] ?? "'";
    const char = unquoteChar(text.slice(1), quote);
    if (char === undefined) return 'invalid syntax';
    if (char.tail !== "'") return `malformed character constant: ${text}`;
    const value = BigInt(char.value);
    return {
      type: 'number',
      pos,
      text,
      isInt: true,
      isUint: true,
      isFloat: true,
      int64: value,
      uint64: value,
      float64: char.value,
    };
  }
  if (typ === 'complex' || text.endsWith('i')) return `complex constants are not supported: ${goQuote(text)}`;
  const unsigned = parseGoUint(text);
  const signed = parseGoInt(text);
  let isUint = typeof unsigned === 'bigint';
  const isIntParsed = typeof signed === 'bigint';
  let uint64 = typeof unsigned === 'bigint' ? unsigned : 0n;
  if (isIntParsed && signed === 0n) {
    isUint = true; // in case of -0
    uint64 = 0n;
  }
  const int64 = isIntParsed ? signed : 0n;
  if (isIntParsed || isUint) {
    const float64 = Number(isIntParsed ? int64 : uint64);
    return { type: 'number', pos, text, isInt: isIntParsed, isUint, isFloat: true, int64, uint64, float64 };
  }
  return floatNumber(pos, text);
}

const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;

function floatNumber(pos: number, text: string): NumberNode | string {
  const float64 = parseGoFloat(text);
  if (typeof float64 === 'string') return `illegal number syntax: ${goQuote(text)}`;
  // Parsed as a float but looks like an integer: a huge number too large for an int.
  if (!/[.eEpP]/.test(text)) return `integer overflow: ${goQuote(text)}`;
  const integral = Number.isInteger(float64);
  const isInt = integral && float64 >= -TWO_63 && float64 < TWO_63;
  const isUint = integral && float64 >= 0 && float64 < TWO_64;
  return {
    type: 'number',
    pos,
    text,
    isInt,
    isUint,
    isFloat: true,
    int64: isInt ? BigInt(float64) : 0n,
    uint64: isUint ? BigInt(float64) : 0n,
    float64,
  };
}
