import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { Decision } from '../decision.ts';
import { DEFAULT_HASH_SALT, hashTraceId, ProbabilisticPolicy, samplingThreshold } from './probabilistic-policy.ts';

/** FNV-1a 64 with BigInt, straight from the definition, to check the two-halves version. */
function referenceFnv1a64(bytes: Uint8Array): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash;
}

const asBigInt = ({ hi, lo }: { hi: number; lo: number }) => (BigInt(hi) << 32n) | BigInt(lo);
const utf8 = (text: string) => new TextEncoder().encode(text);
/** Fixed, well-spread trace ids, so the statistical test gives the same answer on every run. */
const traceIdOf = (n: number) => createHash('sha256').update(`trace-${n}`).digest('hex').slice(0, 32);

describe('probabilistic hashing (upstream hashTraceID)', () => {
  it('matches FNV-1a 64 over salt bytes then the 16 trace id bytes', () => {
    for (let i = 0; i < 200; i++) {
      const traceId = traceIdOf(i);
      const salt = utf8(i % 2 === 0 ? DEFAULT_HASH_SALT : `salt-${i}`);
      const expected = referenceFnv1a64(new Uint8Array([...salt, ...Buffer.from(traceId, 'hex')]));
      assert.equal(asBigInt(hashTraceId(salt, traceId)), expected, traceId);
    }
  });

  it('checks against a reference that gives the published FNV-1a 64 vector', () => {
    assert.equal(referenceFnv1a64(utf8('a')), 0xaf63dc4c8601ec8cn);
  });

  it('threshold is MaxUint64 × ratio, clamped', () => {
    const max = 0xffffffffffffffffn;
    assert.equal(asBigInt(samplingThreshold(0.5)), max / 2n);
    assert.equal(asBigInt(samplingThreshold(1)), max);
    assert.equal(asBigInt(samplingThreshold(1.5)), max);
    assert.equal(asBigInt(samplingThreshold(0)), 0n);
    assert.equal(asBigInt(samplingThreshold(-1)), 0n);
    const tenth = asBigInt(samplingThreshold(0.1));
    assert.ok(tenth > (max / 10n) - 4096n && tenth < (max / 10n) + 4096n);
  });
});

describe('probabilistic policy', () => {
  const traceIds = Array.from({ length: 10_000 }, (_, i) => traceIdOf(i));
  const keptShare = (policy: ProbabilisticPolicy) =>
    traceIds.filter((traceId) => policy.evaluate({ traceId, spans: [] }) === Decision.Sampled).length;

  it('keeps about 10 % of traces (binomial, 4 sigma)', () => {
    const kept = keptShare(new ProbabilisticPolicy('', 10));
    const sigma = Math.sqrt(10_000 * 0.1 * 0.9); // 30
    assert.ok(Math.abs(kept - 1000) < 4 * sigma, `kept ${kept}`);
  });

  it('is deterministic per trace id and salt, and the salt changes the sample', () => {
    const a = new ProbabilisticPolicy('layer-1', 50);
    const b = new ProbabilisticPolicy('layer-1', 50);
    const c = new ProbabilisticPolicy('layer-2', 50);
    const verdicts = (policy: ProbabilisticPolicy) => traceIds.slice(0, 500).map((traceId) => policy.evaluate({ traceId, spans: [] }));
    assert.deepEqual(verdicts(a), verdicts(b));
    assert.notDeepEqual(verdicts(a), verdicts(c));
  });

  it('a lower percentage keeps a subset of a higher one (same salt)', () => {
    const low = new ProbabilisticPolicy('', 5);
    const high = new ProbabilisticPolicy('', 20);
    for (const traceId of traceIds) {
      if (low.evaluate({ traceId, spans: [] }) === Decision.Sampled) {
        assert.equal(high.evaluate({ traceId, spans: [] }), Decision.Sampled);
      }
    }
  });

  it('carries the inverse keep probability as adjusted count', () => {
    assert.equal(new ProbabilisticPolicy('', 10).adjustedCount, 10);
    assert.equal(new ProbabilisticPolicy('', 25).adjustedCount, 4);
    assert.equal(new ProbabilisticPolicy('', 250).adjustedCount, 1);
  });
});
