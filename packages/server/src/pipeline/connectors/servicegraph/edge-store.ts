/**
 * The pairing store of the servicegraph connector (Collector contrib
 * connector/servicegraphconnector/internal/store): one edge per request between two services,
 * keyed by trace id + the client span id (which is the server span's parent span id). An edge is
 * complete once both sides are known; edges that never pair expire after the ttl, oldest first.
 */
export type ConnectionType = '' | 'messaging_system' | 'database' | 'virtual_node';

export interface Edge {
  readonly key: string;
  /** The key's span id is empty: a server span without a parent (a root request from a user). */
  readonly keySpanIdEmpty: boolean;
  traceId: string;
  connectionType: ConnectionType;
  clientService: string;
  serverService: string;
  clientLatencySeconds: number;
  serverLatencySeconds: number;
  /** Either side had status ERROR. */
  failed: boolean;
  /** `client_<dim>` / `server_<dim>` → value. */
  dimensions: Record<string, string>;
  /** Peer attribute name → value, for naming a virtual server node. */
  peer: Record<string, string>;
  virtualNodeLabel: '' | 'client' | 'server';
  expirationMs: number;
}

export type UpsertResult = 'new' | 'updated' | 'dropped';

export class EdgeStore {
  /** Insertion order is expiry order: every edge gets the same ttl when created. */
  private readonly edges = new Map<string, Edge>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxItems: number,
    private readonly onComplete: (edge: Edge) => void,
    private readonly onExpire: (edge: Edge) => void,
  ) {}

  get size(): number {
    return this.edges.size;
  }

  /**
   * Updates the edge under `key` (creating it), completing it when both sides are known. A new edge
   * past max_items is dropped unless the oldest edge has expired and can make room (upstream
   * UpsertEdge / ErrTooManyItems).
   */
  upsert(key: string, keySpanIdEmpty: boolean, nowMs: number, update: (edge: Edge) => void): UpsertResult {
    const stored = this.edges.get(key);
    if (stored) {
      update(stored);
      if (isComplete(stored)) {
        this.edges.delete(key);
        this.onComplete(stored);
      }
      return 'updated';
    }
    const edge = newEdge(key, keySpanIdEmpty, nowMs + this.ttlMs);
    update(edge);
    // A database client span needs no partner: it is complete at once.
    if (isComplete(edge)) {
      this.onComplete(edge);
      return 'new';
    }
    if (this.edges.size >= this.maxItems && !this.evictHead(nowMs)) return 'dropped';
    this.edges.set(key, edge);
    return 'new';
  }

  /** Expires every edge past its ttl (upstream Store.Expire). */
  expire(nowMs: number): void {
    while (this.evictHead(nowMs));
  }

  private evictHead(nowMs: number): boolean {
    const head = this.edges.values().next();
    if (head.done || head.value.expirationMs >= nowMs) return false;
    this.edges.delete(head.value.key);
    this.onExpire(head.value);
    return true;
  }
}

function isComplete(edge: Edge): boolean {
  return edge.clientService !== '' && edge.serverService !== '';
}

function newEdge(key: string, keySpanIdEmpty: boolean, expirationMs: number): Edge {
  return {
    key,
    keySpanIdEmpty,
    traceId: '',
    connectionType: '',
    clientService: '',
    serverService: '',
    clientLatencySeconds: 0,
    serverLatencySeconds: 0,
    failed: false,
    dimensions: Object.create(null) as Record<string, string>,
    peer: Object.create(null) as Record<string, string>,
    virtualNodeLabel: '',
    expirationMs,
  };
}
