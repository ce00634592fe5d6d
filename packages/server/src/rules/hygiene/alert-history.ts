import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { AlertHistorySink, AlertTransition } from '../rule-types.ts';
import { HistoryFile, type HistoryRecord, type LoadedHistory } from './history-file.ts';
import { hygieneReport } from './hygiene-report.ts';
import type {
  Acknowledgement,
  AcknowledgementTarget,
  HygieneOptions,
  HygieneReport,
} from './hygiene-types.ts';

export interface AlertHistoryOptions {
  /** Where `alert-history.jsonl` lives; without it the history is in memory only. */
  dir?: string;
  /** Transitions kept in memory (and so in the file); the oldest are dropped and counted. Default 100 000. */
  maxTransitions?: number;
  /** Acknowledgements kept. Default 10 000. */
  maxAcknowledgements?: number;
  /** Past this the file is rewritten from memory, trimmed to half of it. Default 32 MiB. */
  maxFileBytes?: number;
  /** Heuristic thresholds of the report (hygiene-types.ts defaults). */
  report?: Partial<HygieneOptions>;
  /** Where write failures are reported (once until a write succeeds again). */
  log?: (line: string) => void;
}

const FILE_NAME = 'alert-history.jsonl';

/**
 * The record of alert state changes and acknowledgements behind the hygiene report. The rule
 * manager calls record() for each transition; it never throws (a full disk is logged and
 * counted, the transition still counts in memory). Memory is bounded: past `maxTransitions` the
 * oldest are dropped and counted in `droppedTransitions`. With `dir`, every record is appended
 * to a JSON-lines file that is loaded at construction, so the report survives restarts.
 *
 * @example
 * const history = new AlertHistory({ dir: '/var/lib/vigil' });
 * const manager = new RuleManager({ ..., history });
 * history.acknowledge({ alertname: 'GPUMemoryPressure' }, 'ana', Date.now(), 'resizing the batch');
 * history.hygieneReport(Date.now(), 7 * 86_400_000);
 */
export class AlertHistory implements AlertHistorySink {
  private transitions: AlertTransition[] = [];
  private acknowledgementList: Acknowledgement[] = [];
  private readonly file: HistoryFile | undefined;
  private fileBytes = 0;
  private writeFailing = false;
  private readonly maxTransitions: number;
  private readonly maxAcknowledgements: number;
  private readonly maxFileBytes: number;
  private readonly log: (line: string) => void;
  /** Transitions dropped to stay within bounds, since start (plus any dropped when loading). */
  droppedTransitions = 0;
  /** Records that could not be appended to the file. */
  writeFailures = 0;
  /** Unreadable lines skipped when loading. */
  readonly corruptLines: number = 0;

  constructor(private readonly options: AlertHistoryOptions = {}) {
    this.maxTransitions = options.maxTransitions ?? 100_000;
    this.maxAcknowledgements = options.maxAcknowledgements ?? 10_000;
    this.maxFileBytes = options.maxFileBytes ?? 32 * 1024 * 1024;
    this.log = options.log ?? ((line) => console.error(line));
    if (options.dir === undefined) return;
    this.file = new HistoryFile(path.join(options.dir, FILE_NAME));
    const loaded = this.load(this.file);
    this.corruptLines = loaded.corruptLines;
    this.fileBytes = loaded.bytes;
    for (const record of loaded.records) this.keep(record);
    if (loaded.corruptLines > 0)
      this.log(`alert history: skipped ${loaded.corruptLines} unreadable lines of ${FILE_NAME}`);
  }

  /** The saved history; an unreadable file starts an empty one (the report is advisory, not worth failing startup). */
  private load(file: HistoryFile): LoadedHistory {
    try {
      return file.load();
    } catch (error: unknown) {
      this.log(`alert history: cannot read ${FILE_NAME} (${errorCode(error)}); starting empty`);
      return { records: [], corruptLines: 0, bytes: 0 };
    }
  }

  /** AlertHistorySink: remember one transition. Never throws. */
  record(transition: AlertTransition): void {
    const entry: HistoryRecord = { kind: 'transition', transition: { ...transition } };
    this.keep(entry);
    this.persist(entry);
  }

  /**
   * Records that `by` is handling the alert named by a fingerprint (Alertmanager's, as in
   * notifications) or by labels (every alert having them all). Covers the episode under way at
   * `atMs` (see hygiene-report.ts).
   */
  acknowledge(target: AcknowledgementTarget, by: string, atMs: number, comment?: string): Acknowledgement {
    const ack: Acknowledgement = { id: randomUUID(), by, atMs };
    if (typeof target === 'string') ack.fingerprint = target;
    else ack.labels = { ...target };
    if (comment !== undefined && comment !== '') ack.comment = comment;
    this.keep({ kind: 'ack', ack });
    this.persist({ kind: 'ack', ack });
    return ack;
  }

  /** Acknowledgements, oldest first. */
  acknowledgements(): readonly Acknowledgement[] {
    return this.acknowledgementList;
  }

  /** The hygiene report over `[nowMs - windowMs, nowMs]`. */
  hygieneReport(nowMs: number, windowMs: number): HygieneReport {
    const input = {
      transitions: this.transitions,
      acknowledgements: this.acknowledgementList,
      droppedTransitions: this.droppedTransitions,
    };
    return hygieneReport(input, nowMs, windowMs, this.options.report);
  }

  private keep(record: HistoryRecord): void {
    if (record.kind === 'ack') {
      this.acknowledgementList.push(record.ack);
      if (this.acknowledgementList.length > this.maxAcknowledgements) this.acknowledgementList.shift();
    } else {
      this.transitions.push(record.transition);
      if (this.transitions.length > this.maxTransitions) {
        this.transitions.shift();
        this.droppedTransitions++;
      }
    }
  }

  private persist(record: HistoryRecord): void {
    if (!this.file) return;
    try {
      this.fileBytes += this.file.append(record);
      if (this.fileBytes > this.maxFileBytes) this.compact(this.file);
      this.writeFailing = false;
    } catch (error: unknown) {
      this.writeFailures++;
      if (!this.writeFailing) this.log(`alert history: cannot write ${FILE_NAME} (${errorCode(error)})`);
      this.writeFailing = true;
    }
  }

  /** Rewrites the file from memory, dropping the oldest transitions until it is under half the limit. */
  private compact(file: HistoryFile): void {
    let records = this.records();
    let bytes = file.rewrite(records);
    while (bytes > this.maxFileBytes / 2 && this.transitions.length > 0) {
      const drop = Math.max(1, Math.ceil(this.transitions.length / 4));
      this.transitions = this.transitions.slice(drop);
      this.droppedTransitions += drop;
      records = this.records();
      bytes = file.rewrite(records);
    }
    this.fileBytes = bytes;
  }

  private records(): HistoryRecord[] {
    return [
      ...this.acknowledgementList.map((ack): HistoryRecord => ({ kind: 'ack', ack })),
      ...this.transitions.map((transition): HistoryRecord => ({ kind: 'transition', transition })),
    ];
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}
