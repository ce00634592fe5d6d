import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNotificationConfig } from './parse-notify-config.ts';
import { anyIntervalContains } from './time-intervals.ts';

const config = parseNotificationConfig(
  `
route: { receiver: r }
receivers: [{ name: r }]
time_intervals:
  - name: office
    time_intervals:
      - times: [{ start_time: "09:00", end_time: "17:00" }]
        weekdays: ['monday:friday']
  - name: month-end
    time_intervals:
      - days_of_month: ['-2:-1']
        months: [january, '3']
  - name: berlin-night
    time_intervals:
      - times: [{ start_time: "00:00", end_time: "06:00" }]
        location: Europe/Berlin
        years: ['2024:2025']
`,
  'ti.yml',
);

const CASES: { name: string; at: string; expected: boolean }[] = [
  { name: 'office', at: '2024-05-06T09:00:00Z', expected: true }, // Monday, start inclusive
  { name: 'office', at: '2024-05-06T17:00:00Z', expected: false }, // end exclusive
  { name: 'office', at: '2024-05-04T12:00:00Z', expected: false }, // Saturday
  { name: 'month-end', at: '2024-01-30T12:00:00Z', expected: true },
  { name: 'month-end', at: '2024-01-29T12:00:00Z', expected: false },
  { name: 'month-end', at: '2024-03-31T00:00:00Z', expected: true },
  { name: 'month-end', at: '2024-02-28T00:00:00Z', expected: false }, // February not listed
  { name: 'berlin-night', at: '2024-07-01T23:30:00Z', expected: true }, // 01:30 CEST
  { name: 'berlin-night', at: '2024-07-01T05:30:00Z', expected: false }, // 07:30 CEST
  { name: 'berlin-night', at: '2026-07-01T23:30:00Z', expected: false }, // year outside
];

test('time intervals contain the instants Alertmanager would mute', () => {
  for (const { name, at, expected } of CASES) {
    assert.equal(
      anyIntervalContains(config.timeIntervals.get(name) ?? [], Date.parse(at)),
      expected,
      `${name} @ ${at}`,
    );
  }
});
