import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isStaleNaN } from '../../../query/promql/values.ts';
import { parseScrapeConfigs, type ScrapeConfig } from './scrape-config.ts';
import { ScrapeLoop, scrapeOffsetMs, staleMarkerValues } from './scrape-loop.ts';
import { populateTarget } from './scrape-target.ts';
import { RecordingStore, startTarget, stubParse, type TestTarget } from './scrape-test-support.ts';

const targets: TestTarget[] = [];
after(() => Promise.all(targets.map((t) => t.close())));

async function setup(body: string, job: Record<string, unknown> = {}): Promise<{ target: TestTarget; loop: ScrapeLoop; store: RecordingStore; config: ScrapeConfig }> {
  const target = await startTarget(body);
  targets.push(target);
  const [config] = parseScrapeConfigs({
    scrape_configs: [{ job_name: 'app', scrape_interval: '10s', static_configs: [{ targets: [target.address] }], ...job }],
  });
  assert.ok(config);
  const scrapeTarget = populateTarget(config, new Map([['__address__', target.address]]));
  assert.ok(scrapeTarget);
  const store = new RecordingStore();
  const loop = new ScrapeLoop(scrapeTarget, config, { store, parse: stubParse, acceptHeader: 'text/plain;version=0.0.4', log: () => {} });
  return { target, loop, store, config };
}

test('a successful scrape stores samples with target labels at the scrape time, and up=1', async () => {
  const { target, loop, store } = await setup('a_total{path="/x"} 3\nb 1.5\n');
  const health = await loop.scrapeOnce(1_000_000);
  assert.equal(health.up, true);
  const a = store.samples().find((s) => s.name === 'a_total');
  assert.deepEqual(a, { name: 'a_total', labels: { path: '/x', job: 'app', instance: target.address }, timestampMs: 1_000_000, value: 3 });
  assert.equal(store.last('up'), 1);
  assert.equal(store.last('scrape_samples_scraped'), 2);
  assert.equal(store.last('scrape_samples_post_metric_relabeling'), 2);
  assert.equal(store.last('scrape_series_added'), 2);
  assert.equal(target.requests[0]?.accept, 'text/plain;version=0.0.4');
  assert.equal(target.requests[0]?.['x-prometheus-scrape-timeout-seconds'], '10');
});

test('a target hanging past scrape_timeout is up=0 with a duration close to the timeout', async () => {
  const { target, loop, store } = await setup('', { scrape_timeout: '300ms' });
  target.respond = () => {};
  const health = await loop.scrapeOnce(1_000);
  assert.equal(health.up, false);
  assert.match(health.error ?? '', /deadline exceeded/);
  assert.ok(health.durationSeconds >= 0.29 && health.durationSeconds < 0.8, `duration ${health.durationSeconds}`);
  assert.equal(store.last('up'), 0);
  assert.ok(Math.abs((store.last('scrape_duration_seconds') ?? 0) - 0.3) < 0.3);
});

test('exceeding sample_limit fails the whole scrape: up=0 and no sample stored', async () => {
  const { loop, store } = await setup('a 1\nb 2\nc 3\n', { sample_limit: 2 });
  const health = await loop.scrapeOnce(1_000);
  assert.equal(health.up, false);
  assert.match(health.error ?? '', /sample_limit exceeded/);
  assert.deepEqual(store.samples().map((s) => s.name).filter((n) => !n.startsWith('scrape_') && n !== 'up'), []);
  assert.equal(store.last('scrape_samples_scraped'), 3);
  assert.equal(store.last('scrape_samples_post_metric_relabeling'), 0);
});

test('label limits fail the whole scrape', async () => {
  for (const [limit, value] of [['label_limit', 3], ['label_name_length_limit', 3], ['label_value_length_limit', 3]] as const) {
    const { loop, store } = await setup('metric{long_name="long value"} 1\n', { [limit]: value });
    const health = await loop.scrapeOnce(1_000);
    assert.equal(health.up, false, limit);
    assert.match(health.error ?? '', new RegExp(`${limit} exceeded`));
    assert.ok(!(health.error ?? '').includes('long value'), 'no label values in errors');
    assert.equal(store.samples().filter((s) => s.name === 'metric').length, 0);
  }
});

test('a malformed exposition is up=0', async () => {
  const { loop, store } = await setup('this is { not metrics\n');
  const health = await loop.scrapeOnce(1_000);
  assert.equal(health.up, false);
  assert.match(health.error ?? '', /line 1/);
  assert.equal(store.last('up'), 0);
});

test('a non-200 answer is up=0', async () => {
  const { target, loop } = await setup('');
  target.respond = (res) => res.writeHead(500).end('secret payload');
  const health = await loop.scrapeOnce(1_000);
  assert.equal(health.error, 'server returned HTTP status 500 Internal Server Error');
});

test('series that disappear get stale markers; a failed scrape marks all; stop(true) marks everything', async () => {
  const { target, loop, store } = await setup('a 1\nb 2\n');
  await loop.scrapeOnce(1_000);
  target.respond = (res) => res.writeHead(200).end('a 1\n');
  await loop.scrapeOnce(2_000);
  const staleB = store.samples().filter((s) => s.name === 'b' && s.timestampMs === 2_000);
  assert.equal(staleB.length, 1);
  assert.ok(isStaleNaN(staleB[0]?.value ?? 0));
  assert.ok(!store.samples().some((s) => s.name === 'a' && isStaleNaN(s.value)));
  target.respond = (res) => res.writeHead(503).end();
  await loop.scrapeOnce(3_000);
  assert.ok(store.samples().some((s) => s.name === 'a' && s.timestampMs === 3_000 && isStaleNaN(s.value)));
  target.respond = (res) => res.writeHead(200).end('c 1\n');
  await loop.scrapeOnce(4_000);
  const before = store.samples().length;
  await loop.stop(true);
  const markers = store.samples().slice(before);
  assert.deepEqual(markers.map((s) => s.name).sort(), ['c', 'scrape_duration_seconds', 'scrape_samples_post_metric_relabeling', 'scrape_samples_scraped', 'scrape_series_added', 'up']);
  assert.ok(markers.every((s) => isStaleNaN(s.value) && s.timestampMs > 4_000));
});

