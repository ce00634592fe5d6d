/**
 * The benchmark's queries: the seed article's alerting expressions (histogram_quantile p99 by le and
 * model_version, the prediction error ratio, GPU memory pressure, the multi-window SLO burn rate) plus
 * the shapes Vigil issue 5 lists (sum by rate, avg_over_time of DCGM gauges, topk, regex selector).
 */

export interface BenchQuery {
  /** Short column label for the results table. */
  name: string;
  query: string;
}

export const BENCH_QUERIES: readonly BenchQuery[] = [
  {
    name: 'histogram_quantile p99',
    query:
      'histogram_quantile(0.99, sum by (le, model_version) ' +
      '(rate(ml_inference_latency_seconds_bucket{model_name="fraud-detector"}[5m])))',
  },
  {
    name: 'histogram_quantile p99 all',
    query:
      'histogram_quantile(0.99, sum by (le, model_name, model_version) ' +
      '(rate(ml_inference_latency_seconds_bucket[5m])))',
  },
  { name: 'sum by rate', query: 'sum by (model_name, result_class) (rate(ml_predictions_total[5m]))' },
  {
    name: 'error ratio',
    query: 'sum(rate(ml_predictions_total{result_class="error"}[5m])) / sum(rate(ml_predictions_total[5m]))',
  },
  { name: 'avg_over_time DCGM', query: 'avg_over_time(DCGM_FI_DEV_GPU_UTIL[5m])' },
  { name: 'avg by host DCGM temp', query: 'avg by (Hostname) (avg_over_time(DCGM_FI_DEV_GPU_TEMP[10m]))' },
  { name: 'topk', query: 'topk(5, DCGM_FI_DEV_GPU_TEMP)' },
  {
    name: 'regex selector',
    query: 'sum by (instance) (rate(http_requests_total{code=~"5..", handler=~"/v1/.*"}[5m]))',
  },
  {
    name: 'binary op (GPU memory)',
    query: 'DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)',
  },
  {
    name: 'SLO burn rate',
    query:
      '(sum(rate(ml_inference_latency_seconds_count{model_name="fraud-detector"}[1h])) - ' +
      'sum(rate(ml_inference_latency_seconds_bucket{model_name="fraud-detector",le="0.5"}[1h]))) / ' +
      'sum(rate(ml_inference_latency_seconds_count{model_name="fraud-detector"}[1h]))',
  },
  {
    name: 'HTTP 5xx ratio by instance',
    query:
      'sum by (instance) (rate(http_requests_total{code=~"5.."}[5m])) / ' +
      'sum by (instance) (rate(http_requests_total[5m]))',
  },
];
