import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkTemplate,
  expandAlertTemplate,
  TemplateError,
  type AlertTemplateData,
  type TemplateOptions,
} from './expand.ts';

/** The alert template entry point: the seed's rule annotations and Prometheus's alert variables. */

const GPU_ALERT: AlertTemplateData = {
  labels: {
    __name__: 'x',
    model_version: 'v3.1',
    gpu: '2',
    instance: 'gpu-node-7:9400',
    severity: 'warning',
  },
  externalLabels: { cluster: 'prod-eu' },
  externalURL: 'https://prom.example.com/prom',
  value: 0.9312,
};

const OPTIONS: TemplateOptions = { name: '__alert_Test', timeMs: 1_700_000_000_000 };

function expand(
  text: string,
  data: Partial<AlertTemplateData> = {},
  options: Partial<TemplateOptions> = {},
): Promise<string> {
  return expandAlertTemplate(text, { ...GPU_ALERT, ...data }, { ...OPTIONS, ...options });
}

describe('expandAlertTemplate: the seed rules', () => {
  // ../shared/seed: "Grafana Alerting — SLO-Based Alert Rules for ML Inference" (descriptions are `|` blocks).
  const latency =
    'Model {{ $labels.model_version }} p99 latency is\n{{ $value | humanizeDuration }}. SLO threshold: 500ms.\nCheck GPU utilization and model batch size.\n';
  const errorRate =
    'Current error rate: {{ $value | humanizePercentage }}.\nCheck preprocessing pipeline and model health.\n';
  const gpuMemory =
    'GPU {{ $labels.gpu }} on node {{ $labels.instance }}\nis at {{ $value | humanizePercentage }} memory utilization.\nRisk of OOM for inference workloads.\n';

  const cases: readonly { name: string; text: string; value: number; want: string }[] = [
    {
      name: 'p99 latency, sub-second',
      text: latency,
      value: 0.734,
      want: 'Model v3.1 p99 latency is\n734ms. SLO threshold: 500ms.\nCheck GPU utilization and model batch size.\n',
    },
    {
      name: 'p99 latency, seconds',
      text: latency,
      value: 1.25,
      want: 'Model v3.1 p99 latency is\n1.25s. SLO threshold: 500ms.\nCheck GPU utilization and model batch size.\n',
    },
    {
      name: 'p99 latency, minutes',
      text: latency,
      value: 125.5,
      want: 'Model v3.1 p99 latency is\n2m 5s. SLO threshold: 500ms.\nCheck GPU utilization and model batch size.\n',
    },
    {
      name: 'p99 latency, 1.5ms',
      text: latency,
      value: 0.0015,
      want: 'Model v3.1 p99 latency is\n1.5ms. SLO threshold: 500ms.\nCheck GPU utilization and model batch size.\n',
    },
    {
      name: 'error rate',
      text: errorRate,
      value: 0.0023,
      want: 'Current error rate: 0.23%.\nCheck preprocessing pipeline and model health.\n',
    },
    // 0.0012345 * 100 is 0.12344999…, below the tie: Go rounds it down too.
    {
      name: 'error rate, tiny',
      text: errorRate,
      value: 0.0012345,
      want: 'Current error rate: 0.1234%.\nCheck preprocessing pipeline and model health.\n',
    },
    {
      name: 'GPU memory',
      text: gpuMemory,
      value: 0.9312,
      want: 'GPU 2 on node gpu-node-7:9400\nis at 93.12% memory utilization.\nRisk of OOM for inference workloads.\n',
    },
    {
      name: 'summary without actions',
      text: 'P99 inference latency exceeds 500ms SLO',
      value: 1,
      want: 'P99 inference latency exceeds 500ms SLO',
    },
  ];
  for (const { name, text, value, want } of cases) {
    it(name, async () => assert.equal(await expand(text, { value }), want));
  }
});

describe('expandAlertTemplate: alert data', () => {
  const cases: readonly { text: string; want: string }[] = [
    { text: '{{ $labels.instance | stripPort }}', want: 'gpu-node-7' },
    { text: '{{ .Labels.severity | toUpper }}', want: 'WARNING' },
    { text: '{{ $externalLabels.cluster }}', want: 'prod-eu' },
    {
      text: '{{ $externalURL }}|{{ .ExternalURL }}|{{ externalURL }}',
      want: 'https://prom.example.com/prom|https://prom.example.com/prom|https://prom.example.com/prom',
    },
    { text: '{{ $value }} {{ .Value }} {{ printf "%.2f" $value }}', want: '0.9312 0.9312 0.93' },
    { text: '{{ $labels.missing }}|', want: '|' },
    { text: '{{ if gt $value 0.9 }}critical{{ else }}ok{{ end }}', want: 'critical' },
    {
      text: '{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}',
      want: '__name__=x gpu=2 instance=gpu-node-7:9400 model_version=v3.1 severity=warning ',
    },
    { text: '{{ now }} {{ now | humanizeTimestamp }}', want: '1.7e+09 2023-11-14 22:13:20 +0000 UTC' },
    { text: '{{ pathPrefix }}', want: '' },
  ];
  for (const { text, want } of cases) it(text, async () => assert.equal(await expand(text), want));

  it('prints large values as Go does', async () => {
    assert.equal(await expand('{{ $value }}', { value: 1e6 }), '1e+06');
    assert.equal(await expand('{{ $value }}', { value: NaN }), 'NaN');
    assert.equal(await expand('{{ $value }}', { value: Infinity }), '+Inf');
  });

  it('passes pathPrefix through', async () => {
    assert.equal(await expand('{{ pathPrefix }}', {}, { pathPrefix: '/prom' }), '/prom');
  });
});