test('stale markers carry the exact Prometheus bit pattern 0x7ff0000000000002', () => {
  const values = staleMarkerValues(2);
  assert.deepEqual([...new BigUint64Array(values.buffer)], [0x7ff0000000000002n, 0x7ff0000000000002n]);
});

test('basic auth, bearer token and bearer token file are sent', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-scrape-'));
  writeFileSync(join(dir, 'token'), 'file-token\n');
  const cases: [Record<string, unknown>, string][] = [
    [{ basic_auth: { username: 'user', password: 'pa:ss' } }, `Basic ${Buffer.from('user:pa:ss').toString('base64')}`],
    [{ authorization: { credentials: 'tok' } }, 'Bearer tok'],
    [{ bearer_token: 'legacy' }, 'Bearer legacy'],
    [{ authorization: { credentials_file: join(dir, 'token') } }, 'Bearer file-token'],
  ];
  for (const [job, expected] of cases) {
    const { target, loop } = await setup('a 1\n', job);
    assert.equal((await loop.scrapeOnce(1_000)).up, true);
    assert.equal(target.requests[0]?.authorization, expected);
  }
});

test('honor_labels: exposed labels conflicting with target labels become exported_, or win when honored', async () => {
  const exposed = 'a{job="exposed",exported_job="x"} 1\n';
  const plain = await setup(exposed);
  await plain.loop.scrapeOnce(1_000);
  assert.deepEqual(plain.store.samples().find((s) => s.name === 'a')?.labels, {
    job: 'app', exported_job: 'x', exported_exported_job: 'exposed', instance: plain.target.address,
  });
  const honored = await setup(exposed, { honor_labels: true });
  await honored.loop.scrapeOnce(1_000);
  assert.deepEqual(honored.store.samples().find((s) => s.name === 'a')?.labels, { job: 'exposed', exported_job: 'x', instance: honored.target.address });
});

test('honor_timestamps uses the exposed timestamp unless disabled', async () => {
  const honored = await setup('a 1 5000\n');
  await honored.loop.scrapeOnce(9_000);
  assert.equal(honored.store.samples().find((s) => s.name === 'a')?.timestampMs, 5_000);
  const ignored = await setup('a 1 5000\n', { honor_timestamps: false });
  await ignored.loop.scrapeOnce(9_000);
  assert.equal(ignored.store.samples().find((s) => s.name === 'a')?.timestampMs, 9_000);
});

test('metric_relabel_configs drop and rewrite samples', async () => {
  const { loop, store } = await setup('keep_me{x="1"} 1\ndrop_me 2\n', {
    metric_relabel_configs: [
      { source_labels: ['__name__'], regex: 'drop_.*', action: 'drop' },
      { source_labels: ['x'], target_label: 'y' },
    ],
  });
  await loop.scrapeOnce(1_000);
  assert.deepEqual(store.samples().filter((s) => !s.name.startsWith('scrape_') && s.name !== 'up').map((s) => [s.name, s.labels.y]), [['keep_me', '1']]);
  assert.equal(store.last('scrape_samples_post_metric_relabeling'), 1);
});

test('gzip bodies are decompressed and body_size_limit applies to the decompressed size', async () => {
  const body = 'a 1\n'.repeat(1) + 'b 2\n';
  const { target, loop, store } = await setup('');
  target.respond = (res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(body));
  assert.equal((await loop.scrapeOnce(1_000)).up, true);
  assert.equal(target.requests[0]?.['accept-encoding'], 'gzip');
  assert.equal(store.samples().find((s) => s.name === 'b')?.value, 2);
  const limited = await setup('', { body_size_limit: '4B' });
  limited.target.respond = (res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(body));
  assert.match((await limited.loop.scrapeOnce(1_000)).error ?? '', /body size limit exceeded/);
});

test('scrape offsets are deterministic and within the interval', () => {
  const a = scrapeOffsetMs('job\u0000http://a/metrics', 15_000, 1_000_000);
  assert.equal(a, scrapeOffsetMs('job\u0000http://a/metrics', 15_000, 1_000_000));
  for (let nowMs = 0; nowMs < 30_000; nowMs += 777) {
    const offset = scrapeOffsetMs('t', 15_000, nowMs);
    assert.ok(offset >= 0 && offset <= 15_000);
    // Pinned to absolute time: the scrape lands at the same phase whatever "now" is.
    assert.equal((nowMs + offset) % 15_000, (0 + scrapeOffsetMs('t', 15_000, 0)) % 15_000);
  }
});

test('a started loop scrapes on its own and never overlaps scrapes', async () => {
  const { target, loop } = await setup('a 1\n', { scrape_interval: '100ms', scrape_timeout: '100ms' });
  let inFlight = 0;
  let maxInFlight = 0;
  target.respond = (res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => { inFlight--; res.writeHead(200).end('a 1\n'); }, 150);
  };
  loop.start();
  await new Promise((resolve) => setTimeout(resolve, 700));
  await loop.stop(false);
  assert.ok(target.requests.length >= 2, `scrapes: ${target.requests.length}`);
  assert.equal(maxInFlight, 1);
});
