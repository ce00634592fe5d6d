import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fingerprint } from '../notify/label-set.ts';
import type { AlertTransition } from '../rule-types.ts';
import { hygieneReport, type HygieneInput } from './hygiene-report.ts';
import type { Acknowledgement } from './hygiene-types.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = 30 * DAY;
const WEEK = 7 * DAY;

type Labels = Record<string, string>;

/** Transitions of one firing episode: pending at `pendingAt` (if given), firing, resolved. */
function episode(
  labels: Labels,
  times: { pendingAt?: number; firingAt: number; resolvedAt?: number },
): AlertTransition[] {
  const base = { groupKey: 'rules.yml;g', alertname: labels['alertname'] ?? '', labels, value: 1 };
  const out: AlertTransition[] = [];
  if (times.pendingAt !== undefined)
    out.push({ ...base, from: 'inactive', to: 'pending', atMs: times.pendingAt });
  out.push({
    ...base,
    from: times.pendingAt === undefined ? 'inactive' : 'pending',
    to: 'firing',
    atMs: times.firingAt,
  });
  if (times.resolvedAt !== undefined)
    out.push({ ...base, from: 'firing', to: 'inactive', atMs: times.resolvedAt, value: NaN });
  return out;
}

function input(transitions: AlertTransition[], acknowledgements: Acknowledgement[] = []): HygieneInput {
  return { transitions, acknowledgements, droppedTransitions: 0 };
}

const gpu0 = { alertname: 'GPUMemoryPressure', gpu: '0' };
const gpu1 = { alertname: 'GPUMemoryPressure', gpu: '1' };

