/**
 * A strict reader over a parsed YAML document: every value is read through a node that knows its
 * key path and line, so config errors say where to look (`alertmanager.yml:12: route.routes[0]:
 * unknown field "matcher"`), as Alertmanager's own loader (UnmarshalStrict) refuses unknown fields.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { parseDurationMillis } from '../../config/duration.ts';

/** A notification config problem, with file, line and key path in the message. */
export class NotificationConfigError extends Error {
  override readonly name = 'NotificationConfigError';
}

interface ReaderContext {
  fileName: string;
  doc: Document;
  lineCounter: LineCounter;
}

/** One YAML value at a key path. `node` is undefined for an absent key. */
export class ConfigNode {
  constructor(
    private readonly context: ReaderContext,
    readonly node: Node | undefined,
    readonly path: string,
    private readonly fallbackOffset = 0,
  ) {}

  /** The root of a document. */
  static root(context: ReaderContext): ConfigNode {
    return new ConfigNode(context, context.doc.contents ?? undefined, '');
  }

  get present(): boolean {
    return this.node !== undefined && !(isScalar(this.node) && this.node.value === null);
  }

  /** 1-based line of the value (or of its parent, when absent). */
  get line(): number {
    const offset = this.node?.range?.[0] ?? this.fallbackOffset;
    return this.context.lineCounter.linePos(offset).line;
  }

  /** An error that names the file, line and key path. */
  error(message: string): NotificationConfigError {
    const where = this.path === '' ? '' : ` ${this.path}:`;
    return new NotificationConfigError(`${this.context.fileName}:${this.line}:${where} ${message}`);
  }

  /** The fields of a mapping; keys outside `allowed` are errors (with the line of the key). */
  fields(allowed: readonly string[]): Map<string, ConfigNode> {
    const node = this.resolved();
    const result = new Map<string, ConfigNode>();
    if (!this.present) return result;
    if (!isMap(node)) throw this.error('expected a mapping');
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      const keyOffset = keyNode?.range?.[0] ?? this.fallbackOffset;
      const child = new ConfigNode(
        this.context,
        (pair.value as Node | null) ?? undefined,
        this.join(key),
        keyOffset,
      );
      // Errors about the key itself point at the key's line, not at its (maybe multi-line) value.
      const atKey = new ConfigNode(this.context, undefined, child.path, keyOffset);
      if (!allowed.includes(key)) {
        const hint = UNSUPPORTED_HINTS[key];
        throw atKey.error(hint ?? `unknown field "${key}" (known: ${allowed.join(', ')})`);
      }
      if (result.has(key)) throw atKey.error(`field "${key}" given twice`);
      result.set(key, child);
    }
    return result;
  }

  /** The items of a sequence (empty when absent). */
  items(): ConfigNode[] {
    if (!this.present) return [];
    const node = this.resolved();
    if (!isSeq(node)) throw this.error('expected a list');
    return node.items.map(
      (item, index) =>
        new ConfigNode(
          this.context,
          (item as Node | null) ?? undefined,
          `${this.path}[${index}]`,
          node.range?.[0],
        ),
    );
  }

  string(): string | undefined {
    if (!this.present) return undefined;
    const node = this.resolved();
    const value: unknown = isScalar(node) ? node.value : undefined;
    // Numbers and booleans are read as their YAML text (`days_of_month: [1]`, `version: 2`).
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw this.error('expected a string');
  }

  requiredString(): string {
    const value = this.string();
    if (value === undefined || value === '') throw this.error('must not be empty');
    return value;
  }

  /** An http(s) URL. Errors never echo it: Slack and PagerDuty URLs carry secrets. */
  httpUrl(): string | undefined {
    const text = this.string();
    if (text === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw this.error('not a valid URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw this.error('URL scheme must be http or https');
    return text;
  }

  bool(): boolean | undefined {
    if (!this.present) return undefined;
    const node = this.resolved();
    if (!isScalar(node) || typeof node.value !== 'boolean') throw this.error('expected true or false');
    return node.value;
  }

  nonNegativeInt(): number | undefined {
    if (!this.present) return undefined;
    const node = this.resolved();
    if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value) || node.value < 0)
      throw this.error('expected a non-negative integer');
    return node.value;
  }

  /** A Prometheus duration (`30s`, `4h`); undefined when absent. */
  durationMs(): number | undefined {
    const text = this.string();
    if (text === undefined) return undefined;
    try {
      return parseDurationMillis(text);
    } catch (error: unknown) {
      throw this.error((error as Error).message);
    }
  }

  strings(): string[] {
    return this.items().map((item) => item.requiredString());
  }

  /** A mapping of string to string (`match:`, `details:`). */
  stringMap(): Record<string, string> {
    const node = this.resolved();
    const result = Object.create(null) as Record<string, string>;
    if (!this.present) return result;
    if (!isMap(node)) throw this.error('expected a mapping');
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      const child = new ConfigNode(
        this.context,
        (pair.value as Node | null) ?? undefined,
        this.join(key),
        keyNode?.range?.[0],
      );
      result[key] = child.string() ?? '';
    }
    return result;
  }

  private resolved(): Node | undefined {
    const node = this.node;
    return isAlias(node) ? node.resolve(this.context.doc) : node;
  }

  private join(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }
}

/**
 * Alertmanager fields Vigil does not implement: refused with a clear reason rather than ignored,
 * because an ignored receiver is a page that never arrives.
 */
const UNSUPPORTED_HINTS: Readonly<Record<string, string>> = Object.fromEntries(
  [
    'email_configs',
    'opsgenie_configs',
    'pushover_configs',
    'victorops_configs',
    'wechat_configs',
    'sns_configs',
    'telegram_configs',
    'webex_configs',
    'discord_configs',
    'msteams_configs',
    'http_config',
    'url_file',
    'api_url_file',
    'routing_key_file',
    'service_key',
    'service_key_file',
    'smtp_smarthost',
    'smtp_from',
    'opsgenie_api_key',
    'wechat_api_secret',
  ].map((field) => [field, `"${field}" is an Alertmanager feature Vigil does not support`]),
);
