import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from '../../../model/attributes.ts';
import { attrs, hexId, makeLog, resource } from '../../../storage/contract-fixtures.ts';
import { jsonLine, rawLine, UnencodableLineError } from './loki-line.ts';

/** Lines as Go's encoding/json writes the upstream lokiEntry struct for the same record. */
const BODY_CASES: { name: string; body: AttributeValue; json: string | undefined }[] = [
  { name: 'string, HTML characters escaped as Go does', body: 'a <b> & "c"\n', json: '"a \\u003cb\\u003e \\u0026 \\"c\\"\\n"' },
  { name: 'int beyond 2^53 exact', body: 9_007_199_254_740_993n, json: '9007199254740993' },
  { name: 'double', body: 0.1, json: '0.1' },
  { name: 'whole double', body: 3, json: '3' },
  { name: 'tiny double in exponent form', body: 1e-7, json: '1e-7' },
  { name: 'negative zero', body: -0, json: '-0' },
  { name: 'bool', body: true, json: 'true' },
  { name: 'bytes as base64', body: new Uint8Array([0, 1, 254]), json: '"AAH+"' },
  { name: 'kvlist with keys sorted', body: new Map<string, AttributeValue>([['z', 1n], ['a', ['x', null]]]), json: '{"a":["x",null],"z":1}' },
  { name: 'empty body left out', body: null, json: undefined },
];

void describe('jsonLine', () => {
  for (const c of BODY_CASES) {
    void it(`body: ${c.name}`, () => {
      const record = makeLog(1, { body: c.body, attributes: attrs({}), severityText: '', scope: { ...makeLog(1).scope, name: '' } });
      const line = jsonLine(record, record.attributes, attrs({}));
      assert.equal(line, c.json === undefined ? '{}' : `{"body":${c.json}}`);
    });
  }

  void it('writes every field in upstream order, empty ones left out', () => {
    const record = makeLog(1, { traceId: hexId(1, 32), spanId: hexId(2, 16), flags: 1, resource: resource('api') });
    const line = jsonLine(record, attrs({ n: 1n, 'a.b': 'x' }), record.resource.attributes);
    assert.equal(
      line,
      `{"body":"request 1 served","traceid":"${hexId(1, 32)}","spanid":"${hexId(2, 16)}","severity":"INFO","flags":1,` +
        '"attributes":{"a.b":"x","n":1},"resources":{"service.name":"api"},"instrumentation_scope":{"name":"vigil.test","version":"1.2.3"}}',
    );
    assert.deepEqual(Object.keys(JSON.parse(line) as object), ['body', 'traceid', 'spanid', 'severity', 'flags', 'attributes', 'resources', 'instrumentation_scope']);
  });

  void it('refuses NaN and ±Inf as Go\'s encoder does', () => {
    const record = makeLog(1, { body: NaN });
    assert.throws(() => jsonLine(record, attrs({}), attrs({})), UnencodableLineError);
    assert.throws(() => jsonLine(makeLog(1), attrs({ x: -Infinity }), attrs({})), UnencodableLineError);
  });

  void it('raw lines are the body as text', () => {
    assert.equal(rawLine(makeLog(3)), 'request 3 served');
    assert.equal(rawLine(makeLog(3, { body: 42n })), '42');
  });
});
