import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attrs, makeSpan, resource } from '../../storage/contract-fixtures.ts';
import { MlAnalytics } from './ml-analytics.ts';
import { T0_MS, timed, workload } from './synthetic-spans.ts';

const MINUTE_MS = 60_000;
const NOW_MS = T0_MS + 3 * MINUTE_MS;
const ALL = { startMs: T0_MS, endMs: NOW_MS };

function engine(): MlAnalytics {
  return new MlAnalytics({ nowMs: () => NOW_MS });
}

const SECRET = 'SECRET-PAYLOAD';
const REMOVE = Symbol('remove');
type Path = readonly (string | number)[];

/** A copy of `json` with the field at `path` set to `value` (or removed); the root itself when `path` is empty. */
function withField(json: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(json) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === REMOVE) delete node[last];
  else node[last] = value;
  return copy;
}

/** 3 minutes of two versions and one GenAI call: enough slots for every path below. */
async function good(): Promise<unknown> {
  const ml = engine();
  await ml.consume(
    workload(61, 300, T0_MS, 3 * MINUTE_MS, [
      { version: '3.1.0', share: 0.5 },
      { version: '3.2.0', share: 0.5 },
    ]),
  );
  const chat = makeSpan({
    trace: 1,
    span: 1,
    name: 'chat',
    resource: resource('assistant'),
    attributes: attrs({ 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 10n }),
  });
  await ml.consume([timed(chat, T0_MS, 1_000)]);
  return JSON.parse(JSON.stringify(ml.snapshot()));
}

describe('MlAnalytics.restore of a malformed snapshot', () => {
  const slot = (version: number, index: number): Path => ['versions', version, 'slots', index, 1];
  const cases: { name: string; path: Path; value: unknown; field: RegExp }[] = [
    { name: 'not an object', path: [], value: SECRET, field: /^snapshot: expected an object$/ },
    { name: 'an array', path: [], value: [SECRET], field: /^snapshot: expected an object$/ },
    { name: 'another format', path: ['format'], value: 2, field: /^snapshot\.format: unsupported$/ },
    { name: 'no format', path: ['format'], value: REMOVE, field: /^snapshot\.format: unsupported$/ },
    { name: 'slotMs a string', path: ['slotMs'], value: SECRET, field: /^snapshot\.slotMs:/ },
    { name: 'slotMs 0', path: ['slotMs'], value: 0, field: /^snapshot\.slotMs:/ },
    { name: 'no counters', path: ['counters'], value: REMOVE, field: /^snapshot\.counters:/ },
    {
      name: 'a negative counter',
      path: ['counters', 'lateSpans'],
      value: -1,
      field: /^snapshot\.counters\.lateSpans:/,
    },
    { name: 'versions not a list', path: ['versions'], value: {}, field: /^snapshot\.versions:/ },
    {
      name: 'a model not a string',
      path: ['versions', 1, 'model'],
      value: { name: SECRET },
      field: /^snapshot\.versions\[1\]\.model: expected a string$/,
    },
    {
      name: 'a negative requestsTotal',
      path: ['versions', 0, 'requestsTotal'],
      value: -5,
      field: /^snapshot\.versions\[0\]\.requestsTotal:/,
    },
    {
      name: 'a placement not a pair',
      path: ['versions', 0, 'placements'],
      value: [[SECRET]],
      field: /^snapshot\.versions\[0\]\.placements\[\]: expected a pair$/,
    },
    {
      name: 'a fractional slot index',
      path: ['versions', 1, 'slots', 2, 0],
      value: 1.5,
      field: /^snapshot\.versions\[1\]\.slots\[2\]\[0\]: expected an integer$/,
    },
    {
      name: 'a slot without requests',
      path: [...slot(1, 0), 'requests'],
      value: REMOVE,
      field: /^snapshot\.versions\[1\]\.slots\[0\]\[1\]\.requests:/,
    },
    {
      name: 'a sketch of another accuracy',
      path: [...slot(0, 0), 'latencyMs', 'relativeAccuracy'],
      value: 0.02,
      field: /^snapshot\.versions\[0\]\.slots\[0\]\[1\]\.latencyMs\.relativeAccuracy:/,
    },
    {
      name: 'a bucket of weight 0',
      path: [...slot(0, 0), 'scores', 'positive', 0, 1],
      value: 0,
      field: /\.scores\.positive\[\]: expected a finite number > 0$/,
    },
    {
      name: 'two phase sketches',
      path: [...slot(0, 0), 'phasesMs'],
      value: [null, null],
      field: /\.phasesMs: expected 3 entries$/,
    },
    {
      name: 'a feature without a sketch',
      path: [...slot(0, 0), 'features', 0, 1],
      value: null,
      field: /\.features\[\]: expected an object$/,
    },
    {
      name: 'GenAI tokens as a string',
      path: ['genAi', 0, 'slots', 0, 1, 'inputTokens'],
      value: SECRET,
      field: /^snapshot\.genAi\[0\]\.slots\[0\]\[1\]\.inputTokens: expected a finite number$/,
    },
  ];
  for (const { name, path, value, field } of cases)
    it(`refuses ${name}, naming the field and changing nothing`, async () => {
      const snapshot = await good();
      const target = engine();
      assert.throws(
        () => target.restore(withField(snapshot, path, value)),
        (error: unknown) => {
          assert.ok(error instanceof TypeError);
          assert.match(error.message, field);
          assert.ok(!error.message.includes(SECRET), 'the message must not echo the payload');
          return true;
        },
      );
      // Validation runs before anything is applied, even when the bad field is in versions[1].
      assert.deepEqual(target.models(ALL), []);
      assert.equal(target.counters.modelSpans, 0);
      // The untouched snapshot restores, so each row fails only because of its own field.
      assert.equal(engine().restore(snapshot).versionsRestored, 2);
    });
});
