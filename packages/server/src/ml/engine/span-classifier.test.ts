import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from '../../model/attributes.ts';
import { attrs, makeSpan, resource } from '../../storage/contract-fixtures.ts';
import { genAiSystemOf, numericValue, Phase, SpanClassifier, timeToFirstTokenMs } from './span-classifier.ts';
import { timed } from './synthetic-spans.ts';

describe('SpanClassifier model', () => {
  const cases: {
    name: string;
    span: Record<string, AttributeValue>;
    res: Record<string, AttributeValue>;
    want: { model: string; version: string } | undefined;
  }[] = [
    {
      name: 'span attributes',
      span: { 'ml.model.name': 'm', 'ml.model.version': '2' },
      res: {},
      want: { model: 'm', version: '2' },
    },
    {
      name: 'span version over resource version',
      span: { 'ml.model.name': 'm', 'ml.model.version': '2' },
      res: { 'ml.model.name': 'm', 'ml.model.version': '1' },
      want: { model: 'm', version: '2' },
    },
    {
      name: 'ml.inference.model_version fallback',
      span: { 'ml.model.name': 'm', 'ml.inference.model_version': '3' },
      res: {},
      want: { model: 'm', version: '3' },
    },
    {
      name: 'resource only',
      span: {},
      res: { 'ml.model.name': 'r', 'ml.model.version': '9' },
      want: { model: 'r', version: '9' },
    },
    {
      name: 'resource version for the same model',
      span: { 'ml.model.name': 'r' },
      res: { 'ml.model.name': 'r', 'ml.model.version': '9' },
      want: { model: 'r', version: '9' },
    },
    {
      name: 'resource version not borrowed by another model',
      span: { 'ml.model.name': 'x' },
      res: { 'ml.model.name': 'r', 'ml.model.version': '9' },
      want: { model: 'x', version: 'unknown' },
    },
    {
      name: 'empty version',
      span: { 'ml.model.name': 'm', 'ml.model.version': '' },
      res: {},
      want: { model: 'm', version: 'unknown' },
    },
    { name: 'no model', span: { 'ml.model.version': '1' }, res: {}, want: undefined },
    { name: 'empty model name', span: { 'ml.model.name': '' }, res: {}, want: undefined },
  ];
  for (const c of cases)
    it(c.name, () => {
      const classifier = new SpanClassifier();
      const span = makeSpan({
        trace: 1,
        span: 1,
        attributes: attrs(c.span),
        resource: resource('svc', c.res),
      });
      assert.equal(classifier.classify(span), c.want !== undefined);
      if (c.want) assert.deepEqual({ model: classifier.model, version: classifier.version }, c.want);
    });
});

describe('phases and requests', () => {
  const cases: {
    name: string;
    attributes: Record<string, AttributeValue>;
    phase: Phase;
    request: boolean;
  }[] = [
    { name: 'inference.predict', attributes: {}, phase: Phase.NONE, request: true },
    {
      name: 'inference.preprocess',
      attributes: { 'ml.model.name': 'm' },
      phase: Phase.PREPROCESS,
      request: false,
    },
    { name: 'inference.forward_pass', attributes: {}, phase: Phase.FORWARD_PASS, request: false },
    { name: 'inference.postprocess', attributes: {}, phase: Phase.POSTPROCESS, request: false },
    { name: 'POST /score', attributes: { 'ml.model.name': 'm' }, phase: Phase.NONE, request: true },
    { name: 'GET /health', attributes: {}, phase: Phase.NONE, request: false },
  ];
  for (const c of cases)
    it(c.name, () => {
      const span = makeSpan({
        trace: 1,
        span: 1,
        name: c.name,
        attributes: attrs(c.attributes),
        resource: resource('svc', { 'ml.model.name': 'm' }),
      });
      const classifier = new SpanClassifier();
      assert.equal(classifier.classify(span), true);
      assert.equal(classifier.phase, c.phase);
      assert.equal(classifier.isRequest, c.request);
    });
});

describe('isFeatureKey and numericValue', () => {
  const keys: [string, boolean][] = [
    ['txn.amount', true],
    ['ml.request.batch_size', true],
    ['ml.preprocess.null_count', true],
    ['ml.predict.total_duration_ms', false],
    ['ml.preprocess.duration_ms', false],
    ['ml.prediction.score', false],
    ['user.id', false],
    ['request_id', false],
    ['id', false],
    ['http.response.status_code', true],
  ];
  for (const [key, want] of keys) it(key, () => assert.equal(new SpanClassifier().isFeatureKey(key), want));

  it('reads ints and doubles only', () => {
    assert.equal(numericValue(7n), 7);
    assert.equal(numericValue(2.5), 2.5);
    assert.equal(numericValue('7'), undefined);
    assert.equal(numericValue(true), undefined);
    assert.equal(numericValue(undefined), undefined);
  });
});

describe('GenAI conventions', () => {
  it('takes the response model over the request model, and the system or provider', () => {
    const classifier = new SpanClassifier();
    assert.equal(
      classifier.genAiModel(
        attrs({ 'gen_ai.request.model': 'gpt-4o', 'gen_ai.response.model': 'gpt-4o-2024-08-06' }),
      ),
      'gpt-4o-2024-08-06',
    );
    assert.equal(classifier.genAiModel(attrs({ 'gen_ai.request.model': 'gpt-4o' })), 'gpt-4o');
    assert.equal(classifier.genAiModel(attrs({ 'ml.model.name': 'm' })), undefined);
    assert.equal(genAiSystemOf(attrs({ 'gen_ai.system': 'openai' })), 'openai');
    assert.equal(genAiSystemOf(attrs({ 'gen_ai.provider.name': 'anthropic' })), 'anthropic');
    assert.equal(genAiSystemOf(attrs({})), 'unknown');
  });

  it('times spans in ms without bigint rounding artefacts', () => {
    const classifier = new SpanClassifier();
    classifier.classify(timed(makeSpan({ trace: 1, span: 1 }), 1_760_000_701_234, 12.5));
    assert.equal(classifier.endMs, 1_760_000_701_234);
    assert.ok(Math.abs(classifier.durationMs - 12.5) < 1e-3);
  });

  it('reads time to first token from the attribute, else the first completion event', () => {
    const base = timed(makeSpan({ trace: 1, span: 1, name: 'chat gpt-4o' }), 10_000, 2_000);
    const withAttribute = { ...base, attributes: attrs({ 'gen_ai.server.time_to_first_token': 0.25 }) };
    assert.equal(timeToFirstTokenMs(withAttribute), 250);
    const event = (name: string, offsetMs: number) => ({
      name,
      timeUnixNano: base.startTimeUnixNano + BigInt(offsetMs) * 1_000_000n,
      attributes: attrs({}),
      droppedAttributesCount: 0,
    });
    const withEvents = {
      ...base,
      events: [event('gen_ai.user.message', 1), event('gen_ai.choice', 340), event('gen_ai.choice', 900)],
    };
    assert.equal(timeToFirstTokenMs(withEvents), 340);
    assert.equal(timeToFirstTokenMs(base), undefined);
  });
});
