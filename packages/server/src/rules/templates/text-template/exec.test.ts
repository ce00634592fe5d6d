import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GO,
  goFloat,
  goInt,
  goMap,
  goPtr,
  goSlice,
  goString,
  goStringMap,
  goStruct,
  sliceOf,
  type GoType,
  type GoValue,
} from '../go/go-values.ts';
import { executeTemplate } from './exec.ts';
import { TemplateSet } from './template-set.ts';

/** Go text/template semantics, with builtins only; expected outputs and messages are Go's. */

const DATA_TYPE: GoType = {
  name: 'main.data',
  kind: 'struct',
  fields: [
    ['S', GO.string],
    ['N', GO.int],
    ['F', GO.float64],
    ['Empty', GO.string],
    ['Items', sliceOf(GO.string)],
    ['None', sliceOf(GO.string)],
    ['Labels', GO.mapStringString],
    ['M', GO.mapStringAny],
    ['Nil', GO.samplePtr],
  ],
};

const DATA = goStruct(
  DATA_TYPE,
  new Map<string, GoValue>([
    ['S', goString('s')],
    ['N', goInt(3)],
    ['F', goFloat(2.5)],
    ['Empty', goString('')],
    [
      'Items',
      goSlice(
        sliceOf(GO.string),
        ['a', 'b', 'c'].map((v) => goString(v)),
      ),
    ],
    ['None', { kind: 'slice', type: sliceOf(GO.string), value: null }],
    ['Labels', goStringMap({ job: 'node', env: 'prod', az: '1' })],
    ['M', goMap(GO.mapStringAny, new Map([['x', goFloat(1.5)]]))],
    ['Nil', goPtr(GO.samplePtr, null)],
  ]),
);

function run(text: string): string {
  return executeTemplate(TemplateSet.parse('t', text, new Map(), 'zero'), DATA);
}

describe('text/template execution', () => {
  const cases: readonly [string, string][] = [
    ['{{- " a " -}}', ' a '],
    ['x  {{- 1 -}}  y', 'x1y'],
    ['x {{/* comment */}} y', 'x  y'],
    ['x {{- /* c */ -}} y', 'xy'],
    ['{{ "a\\tb\\x41\\u00e9\\101" }}', 'a\tbAéA'],
    ['{{ `raw\\n` }}', 'raw\\n'],
    ["{{ 'a' }} {{ '\\n' }}", '97 10'],
    [
      '{{ 0x10 }} {{ 0o17 }} {{ 0b101 }} {{ 1_000 }} {{ 1e3 }} {{ 1.5e-3 }} {{ -2 }} {{ 1.0 }}',
      '16 15 5 1000 1000 0.0015 -2 1',
    ],
    ['{{ .S }}{{ .N }}{{ .F }}', 's32.5'],
    ['{{ if .Empty }}a{{ else if .N }}b{{ else }}c{{ end }}', 'b'],
    ['{{ with .Empty }}a{{ else with .S }}[{{ . }}]{{ end }}', '[s]'],
    ['{{ range $i, $v := .Items }}{{ $i }}:{{ $v }} {{ end }}', '0:a 1:b 2:c '],
    ['{{ range .Items }}{{ if eq . "b" }}{{ continue }}{{ end }}{{ . }}{{ end }}', 'ac'],
    ['{{ range .Items }}{{ if eq . "b" }}{{ break }}{{ end }}{{ . }}{{ end }}', 'a'],
    ['{{ range .None }}x{{ else }}empty{{ end }}', 'empty'],
    ['{{ range $k, $v := .Labels }}{{ $k }}={{ $v }};{{ end }}', 'az=1;env=prod;job=node;'],
    ['{{ range $i := 3 }}{{ $i }}{{ end }}', '012'],
    ['{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}', '2'],
    ['{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ end }}{{ $x }}', '1'],
    [
      '{{ define "t2" }}[{{ . }}]{{ end }}{{ template "t2" .S }}{{ block "b" 1 }}<{{ . }}>{{ end }}',
      '[s]<1>',
    ],
    ['{{ eq .N 1 2 3 }} {{ eq .S "x" }}', 'true false'],
    [
      '{{ ne .S "x" }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 2.5 }}',
      'true true true true false',
    ],
    [
      '{{ len .Items }} {{ len "héllo" }} {{ index .Items 1 }} {{ index .Labels "job" }} {{ slice .Items 1 }}',
      '3 6 b node [b c]',
    ],
    ['{{ and 1 "" 2 }}|{{ or 0 "" }}|{{ not .Empty }}|{{ and 1 2 }}', '||true|2'],
    ['{{ print 1 2 "x" 3 }}|{{ println "a" 1 }}|{{ printf "%d-%s" 1 "a" }}', '1 2x3|a 1\n|1-a'],
    [
      `{{ html "<a href='x'>" }}|{{ js "</script>" }}|{{ urlquery "a b/c" }}`,
      '&lt;a href=&#39;x&#39;&gt;|\\u003C/script\\u003E|a+b%2Fc',
    ],
    ['{{ (printf "%s" "a") }}{{ ("b") }}', 'ab'],
    ['{{ .Labels.job | printf "%s!" }}', 'node!'],
    ['{{ .Labels }}', 'map[az:1 env:prod job:node]'],
    ['{{ .Items }} {{ .None }}', '[a b c] []'],
    ['{{ .Nil }}', '<nil>'],
    ['{{ .M.x }} {{ .M.missing }} {{ .Labels.missing }}|', '1.5 <no value> |'],
    ['{{ $ }}', '{s 3 2.5  [a b c] [] map[az:1 env:prod job:node] map[x:1.5] <nil>}'],
  ];
  for (const [text, want] of cases) it(text, () => assert.equal(run(text), want));
});