describe('expandAlertTemplate: query', () => {
  const query: TemplateOptions['query'] = (expr, timeMs) => {
    if (expr === 'bad(') return Promise.reject(new Error('1:5: parse error: unclosed left parenthesis'));
    return Promise.resolve([
      { labels: { __name__: expr, instance: 'b' }, value: timeMs / 1000 },
      { labels: { __name__: expr, instance: 'a' }, value: 2 },
    ]);
  };

  it('runs queries at the evaluation time, in order of use', async () => {
    const text =
      '{{ range query "up" | sortByLabel "instance" }}{{ .Labels.instance }}={{ .Value }} {{ end }}|{{ query "down" | first | label "__name__" }}';
    assert.equal(await expand(text, {}, { query, timeMs: 5000 }), 'a=2 b=5 |down');
  });

  it('builds queries from labels', async () => {
    const text =
      '{{ with printf "node_load1{instance=%q}" $labels.instance | query }}{{ . | first | value }}{{ end }}';
    assert.equal(await expand(text, {}, { query, timeMs: 1000 }), '1');
  });

  it('reports a failed query as the call error', async () => {
    await assert.rejects(expand('{{ query "bad(" }}', {}, { query }), {
      message:
        'error executing template __alert_Test: template: __alert_Test:1:115: executing "__alert_Test" at <query "bad(">: error calling query: 1:5: parse error: unclosed left parenthesis',
    });
  });

  it('fails `query` when no query function is given', async () => {
    await assert.rejects(expand('{{ query "up" }}'), /error calling query: no query function is available/);
  });
});

describe('expandAlertTemplate: errors', () => {
  it('names the template and counts the alert variables in the column, as Prometheus does', async () => {
    await assert.rejects(expand('{{ $value | humanize | humanize }}x'), (error: unknown) => {
      assert.ok(error instanceof TemplateError);
      assert.equal(
        error.message,
        // 112 bytes of alert variable definitions + 23 for the second humanize.
        'error executing template __alert_Test: template: __alert_Test:1:135: executing "__alert_Test" at <humanize>: error calling humanize: strconv.ParseFloat: parsing "931.2m": invalid syntax',
      );
      return true;
    });
  });

  it('reports lines and columns on later lines', async () => {
    await assert.rejects(expand('line one\n  {{ .Labels.job.x }}'), {
      message:
        'error executing template __alert_Test: template: __alert_Test:2:12: executing "__alert_Test" at <.Labels.job.x>: can\'t evaluate field x in type string',
    });
  });

  it('reports parse errors with the line', async () => {
    await assert.rejects(expand('a\n{{ if }}'), {
      message: 'error parsing template __alert_Test: template: __alert_Test:2: missing value for if',
    });
  });

  it('rejects comparing a float with an int, as Go does', async () => {
    await assert.rejects(
      expand('{{ if gt $value 0 }}x{{ end }}'),
      /error calling gt: incompatible types for comparison: float64 and int/,
    );
  });
});

describe('checkTemplate', () => {
  const cases: readonly { text: string; want: string | undefined }[] = [
    { text: '{{ $labels.job }} is {{ $value | humanize }}', want: undefined },
    { text: 'no actions', want: undefined },
    { text: '{{ $labels.job | nosuch }}', want: 'template: __alert_Down:1: function "nosuch" not defined' },
    { text: '{{ $undefined }}', want: 'template: __alert_Down:1: undefined variable "$undefined"' },
    { text: 'x\n{{ range $labels }}', want: 'template: __alert_Down:2: unexpected EOF' },
    { text: '{{ .Labels.job ', want: 'template: __alert_Down:1: unclosed action' },
  ];
  for (const { text, want } of cases)
    it(JSON.stringify(text), () => assert.equal(checkTemplate(text, '__alert_Down'), want));

  it('does not execute (unknown fields only fail at run time)', () => {
    assert.equal(checkTemplate('{{ .NoSuchField.x }}', '__alert_Down'), undefined);
  });
});
