import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Matcher } from './matchers.ts';
import { SilenceError, Silences, silenceState } from './silences.ts';

const T0 = Date.parse('2024-05-01T12:00:00Z');
const HOUR = 3_600_000;
const byName = (value: string): Matcher[] => [{ name: 'alertname', type: '=', value }];
const input = (over: Partial<Parameters<Silences['set']>[0]> = {}): Parameters<Silences['set']>[0] => ({
  matchers: byName('HighLatency'),
  startsAtMs: T0,
  endsAtMs: T0 + 2 * HOUR,
  createdBy: 'ops',
  comment: 'deploy',
  ...over,
});

test('silence states follow startsAt/endsAt and mute matching alerts only while active', () => {
  const silences = new Silences();
  const id = silences.set(input({ startsAtMs: T0 + HOUR, endsAtMs: T0 + 2 * HOUR }), T0);
  const cases: [number, string, number][] = [
    [T0, 'pending', 0],
    [T0 + HOUR, 'active', 1],
    [T0 + 2 * HOUR, 'expired', 0],
  ];
  for (const [at, state, muted] of cases) {
    const silence = silences.get(id);
    assert.ok(silence);
    assert.equal(silenceState(silence, at), state);
    assert.equal(silences.mutedBy({ alertname: 'HighLatency', service: 'api' }, at).length, muted, state);
    assert.equal(silences.mutedBy({ alertname: 'Other' }, at).length, 0);
  }
});

test('invalid silences are refused with Alertmanager messages', () => {
  const silences = new Silences();
  const cases: [Partial<Parameters<Silences['set']>[0]>, RegExp][] = [
    [{ matchers: [] }, /at least one matcher required/],
    [{ matchers: [{ name: 'a', type: '=~', value: '.*' }] }, /must not match the empty string/],
    [{ endsAtMs: T0 }, /start time must be before end time/],
    [{ startsAtMs: T0 - 3 * HOUR, endsAtMs: T0 - HOUR }, /end time can't be in the past/],
    [{ matchers: [{ name: 'a', type: '=~', value: '(' }] }, /invalid regular expression/],
    [{ id: 'no-such-id' }, /not found/],
  ];
  for (const [over, message] of cases) {
    assert.throws(
      () => silences.set(input(over), T0),
      (e: unknown) => e instanceof SilenceError && message.test(e.message),
    );
  }
});

test('updates keep the id when allowed, otherwise expire and replace (Silences.Set)', () => {
  const silences = new Silences();
  const id = silences.set(input(), T0);
  // Active: extending endsAt keeps the id.
  assert.equal(silences.set(input({ id, endsAtMs: T0 + 5 * HOUR }), T0 + HOUR), id);
  assert.equal(silences.get(id)?.endsAtMs, T0 + 5 * HOUR);
  // Changing matchers creates a new silence and expires the old one.
  const replacement = silences.set(input({ id, matchers: byName('Other') }), T0 + HOUR);
  assert.notEqual(replacement, id);
  assert.equal(silenceState(silences.get(id) ?? input(), T0 + HOUR), 'expired');
  // A start in the past becomes now.
  assert.equal(silences.get(replacement)?.startsAtMs, T0 + HOUR);
});

test('expire: active ends now, pending starts and ends now, expired is an error', () => {
  const silences = new Silences();
  const active = silences.set(input(), T0);
  const pending = silences.set(input({ startsAtMs: T0 + HOUR }), T0);
  silences.expire(active, T0 + 1000);
  silences.expire(pending, T0 + 1000);
  assert.equal(silences.get(active)?.endsAtMs, T0 + 1000);
  assert.deepEqual(
    [silences.get(pending)?.startsAtMs, silences.get(pending)?.endsAtMs],
    [T0 + 1000, T0 + 1000],
  );
  assert.throws(() => silences.expire(active, T0 + 2000), /already expired/);
  assert.throws(
    () => silences.expire('nope', T0),
    (e: unknown) => e instanceof SilenceError && e.kind === 'not_found',
  );
});

test('list orders active, pending, expired; GC drops expired ones after the retention', () => {
  const silences = new Silences({ retentionMs: HOUR });
  const expired = silences.set(input(), T0);
  silences.expire(expired, T0 + 1);
  const pending = silences.set(input({ startsAtMs: T0 + HOUR, endsAtMs: T0 + 3 * HOUR }), T0 + 1);
  const active = silences.set(input({ endsAtMs: T0 + 4 * HOUR }), T0 + 1);
  assert.deepEqual(
    silences.list(T0 + 2).map((s) => s.id),
    [active, pending, expired],
  );
  silences.collectGarbage(T0 + HOUR + 1);
  assert.equal(silences.get(expired), undefined);
  assert.ok(silences.get(active));
});

test('silences persist across restarts; a damaged file does not stop startup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-silences-'));
  try {
    const first = new Silences({ dir });
    const id = first.set(input({ matchers: [{ name: 'service', type: '=~', value: 'api|web' }] }), T0);
    const reopened = new Silences({ dir });
    assert.deepEqual(reopened.get(id), first.get(id));
    assert.equal(reopened.mutedBy({ service: 'web' }, T0 + 1).length, 1);
    assert.match(readFileSync(join(dir, 'silences.json'), 'utf8'), /"version":1/);
    writeFileSync(join(dir, 'silences.json'), '{"silences": [{"id": 3}, ');
    assert.equal(new Silences({ dir }).list(T0).length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the number of silences is bounded', () => {
  const silences = new Silences({ maxSilences: 2 });
  silences.set(input(), T0);
  silences.set(input(), T0);
  assert.throws(
    () => silences.set(input(), T0),
    (e: unknown) => e instanceof SilenceError && e.kind === 'limit',
  );
});
