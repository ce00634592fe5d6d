import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileSd, parseTargetFile } from './file-sd.ts';
import { parseScrapeConfigs, ScrapeConfigError } from './scrape-config.ts';
import { buildTargets, populateTarget } from './scrape-target.ts';

test('scrape config defaults follow Prometheus', () => {
  const [job] = parseScrapeConfigs({ scrape_configs: [{ job_name: 'node' }] });
  assert.deepEqual(
    { ...job, relabelConfigs: undefined, metricRelabelConfigs: undefined },
    {
      jobName: 'node', scrapeIntervalMs: 60_000, scrapeTimeoutMs: 10_000, metricsPath: '/metrics', params: {}, scheme: 'http',
      auth: undefined, honorLabels: false, honorTimestamps: true, staticConfigs: [], fileSdConfigs: [],
      relabelConfigs: undefined, metricRelabelConfigs: undefined, sampleLimit: 0, labelLimit: 0,
      labelNameLengthLimit: 0, labelValueLengthLimit: 0, bodySizeLimitBytes: 0,
    },
  );
});

test('an unset timeout is the global one capped at the job interval', () => {
  const [fast, slow] = parseScrapeConfigs({
    global: { scrape_interval: '30s', scrape_timeout: '20s' },
    scrape_configs: [{ job_name: 'fast', scrape_interval: '5s' }, { job_name: 'slow' }],
  });
  assert.equal(fast?.scrapeTimeoutMs, 5_000);
  assert.equal(slow?.scrapeIntervalMs, 30_000);
  assert.equal(slow?.scrapeTimeoutMs, 20_000);
});

const invalid: [string, unknown, RegExp, string][] = [
  ['timeout above interval', { scrape_configs: [{ job_name: 'a', scrape_interval: '5s', scrape_timeout: '6s' }] }, /scrape timeout greater than scrape interval/, 'scrape_configs.0'],
  ['duplicate job', { scrape_configs: [{ job_name: 'a' }, { job_name: 'a' }] }, /multiple scrape configs with job name "a"/, 'scrape_configs.1'],
  ['missing job name', { scrape_configs: [{}] }, /job_name is empty/, 'scrape_configs.0.job_name'],
  ['bad relabel rule', { scrape_configs: [{ job_name: 'a', relabel_configs: [{ action: 'hashmod', target_label: 'x' }] }] }, /non-zero modulus/, 'scrape_configs.0.relabel_configs'],
  ['two auth kinds', { scrape_configs: [{ job_name: 'a', bearer_token: 'x', basic_auth: { username: 'u' } }] }, /at most one of/, 'scrape_configs.0'],
  ['bad duration', { scrape_configs: [{ job_name: 'a', scrape_interval: 'often' }] }, /not a duration/, 'scrape_configs.0.scrape_interval'],
  ['bad file_sd file', { scrape_configs: [{ job_name: 'a', file_sd_configs: [{ files: ['t.txt'] }] }] }, /\.json, \.yml or \.yaml/, 'scrape_configs.0.file_sd_configs.0.files'],
];
for (const [name, raw, message, keyPath] of invalid) {
  test(`scrape config rejects: ${name}`, () => {
    assert.throws(() => parseScrapeConfigs(raw), (e: unknown) => e instanceof ScrapeConfigError && message.test(e.message) && e.keyPath.join('.') === keyPath);
  });
}

test('target relabeling sets address, scheme, path and params; instance defaults to __address__', () => {
  const [job] = parseScrapeConfigs({
    scrape_configs: [{
      job_name: 'blackbox', params: { module: ['http_2xx', 'other'] },
      relabel_configs: [
        { source_labels: ['__address__'], target_label: '__param_target' },
        { source_labels: ['__param_target'], target_label: 'instance' },
        { target_label: '__address__', replacement: 'exporter:9115' },
        { target_label: '__scheme__', replacement: 'https' },
        { target_label: '__metrics_path__', replacement: '/probe' },
        { source_labels: ['__meta_team'], target_label: 'team' },
      ],
    }],
  });
  assert.ok(job);
  const target = populateTarget(job, new Map([['__address__', 'example.com'], ['__meta_team', 'web']]));
  assert.equal(target?.url.href, 'https://exporter:9115/probe?module=http_2xx&module=other&target=example.com');
  assert.deepEqual(Object.fromEntries(target?.labels ?? []), { instance: 'example.com', job: 'blackbox', team: 'web' });
  const plain = populateTarget({ ...job, relabelConfigs: [] }, new Map([['__address__', 'h:1']]));
  assert.deepEqual(Object.fromEntries(plain?.labels ?? []), { instance: 'h:1', job: 'blackbox' });
});

