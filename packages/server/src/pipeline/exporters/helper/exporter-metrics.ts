import { selfMetrics } from '../../../telemetry/self-metrics.ts';

/**
 * Exporter self-metrics, named after the Collector's exporterhelper telemetry
 * (otelcol_exporter_sent_spans, otelcol_exporter_send_failed_spans,
 * otelcol_exporter_enqueue_failed_spans, otelcol_exporter_queue_size/capacity) but counted in
 * records of any signal, labelled {exporter, signal}.
 */
export const exporterMetrics = {
  sent: selfMetrics.counter(
    'vigil_exporter_sent_items_total',
    'Records (spans, data points, log records) an exporter delivered, by exporter and signal.',
  ),
  sendFailed: selfMetrics.counter(
    'vigil_exporter_send_failed_items_total',
    'Records an exporter dropped after a permanent error or after retries ran out, by exporter and signal.',
  ),
  enqueueFailed: selfMetrics.counter(
    'vigil_exporter_enqueue_failed_items_total',
    'Records refused because the sending queue was full, by exporter and signal.',
  ),
  rejectedByBackend: selfMetrics.counter(
    'vigil_exporter_backend_rejected_items_total',
    'Records a backend refused in an OTLP partial success answer (not retried), by exporter and signal.',
  ),
  queueSize: selfMetrics.gauge(
    'vigil_exporter_queue_size',
    'Requests in an exporter sending queue, by exporter and signal.',
  ),
  queueCapacity: selfMetrics.gauge(
    'vigil_exporter_queue_capacity',
    'Capacity of an exporter sending queue in requests, by exporter and signal.',
  ),
};
