/**
 * The notification log Vigil shows users: a bounded ring of the last deliveries (who was told
 * what, when, whether it worked). It holds no URLs or payloads: those may carry secrets.
 */
import type { AlertStatus } from './template-data.ts';

/** Why a delivery failed, coarse enough to hold no secrets (`template`: a text field did not render). */
export type DeliveryErrorClass =
  'timeout' | 'network' | 'http_4xx' | 'http_5xx' | 'http_other' | 'payload' | 'template';

export interface NotificationRecord {
  atMs: number;
  receiver: string;
  /** webhook, slack, pagerduty or alertmanager. */
  integration: string;
  groupKey: string;
  status: AlertStatus;
  alerts: number;
  outcome: 'ok' | 'failed';
  attempts: number;
  errorClass?: DeliveryErrorClass;
}

export interface NotificationQuery {
  receiver?: string;
  outcome?: 'ok' | 'failed';
  /** Newest first; at most this many (default all). */
  limit?: number;
}

export class NotificationLog {
  private readonly records: NotificationRecord[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  add(record: NotificationRecord): void {
    if (this.records.length < this.capacity) this.records.push(record);
    else this.records[this.next] = record;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Records newest first, filtered. */
  query(query: NotificationQuery = {}): NotificationRecord[] {
    const ordered = [...this.records.slice(this.next), ...this.records.slice(0, this.next)].reverse();
    const matching = ordered.filter(
      (record) =>
        (query.receiver === undefined || record.receiver === query.receiver) &&
        (query.outcome === undefined || record.outcome === query.outcome),
    );
    return query.limit === undefined ? matching : matching.slice(0, query.limit);
  }
}
