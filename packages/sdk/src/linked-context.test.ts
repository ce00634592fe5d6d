import { createContextKey, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextWithSpan } from './linked-context.ts';

const span = (id: string) => trace.wrapSpanContext({ traceId: id.repeat(32), spanId: id.repeat(16), traceFlags: 1 });
const KEY_A = createContextKey('test a');
const KEY_B = createContextKey('test b');

test('behaves as trace.setSpan: the span is found, other values are inherited, parents are unchanged', () => {
  const parent = ROOT_CONTEXT.setValue(KEY_A, 'a');
  const first = span('1');
  const child = contextWithSpan(parent, first);
  assert.equal(trace.getSpan(child), first);
  assert.equal(child.getValue(KEY_A), 'a');
  assert.equal(trace.getSpan(parent), undefined);

  const second = span('2');
  const grandchild = contextWithSpan(child, second).setValue(KEY_B, 'b');
  assert.equal(trace.getSpan(grandchild), second);
  assert.equal(trace.getSpan(child), first, 'immutable');
  assert.equal(grandchild.getValue(KEY_B), 'b');
  assert.equal(child.getValue(KEY_B), undefined);
  assert.equal(trace.getSpan(trace.deleteSpan(grandchild)), undefined);
  assert.equal(trace.getSpan(grandchild), second);
  assert.equal(grandchild.deleteValue(KEY_A).getValue(KEY_A), undefined);
  assert.equal(grandchild.getValue(KEY_A), 'a');
});

test('long chains are flattened and keep every value, deletions included', () => {
  let current: Context = contextWithSpan(ROOT_CONTEXT, span('3'));
  const keys = Array.from({ length: 100 }, (_unused, index) => createContextKey(`chain ${index}`));
  keys.forEach((key, index) => {
    current = current.setValue(key, index);
    if (index % 10 === 0) current = current.deleteValue(key);
  });
  current = current.setValue(KEY_A, 'last');
  keys.forEach((key, index) => assert.equal(current.getValue(key), index % 10 === 0 ? undefined : index));
  assert.equal(current.getValue(KEY_A), 'last');
  assert.equal(trace.getSpan(current)?.spanContext().spanId, '3'.repeat(16));
});
