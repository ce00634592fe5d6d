import { selfMetrics } from '../../../telemetry/self-metrics.ts';

/**
 * Self-metrics of the remote-write receiver, the counterparts of Prometheus's
 * prometheus_api_remote_write_invalid_labels_samples_total and of its sender-side
 * prometheus_remote_storage_samples_* families.
 */
export const remoteWriteMetrics = {
  requests: selfMetrics.counter(
    'vigil_remote_write_requests_total',
    'Remote-write requests, by protobuf message (protocol) and HTTP status code.',
  ),
  samplesReceived: selfMetrics.counter(
    'vigil_remote_write_samples_received_total',
    'Float samples decoded from remote-write requests, by protocol.',
  ),
  samplesWritten: selfMetrics.counter(
    'vigil_remote_write_samples_written_total',
    'Remote-write samples stored, by protocol.',
  ),
  samplesRejected: selfMetrics.counter(
    'vigil_remote_write_samples_rejected_total',
    'Remote-write samples (and native histogram samples) not stored, by reason: invalid_labels, too_far_in_future, native_histogram_unsupported, out_of_order_or_duplicate.',
  ),
  exemplarsDropped: selfMetrics.counter(
    'vigil_remote_write_exemplars_dropped_total',
    'Remote-write exemplars received and not stored (Vigil keeps no Prometheus exemplars yet).',
  ),
};