describe('hygieneReport', () => {
  test('counts firings, firing time inside the window, and duration percentiles', () => {
    const start = NOW - WEEK;
    const transitions = [
      // Began before the window and ended inside it: firing time counts from the window start only.
      ...episode(gpu0, { firingAt: start - HOUR, resolvedAt: start + 30 * MIN }),
      ...episode(gpu0, { firingAt: start + DAY, resolvedAt: start + DAY + 10 * MIN }),
      ...episode(gpu1, { firingAt: start + 2 * DAY, resolvedAt: start + 2 * DAY + 20 * MIN }),
      // Still firing at NOW.
      ...episode(gpu1, { firingAt: NOW - 5 * MIN }),
    ];
    const report = hygieneReport(input(transitions), NOW, WEEK);
    assert.equal(report.windowStartMs, start);
    const alert = report.alerts[0];
    assert.equal(alert?.alertname, 'GPUMemoryPressure');
    assert.equal(alert?.timesFired, 3);
    assert.equal(alert?.firingTimeMs, 30 * MIN + 10 * MIN + 20 * MIN + 5 * MIN);
    assert.equal(alert?.medianFiringMs, 10 * MIN);
    assert.equal(alert?.p90FiringMs, 20 * MIN);
    assert.deepEqual(
      alert?.series.map((series) => [
        series.labels['gpu'],
        series.fingerprint,
        series.timesFired,
        series.firingTimeMs,
      ]),
      [
        ['0', fingerprint(gpu0), 1, 40 * MIN],
        ['1', fingerprint(gpu1), 2, 25 * MIN],
      ],
    );
  });

  test('short episodes suggest raising `for` to cover 90% of them', () => {
    const alert = { alertname: 'InferenceErrorRateHigh' };
    // `for: 3m`: pending 3m, then firing 1..9 minutes; the condition held 4..12 minutes.
    const transitions = [1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((minutes, i) => {
      const pendingAt = NOW - (i + 1) * DAY;
      return episode(alert, {
        pendingAt,
        firingAt: pendingAt + 3 * MIN,
        resolvedAt: pendingAt + (3 + minutes) * MIN,
      });
    });
    const report = hygieneReport(input(transitions), NOW, 14 * DAY);
    const suggestions = report.alerts[0]?.suggestions ?? [];
    // 90% nearest rank of the 9 condition times (4..12m) is 12m; `for` must exceed it: 13m.
    assert.ok(
      suggestions.some((s) => s.startsWith('9 of 9 firing episodes ended within 10m: raise `for` to 13m')),
      suggestions.join('\n'),
    );
  });

  test('re-firing soon after resolving counts as flaps and suggests keep_firing_for', () => {
    const alert = { alertname: 'InferenceP99LatencyHigh' };
    const base = NOW - DAY;
    const transitions = [0, 1, 2, 3].flatMap((i) =>
      episode(alert, { firingAt: base + i * 2 * HOUR, resolvedAt: base + i * 2 * HOUR + HOUR + 40 * MIN }),
    );
    // Gaps between resolve and re-fire: 20m each; the first episode is no flap.
    const report = hygieneReport(input(transitions), NOW, WEEK);
    const stats = report.alerts[0];
    assert.equal(stats?.flaps, 3);
    assert.ok(
      stats?.suggestions.some((s) =>
        s.startsWith('3 of 4 firings came back within 1h of resolving: set `keep_firing_for: 21m`'),
      ),
      stats?.suggestions.join('\n'),
    );
  });

  test('acknowledgements by labels or fingerprint cover the episode under way', () => {
    const base = NOW - DAY;
    const transitions = [
      ...episode(gpu0, { pendingAt: base, firingAt: base + 2 * MIN, resolvedAt: base + HOUR }),
      ...episode(gpu0, { firingAt: base + 3 * HOUR, resolvedAt: base + 4 * HOUR }),
      ...episode(gpu1, { firingAt: base + 5 * HOUR, resolvedAt: base + 6 * HOUR }),
      ...episode(gpu1, { firingAt: base + 7 * HOUR, resolvedAt: base + 8 * HOUR }),
    ];
    const acks: Acknowledgement[] = [
      // During pending: covers the first gpu0 episode.
      { id: 'a', labels: { alertname: 'GPUMemoryPressure', gpu: '0' }, by: 'ana', atMs: base + MIN },
      // By fingerprint, after the third episode resolved but before gpu1 fired again: covers it.
      { id: 'b', fingerprint: fingerprint(gpu1), by: 'raj', atMs: base + 6 * HOUR + 30 * MIN },
      // By another alertname: covers nothing here.
      { id: 'c', labels: { alertname: 'Other' }, by: 'raj', atMs: base + 7 * HOUR + MIN },
    ];
    const report = hygieneReport(input(transitions, acks), NOW, WEEK);
    const alert = report.alerts[0];
    assert.equal(alert?.timesFired, 4);
    assert.equal(alert?.firedWithoutAck, 2);
    assert.deepEqual(
      alert?.series.map((series) => series.firedWithoutAck),
      [1, 1],
    );
  });

  test('frequent unacknowledged firing suggests reviewing the threshold or routing to a ticket', () => {
    const alert = { alertname: 'SLOErrorBudgetBurnRate' };
    const transitions = [1, 2, 3, 4].flatMap((day) =>
      episode(alert, { firingAt: NOW - day * DAY, resolvedAt: NOW - day * DAY + 2 * HOUR }),
    );
    const suggestions = hygieneReport(input(transitions), NOW, WEEK).alerts[0]?.suggestions;
    assert.deepEqual(suggestions, [
      '4 of 4 firings were never acknowledged: review the threshold or route to a ticket instead of a page',
    ]);
  });

  test('an alert that never fired, or fired too rarely, gets no suggestion', () => {
    const pendingOnly: AlertTransition[] = [
      {
        groupKey: 'g',
        alertname: 'Quiet',
        labels: { alertname: 'Quiet' },
        from: 'inactive',
        to: 'pending',
        atMs: NOW - HOUR,
        value: 1,
      },
      {
        groupKey: 'g',
        alertname: 'Quiet',
        labels: { alertname: 'Quiet' },
        from: 'pending',
        to: 'inactive',
        atMs: NOW - 50 * MIN,
        value: NaN,
      },
    ];
    const rare = episode({ alertname: 'Rare' }, { firingAt: NOW - DAY, resolvedAt: NOW - DAY + MIN });
    const report = hygieneReport(input([...pendingOnly, ...rare]), NOW, WEEK);
    assert.deepEqual(
      report.alerts.map((alert) => [
        alert.alertname,
        alert.timesFired,
        alert.suggestions.length,
        alert.medianFiringMs,
      ]),
      [
        ['Rare', 1, 0, MIN],
        ['Quiet', 0, 0, null],
      ],
    );
  });

  test('only what happened at or before nowMs counts, and the oldest data may be marked missing', () => {
    const transitions = episode(gpu0, { firingAt: NOW - HOUR, resolvedAt: NOW + HOUR });
    const report = hygieneReport({ ...input(transitions), droppedTransitions: 7 }, NOW, WEEK);
    assert.equal(report.alerts[0]?.firingTimeMs, HOUR);
    assert.equal(report.alerts[0]?.medianFiringMs, null, 'still firing at NOW');
    assert.equal(report.droppedTransitions, 7);
  });

  test('options change the thresholds', () => {
    const alert = { alertname: 'A' };
    const transitions = [1, 2].flatMap((day) =>
      episode(alert, { firingAt: NOW - day * DAY, resolvedAt: NOW - day * DAY + MIN }),
    );
    assert.deepEqual(hygieneReport(input(transitions), NOW, WEEK).alerts[0]?.suggestions, []);
    const lenient =
      hygieneReport(input(transitions), NOW, WEEK, { minEpisodes: 2 }).alerts[0]?.suggestions ?? [];
    assert.equal(lenient.length, 2, lenient.join('\n'));
  });
});
