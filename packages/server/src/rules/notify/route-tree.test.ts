import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNotificationConfig } from './parse-notify-config.ts';
import { Route } from './route-tree.ts';

// The tree of Alertmanager's dispatch/route_test.go TestRouteMatch, trimmed.
const TREE = `
route:
  receiver: notify-def
  routes:
    - matchers: [owner="team-A"]
      receiver: notify-A
      routes:
        - matchers: [env="testing"]
          receiver: notify-testing
          group_by: ['...']
        - matchers: [env="production"]
          receiver: notify-productionA
          group_wait: 1m
          continue: true
        - matchers: [env=~"produ.*", job=~".*"]
          receiver: notify-productionB
          group_wait: 30s
          group_interval: 5m
          repeat_interval: 1h
          group_by: [job]
    - matchers: [owner=~"team-(B|C)"]
      group_by: [foo, bar]
      group_wait: 2m
      receiver: notify-BC
    - matchers: [group_by="role"]
      group_by: [role]
      routes:
        - matchers: [env="testing"]
          receiver: notify-testing
          routes:
            - matchers: [wait="long"]
              group_wait: 2m
receivers:
  - name: notify-def
  - name: notify-A
  - name: notify-testing
  - name: notify-productionA
  - name: notify-productionB
  - name: notify-BC
`;

const root = new Route(parseNotificationConfig(TREE, 'tree.yml').route);

const CASES: { labels: Record<string, string>; receivers: string[]; groupWaitMs?: number[] }[] = [
  { labels: { owner: 'team-A' }, receivers: ['notify-A'] },
  { labels: { owner: 'team-A', env: 'unset' }, receivers: ['notify-A'] },
  { labels: { owner: 'team-C' }, receivers: ['notify-BC'], groupWaitMs: [120_000] },
  {
    labels: { owner: 'team-A', env: 'production' },
    receivers: ['notify-productionA', 'notify-productionB'],
    groupWaitMs: [60_000, 30_000],
  },
  { labels: { owner: 'team-A', env: 'testing' }, receivers: ['notify-testing'] },
  { labels: { owner: 'team-Z' }, receivers: ['notify-def'] },
  {
    labels: { group_by: 'role', env: 'testing', wait: 'long' },
    receivers: ['notify-testing'],
    groupWaitMs: [120_000],
  },
  { labels: { group_by: 'role' }, receivers: ['notify-def'] },
];

test('routing: deepest match, first sibling wins unless continue', () => {
  for (const { labels, receivers, groupWaitMs } of CASES) {
    const matches = root.match(labels);
    assert.deepEqual(
      matches.map((r) => r.options.receiver),
      receivers,
      JSON.stringify(labels),
    );
    if (groupWaitMs)
      assert.deepEqual(
        matches.map((r) => r.options.groupWaitMs),
        groupWaitMs,
        JSON.stringify(labels),
      );
  }
});

test('options inherit from the parent; group_by `...` groups by all labels', () => {
  const [testing, productionA, productionB] = root
    .match({ owner: 'team-A', env: 'testing' })
    .concat(root.match({ owner: 'team-A', env: 'production' }));
  assert.equal(testing?.options.groupByAll, true);
  assert.equal(productionA?.options.groupIntervalMs, 300_000, 'root default');
  assert.equal(productionA?.options.repeatIntervalMs, 4 * 3_600_000, 'root default');
  assert.deepEqual([...(productionB?.options.groupBy ?? [])], ['job']);
  assert.equal(productionB?.options.repeatIntervalMs, 3_600_000);
  const [role] = root.match({ group_by: 'role', env: 'testing', wait: 'long' });
  assert.deepEqual([...(role?.options.groupBy ?? [])], ['role'], 'inherited through two levels');
});

test('route keys and ids are Alertmanager Route.Key() / ID()', () => {
  const [productionA, productionB] = root.match({ owner: 'team-A', env: 'production' });
  assert.equal(root.key, '{}');
  assert.equal(productionA?.key, '{}/{owner="team-A"}/{env="production"}');
  assert.equal(productionB?.key, '{}/{owner="team-A"}/{env=~"produ.*",job=~".*"}');
  assert.equal(productionB?.id, '{}/{owner="team-A"}/{env=~"produ.*",job=~".*"}/2');
});