describe('text/template execution errors', () => {
  const at = (col: number, node: string, message: string): string =>
    `template: t:1:${col}: executing "t" at <${node}>: ${message}`;
  const cases: readonly [string, string][] = [
    ['{{ .S.Foo }}', at(5, '.S.Foo', "can't evaluate field Foo in type string")],
    ['{{ 1 2 }}', at(3, '1', "can't give argument to non-function 1")],
    ['{{ nil }}', at(3, 'nil', 'nil is not a command')],
    ['{{ len 1 2 }}', at(3, 'len', 'wrong number of args for len: want 1 got 2')],
    ['{{ printf 1 }}', at(10, '1', 'expected string; found 1')],
    ['{{ printf .N }}', at(10, '.N', 'wrong type for value; expected string; got int')],
    ['{{ index .Items 5 }}', at(3, 'index .Items 5', 'error calling index: index out of range: 5')],
    ['{{ range 1.5 }}{{ end }}', at(9, '1.5', "range can't iterate over 1.5")],
    ['{{ template "nope" }}', at(12, '{{template "nope"}}', 'template "nope" not defined')],
    ['{{ .Nil.Labels }}', at(7, '.Nil.Labels', 'nil pointer evaluating *template.sample.Labels')],
    [
      '{{ eq .S 1 }}',
      at(3, 'eq .S 1', 'error calling eq: incompatible types for comparison: string and int'),
    ],
    ['{{ lt true false }}', at(3, 'lt true false', 'error calling lt: invalid type for comparison')],
    ['{{ call .S }}', at(3, 'call .S', 'error calling call: non-function .S of type string')],
    ['{{ .S 1 }}', at(3, '.S', 'S has arguments but cannot be invoked as function')],
    ['{{ .Labels.job 1 }}', at(10, '.Labels.job', 'job is not a method but has arguments')],
    ['{{ range $a, $b := 2 }}{{ end }}', at(19, '2', "can't use 2 to iterate over more than one variable")],
  ];
  for (const [text, message] of cases)
    it(text, () => assert.throws(() => run(text), { name: 'TemplateExecError', message }));
});

describe('text/template parse errors', () => {
  const cases: readonly [string, string][] = [
    ['{{ end }}', 'template: t:1: unexpected {{end}}'],
    ['{{ else }}', 'template: t:1: unexpected {{else}}'],
    ['{{ if 1 }}', 'template: t:1: unexpected EOF'],
    ['{{ range 1 }}{{ else }}{{ else }}{{ end }}', 'template: t:1: expected end; found {{else}}'],
    ['{{ 1 | 2 }}', 'template: t:1: non executable command in pipeline stage 2'],
    ['{{ .X. }}', 'template: t:1: unexpected <.> in operand'],
    ['{{ break }}', 'template: t:1: {{break}} outside {{range}}'],
    ['{{ range $a, $b, $c := . }}{{ end }}', 'template: t:1: too many declarations in range'],
    ['{{ with $a, $b := . }}{{ end }}', 'template: t:1: too many declarations in with'],
    ['{{ "unterminated }}', 'template: t:1: unterminated quoted string'],
    ['{{ 3x }}', 'template: t:1: bad number syntax: "3x"'],
    ['{{ .a-b }}', "template: t:1: bad character U+002D '-'"],
    ['{{ ( 1 }}', 'template: t:1: unclosed left paren'],
    ['{{ 1 ) }}', 'template: t:1: unexpected right paren'],
    ['{{ "\\q" }}', 'template: t:1: invalid syntax'],
    ['{{ 99999999999999999999 }}', 'template: t:1: integer overflow: "99999999999999999999"'],
    ['{{ 1 := 2 }}', 'template: t:1: unexpected ":=" in operand'],
    [
      '{{define "a"}}1{{end}}{{define "a"}}2{{end}}',
      'template: t:1: template: multiple definition of template "a"',
    ],
    ['a\n{{ foo }}', 'template: t:2: function "foo" not defined'],
    ['x\n{{ "a\n" }}', 'template: t:2: unterminated quoted string'],
    ['{{ 1\n\n', 'template: t:3: unclosed action started at t:1'],
    ['{{/* open', 'template: t:1: unclosed comment'],
    ['{{/* c */ 1 }}', 'template: t:1: comment ends before closing delimiter'],
  ];
  for (const [text, message] of cases) {
    it(JSON.stringify(text), () =>
      assert.throws(() => TemplateSet.parse('t', text, new Map(), 'zero'), {
        name: 'TemplateParseError',
        message,
      }),
    );
  }
});
