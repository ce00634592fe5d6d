import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCondition } from './parser.ts';
import { OttlParseError } from './parse-error.ts';

describe('parseCondition', () => {
  const valid: { condition: string; shape: string }[] = [
    { condition: 'name == "x"', shape: 'compare' },
    { condition: 'name == "x" and kind == SPAN_KIND_SERVER', shape: 'and' },
    { condition: 'name == "x" or name == "y" or name == "z"', shape: 'or' },
    { condition: 'not name == "x"', shape: 'not' },
    { condition: '(name == "x" or name == "y") and kind != 1', shape: 'and' },
    { condition: 'IsMatch(name, ".*grpc.*")', shape: 'constant' },
    { condition: 'true', shape: 'constant' },
    { condition: 'attributes["a"]["b"][0] == nil', shape: 'compare' },
    { condition: 'resource.attributes["host.name"] == "localhost"', shape: 'compare' },
    { condition: '(end_time_unix_nano - start_time_unix_nano) > 1000000000', shape: 'compare' },
    { condition: 'attributes["n"] * 2 + 1 >= -3.5e2', shape: 'compare' },
    { condition: 'trace_id == 0x0102', shape: 'compare' },
    { condition: 'attributes["list"] == ["a", 1, 2.5]', shape: 'compare' },
    { condition: 'name == "tab\\there \\"quoted\\" \\u00e9"', shape: 'compare' },
    { condition: 'not (name == "a" and name == "b")', shape: 'not' },
  ];
  for (const { condition, shape } of valid) {
    it(`parses ${condition}`, () => {
      assert.equal(parseCondition(condition).kind, shape);
    });
  }

  it('binds "and" tighter than "or", and "not" to one boolean value', () => {
    const expr = parseCondition('not a == 1 or b == 2 and c == 3');
    assert.equal(expr.kind, 'or');
    if (expr.kind !== 'or') return;
    assert.equal(expr.operands[0]?.kind, 'not');
    assert.equal(expr.operands[1]?.kind, 'and');
  });

  it('unescapes string literals like Go strconv.Unquote', () => {
    const expr = parseCondition('name == "a\\tb\\"c\\\\d\\x41\\u00e9"');
    assert.ok(expr.kind === 'compare' && expr.right.kind === 'literal');
    assert.equal(expr.right.value, 'a\tb"c\\dAé');
  });

  it('reads ints as int64 bigint and floats as numbers', () => {
    const int = parseCondition('x == -42');
    const float = parseCondition('x == .5');
    assert.ok(
      int.kind === 'compare' &&
        int.right.kind === 'literal' &&
        float.kind === 'compare' &&
        float.right.kind === 'literal',
    );
    assert.equal(int.right.value, -42n);
    assert.equal(float.right.value, 0.5);
  });

  const invalid: { condition: string; column: number; message: RegExp }[] = [
    { condition: 'name ==', column: 8, message: /unexpected end of condition/ },
    { condition: 'name = "x"', column: 6, message: /expected a comparison operator/ },
    { condition: 'attributes["x"]', column: 16, message: /expected a comparison operator/ },
    { condition: 'name == "x" and', column: 16, message: /expected a value/ },
    { condition: 'name == "x")', column: 12, message: /expected "and", "or" or the end/ },
    { condition: 'name == "unterminated', column: 9, message: /unterminated string/ },
    { condition: 'name == "bad \\q escape"', column: 14, message: /invalid escape/ },
    { condition: 'name == 0x123', column: 9, message: /odd length hex string/ },
    {
      condition: 'isMatch(name, "x")',
      column: 1,
      message: /converter names must start with an uppercase letter/,
    },
    { condition: 'name == 9223372036854775808', column: 9, message: /out of range for int64/ },
    { condition: 'name == "x" && kind == 1', column: 13, message: /invalid character "&"/ },
    { condition: 'Attributes["x"] == 1', column: 1, message: /path segment "Attributes" must be lowercase/ },
    { condition: 'name == {"a": 1}', column: 9, message: /map literals are not supported/ },
    { condition: 'IsMatch(target = name, "x")', column: 9, message: /named arguments are not supported/ },
    { condition: '(name == "x"', column: 13, message: /expected "\)"/ },
  ];
  for (const { condition, column, message } of invalid) {
    it(`refuses ${condition} at column ${column}`, () => {
      assert.throws(
        () => parseCondition(condition),
        (error: unknown) => {
          assert.ok(error instanceof OttlParseError, String(error));
          assert.match(error.message, message);
          assert.equal(error.column, column, error.message);
          assert.match(error.message, new RegExp(`^column ${column}: `));
          return true;
        },
      );
    });
  }
});
