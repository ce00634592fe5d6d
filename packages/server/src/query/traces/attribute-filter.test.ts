import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttributeFilter } from '../../storage/store.ts';
import { parseAttributeFilter } from './attribute-filter.ts';
import { InvalidParameterError } from './invalid-parameter-error.ts';

const valid: [text: string, expected: AttributeFilter][] = [
  ['http.route=/predict', { scope: 'span', key: 'http.route', op: '=', value: '/predict' }],
  ['http.status_code=200', { scope: 'span', key: 'http.status_code', op: '=', value: 200n }],
  ['user.id="123"', { scope: 'span', key: 'user.id', op: '=', value: '123' }],
  ['ml.inference.gpu_used=true', { scope: 'span', key: 'ml.inference.gpu_used', op: '=', value: true }],
  ['score=0.75', { scope: 'span', key: 'score', op: '=', value: 0.75 }],
  ['ml.model.version!=3', { scope: 'span', key: 'ml.model.version', op: '!=', value: 3n }],
  ['ml.request.batch_size>10', { scope: 'span', key: 'ml.request.batch_size', op: '>', value: 10n }],
  ['ml.request.batch_size>=10', { scope: 'span', key: 'ml.request.batch_size', op: '>=', value: 10n }],
  ['latency<2.5', { scope: 'span', key: 'latency', op: '<', value: 2.5 }],
  ['latency<=-1', { scope: 'span', key: 'latency', op: '<=', value: -1n }],
  ['ml.model.name=~^resnet.*', { scope: 'span', key: 'ml.model.name', op: '=~', value: '^resnet.*' }],
  ['ml.model.name!~bert', { scope: 'span', key: 'ml.model.name', op: '!~', value: 'bert' }],
  ['resource.host.name=gpu-1', { scope: 'resource', key: 'host.name', op: '=', value: 'gpu-1' }],
  ['span.resource.kind=x', { scope: 'span', key: 'resource.kind', op: '=', value: 'x' }],
  ['note=a=b', { scope: 'span', key: 'note', op: '=', value: 'a=b' }],
  [' key = spaced ', { scope: 'span', key: 'key', op: '=', value: 'spaced' }],
  ['empty=', { scope: 'span', key: 'empty', op: '=', value: '' }],
  ['big=99999999999999999999', { scope: 'span', key: 'big', op: '=', value: '99999999999999999999' }],
];

for (const [text, expected] of valid) {
  void test(`parseAttributeFilter(${JSON.stringify(text)})`, () => {
    assert.deepEqual(parseAttributeFilter(text, 'attr[0]'), expected);
  });
}

const invalid: [text: string, expectedMessage: RegExp][] = [
  ['no-operator', /a key followed by an operator/],
  ['=secret', /a key followed by an operator/],
  ['key!value', /a known operator at offset 3/],
  ['resource.=x', /non-empty attribute key/],
  ['batch>ten', /a number after/],
  ['name=~([unclosed', /valid RE2 regular expression/],
  ['name=~a(?=b)', /valid RE2 regular expression/],
  ['name=~(a)\\1', /valid RE2 regular expression/],
];

for (const [text, expectedMessage] of invalid) {
  void test(`parseAttributeFilter rejects ${JSON.stringify(text)} without echoing it`, () => {
    assert.throws(
      () => parseAttributeFilter(text, 'attr[2]'),
      (error: unknown) =>
        error instanceof InvalidParameterError &&
        error.parameter === 'attr[2]' &&
        expectedMessage.test(error.message) &&
        !error.message.includes(text),
    );
  });
}
