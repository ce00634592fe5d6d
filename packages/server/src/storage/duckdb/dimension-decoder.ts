import type { Resource, Scope } from '../../model/resource.ts';
import type { MapEntries } from './attribute-codec.ts';
import { joinAttributes } from './attribute-codec.ts';
import { ATTRIBUTE_SELECT } from './schema.ts';
import type { SqlParam } from './worker-protocol.ts';

export type RunQuery = (sql: string, params?: SqlParam[]) => Promise<unknown[][]>;

/** A bigint from our own data as a SQL literal: digits only, so it is safe to inline. */
export function uintLiteral(value: bigint, type: 'UBIGINT' | 'UHUGEINT'): string {
  if (typeof value !== 'bigint' || value < 0n) throw new TypeError('expected an unsigned bigint');
  return `${value.toString()}::${type}`;
}

/** Reads the five attribute columns starting at `offset` of a row. */
export function attributesAt(row: readonly unknown[], offset: number): ReturnType<typeof joinAttributes> {
  return joinAttributes(
    row[offset] as MapEntries<string>,
    row[offset + 1] as MapEntries<bigint>,
    row[offset + 2] as MapEntries<number>,
    row[offset + 3] as MapEntries<boolean>,
    row[offset + 4] as string | null,
  );
}

const MAX_CACHED = 10_000;

/**
 * Resources and scopes by id. Rows are immutable (the id is a content hash), so decoded objects are
 * cached and shared by every record that references them, as they were when received.
 */
export class DimensionCache {
  private readonly resources = new Map<bigint, Resource>();
  private readonly scopes = new Map<bigint, Scope>();

  constructor(private readonly query: RunQuery) {}

  async load(resourceIds: Iterable<bigint>, scopeIds: Iterable<bigint>): Promise<void> {
    const missingResources = [...new Set(resourceIds)].filter((id) => !this.resources.has(id));
    const missingScopes = [...new Set(scopeIds)].filter((id) => !this.scopes.has(id));
    if (this.resources.size + missingResources.length > MAX_CACHED) this.resources.clear();
    if (this.scopes.size + missingScopes.length > MAX_CACHED) this.scopes.clear();
    const inList = (ids: bigint[]): string => ids.map((id) => uintLiteral(id, 'UBIGINT')).join(',');
    if (missingResources.length > 0) {
      const rows = await this.query(
        `SELECT resource_id, service, schema_url, dropped_attributes, ${ATTRIBUTE_SELECT}
         FROM resources WHERE resource_id IN (${inList(missingResources)})`,
      );
      for (const row of rows) this.resources.set(row[0] as bigint, decodeResource(row));
    }
    if (missingScopes.length > 0) {
      const rows = await this.query(
        `SELECT scope_id, name, version, schema_url, dropped_attributes, ${ATTRIBUTE_SELECT}
         FROM scopes WHERE scope_id IN (${inList(missingScopes)})`,
      );
      for (const row of rows) this.scopes.set(row[0] as bigint, decodeScope(row));
    }
  }

  resource(id: bigint): Resource {
    const resource = this.resources.get(id);
    if (!resource) throw new Error('store is missing a resource row');
    return resource;
  }

  scope(id: bigint): Scope {
    const scope = this.scopes.get(id);
    if (!scope) throw new Error('store is missing a scope row');
    return scope;
  }
}

function decodeResource(row: readonly unknown[]): Resource {
  return {
    attributes: attributesAt(row, 4),
    droppedAttributesCount: row[3] as number,
    schemaUrl: row[2] as string,
    serviceName: row[1] as string,
  };
}

function decodeScope(row: readonly unknown[]): Scope {
  return {
    name: row[1] as string,
    version: row[2] as string,
    attributes: attributesAt(row, 5),
    droppedAttributesCount: row[4] as number,
    schemaUrl: row[3] as string,
  };
}
