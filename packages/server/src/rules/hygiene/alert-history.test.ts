import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { AlertTransition } from '../rule-types.ts';
import { AlertHistory } from './alert-history.ts';
import { parseRecord, serializeRecord } from './history-file.ts';

const HOUR = 3_600_000;
const NOW = 100 * HOUR;

function transition(
  i: number,
  to: AlertTransition['to'],
  labels: Record<string, string> = { alertname: 'A' },
): AlertTransition {
  return {
    groupKey: 'rules.yml;g',
    alertname: labels['alertname'] ?? 'A',
    labels,
    from: to === 'firing' ? 'pending' : to === 'pending' ? 'inactive' : 'firing',
    to,
    atMs: NOW - 50 * HOUR + i * HOUR,
    value: to === 'inactive' ? NaN : 0.97,
  };
}

describe('AlertHistory', () => {
  let dir = '';
  const logs: string[] = [];
  const log = (line: string): void => void logs.push(line);
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-alert-history-'));
    logs.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('survives a restart: transitions and acknowledgements are reloaded from the file', () => {
    const first = new AlertHistory({ dir, log });
    first.record(transition(0, 'firing'));
    first.record(transition(1, 'inactive'));
    const ack = first.acknowledge({ alertname: 'A' }, 'ana', NOW - 50 * HOUR + 30 * 60_000, 'looking');
    const before = first.hygieneReport(NOW, 7 * 24 * HOUR);

    const second = new AlertHistory({ dir, log });
    assert.deepEqual(second.acknowledgements(), [ack]);
    assert.deepEqual(second.hygieneReport(NOW, 7 * 24 * HOUR), before);
    assert.equal(before.alerts[0]?.timesFired, 1);
    assert.equal(before.alerts[0]?.firedWithoutAck, 0);
    assert.deepEqual(logs, []);
  });

  test('NaN values round-trip through the JSON-lines file', () => {
    const record = { kind: 'transition', transition: transition(1, 'inactive') } as const;
    const parsed = parseRecord(serializeRecord(record));
    assert.ok(parsed?.kind === 'transition');
    assert.ok(Number.isNaN(parsed.transition.value));
  });

  test('memory is bounded: the oldest transitions are dropped and counted', () => {
    const history = new AlertHistory({ maxTransitions: 4, log });
    for (let i = 0; i < 10; i++) history.record(transition(i, i % 2 === 0 ? 'firing' : 'inactive'));
    assert.equal(history.droppedTransitions, 6);
    const report = history.hygieneReport(NOW, 100 * HOUR);
    assert.equal(report.droppedTransitions, 6);
    assert.equal(report.alerts[0]?.timesFired, 2);
  });

  test('the file is rewritten, trimmed to half its limit, when it grows past it', () => {
    const maxFileBytes = 4096;
    const history = new AlertHistory({ dir, maxFileBytes, log });
    for (let i = 0; i < 100; i++) history.record(transition(i, i % 2 === 0 ? 'firing' : 'inactive'));
    const file = path.join(dir, 'alert-history.jsonl');
    assert.ok(statSync(file).size <= maxFileBytes, `file is ${statSync(file).size} bytes`);
    assert.ok(history.droppedTransitions > 0);
    const reloaded = new AlertHistory({ dir, maxFileBytes, log });
    assert.equal(reloaded.droppedTransitions, 0);
    // What was kept in memory is what the file holds.
    assert.deepEqual(
      reloaded.hygieneReport(NOW, 100 * HOUR).alerts,
      history.hygieneReport(NOW, 100 * HOUR).alerts,
    );
  });

  test('unreadable lines are skipped and counted; a torn last line does not lose the rest', () => {
    const first = new AlertHistory({ dir, log });
    first.record(transition(0, 'firing'));
    const file = path.join(dir, 'alert-history.jsonl');
    appendFileSync(
      file,
      '{"kind":"transition","alertname":1}\nnot json\n{"kind":"ack","id":"x","by":"a","atMs":1',
    );
    const second = new AlertHistory({ dir, log });
    assert.equal(second.corruptLines, 3);
    assert.equal(second.hygieneReport(NOW, 100 * HOUR).alerts[0]?.timesFired, 1);
    assert.equal(logs.length, 1);
  });

  test('a failing write is logged once and counted, and record() does not throw', () => {
    const blocked = path.join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the directory should be');
    const history = new AlertHistory({ dir: path.join(blocked, 'sub'), log });
    history.record(transition(0, 'firing'));
    history.record(transition(1, 'inactive'));
    assert.equal(history.writeFailures, 2);
    assert.equal(logs.length, 2, 'one line for the unreadable file, one for the failing writes');
    assert.equal(history.hygieneReport(NOW, 100 * HOUR).alerts[0]?.timesFired, 1, 'still counted in memory');
  });

  test('acknowledging by fingerprint stores the fingerprint; labels are copied', () => {
    const history = new AlertHistory({ log });
    const labels = { alertname: 'A', gpu: '0' };
    const byLabels = history.acknowledge(labels, 'ana', 1);
    labels.gpu = '1';
    const byFingerprint = history.acknowledge('0123456789abcdef', 'raj', 2, '');
    assert.deepEqual(byLabels.labels, { alertname: 'A', gpu: '0' });
    assert.equal(byFingerprint.fingerprint, '0123456789abcdef');
    assert.equal(byFingerprint.comment, undefined);
    assert.notEqual(byLabels.id, byFingerprint.id);
  });

  test('the history file is one JSON object per line', () => {
    mkdirSync(dir, { recursive: true });
    const history = new AlertHistory({ dir, log });
    history.record(transition(0, 'firing', { alertname: 'A', __proto__: 'x' }));
    const lines = readFileSync(path.join(dir, 'alert-history.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    const json: unknown = JSON.parse(lines[0] ?? '');
    assert.deepEqual(Object.keys(json as object), [
      'kind',
      'groupKey',
      'alertname',
      'labels',
      'from',
      'to',
      'atMs',
      'value',
    ]);
  });
});