test('buildTargets drops relabeled-away targets and reports bad ones', () => {
  const [job] = parseScrapeConfigs({ scrape_configs: [{ job_name: 'a', relabel_configs: [{ source_labels: ['__address__'], regex: 'skip.*', action: 'drop' }] }] });
  assert.ok(job);
  const { targets, errors } = buildTargets(job, [{ targets: ['h:1', 'skip:2', 'bad/address'], labels: { env: 'prod' }, source: 'static' }]);
  assert.deepEqual(targets.map((t) => t.labels.get('instance')), ['h:1']);
  assert.equal(targets[0]?.labels.get('env'), 'prod');
  assert.deepEqual(errors, ['job a, static: invalid address "bad/address"']);
});

test('file_sd files: JSON and YAML groups with __meta_filepath', () => {
  const json = parseTargetFile('[{"targets":["a:1"],"labels":{"env":"x"}}]', '/sd/t.json');
  assert.deepEqual(json, [{ targets: ['a:1'], labels: { env: 'x', __meta_filepath: '/sd/t.json' }, source: '/sd/t.json' }]);
  const yaml = parseTargetFile('- targets: [b:2]\n', '/sd/t.yml');
  assert.deepEqual(yaml[0]?.targets, ['b:2']);
  assert.throws(() => parseTargetFile('{', '/sd/t.json'), /invalid JSON/);
  assert.throws(() => parseTargetFile('[{"targets":[1]}]', '/sd/t.json'), /group 1/);
});

test('file_sd re-reads on change and keeps the last good groups of a broken file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-filesd-'));
  writeFileSync(join(dir, 'a.json'), '[{"targets":["a:1"]}]');
  const changes: string[][] = [];
  const logs: string[] = [];
  const sd = new FileSd({ files: [join(dir, '*.json')], refreshIntervalMs: 200 }, (groups) => changes.push(groups.flatMap((g) => g.targets)), (l) => logs.push(l));
  try {
    assert.deepEqual((await sd.start()).flatMap((g) => g.targets), ['a:1']);
    writeFileSync(join(dir, 'b.json'), '[{"targets":["b:2"]}]');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(changes.at(-1), ['a:1', 'b:2']);
    writeFileSync(join(dir, 'b.json'), '[{"targets":');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(sd.groups().flatMap((g) => g.targets), ['a:1', 'b:2']);
    assert.ok(logs.some((l) => l.includes('invalid JSON')));
  } finally {
    sd.close();
  }
});

test('the Collector-shaped config file carries receivers.prometheus.config.scrape_configs', async () => {
  const { loadConfigFile } = await import('../../../config/load-config.ts');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-scrape-config-'));
  const good = join(dir, 'good.yaml');
  writeFileSync(good, 'receivers:\n  prometheus:\n    config:\n      scrape_configs:\n        - job_name: gpu\n          static_configs:\n            - targets: [localhost:9400]\n');
  const config = loadConfigFile(good);
  assert.deepEqual(config.prometheusScrapeConfigs.map((c) => [c.jobName, c.staticConfigs[0]?.targets]), [['gpu', ['localhost:9400']]]);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'receivers:\n  prometheus:\n    config:\n      scrape_configs:\n        - job_name: gpu\n          scrape_interval: soon\n');
  assert.throws(() => loadConfigFile(bad), /bad\.yaml:6:28: receivers\.prometheus\.config\.scrape_configs\.0\.scrape_interval: not a duration/);
});
