import { parseSizeBytes } from '../../config/duration.ts';
import { parseGoDurationMillis } from '../../config/go-duration.ts';
import { SettingsError } from './component.ts';

type KeyPath = readonly (string | number)[];

/**
 * Reads one component's settings (the plain JS value of its YAML) with the Collector's rules:
 * unknown keys are refused, defaults fill what is absent, and every problem names its key path so
 * the graph builder can point at the line.
 *
 * @example
 * const s = SettingsReader.of(settings);
 * s.allowOnly(['timeout', 'send_batch_size']);
 * const timeoutMs = s.durationMs('timeout', 200);
 */
export class SettingsReader {
  private constructor(
    private readonly values: Readonly<Record<string, unknown>>,
    readonly keyPath: KeyPath,
  ) {}

  /** `null`/`undefined` (a component written with no settings) reads as all defaults. */
  static of(value: unknown, keyPath: KeyPath = []): SettingsReader {
    if (value === null || value === undefined) return new SettingsReader({}, keyPath);
    if (typeof value !== 'object' || Array.isArray(value))
      throw new SettingsError('expected a mapping', keyPath);
    return new SettingsReader(value as Record<string, unknown>, keyPath);
  }

  has(key: string): boolean {
    return this.values[key] !== undefined && this.values[key] !== null;
  }

  /** The keys written (for maps keyed by user names, such as prices per model). */
  keys(): string[] {
    return Object.keys(this.values);
  }

  raw(key: string): unknown {
    return this.values[key];
  }

  /** Refuses keys the component does not know, as the Collector's strict unmarshalling does. */
  allowOnly(keys: readonly string[]): void {
    for (const key of Object.keys(this.values)) {
      if (!keys.includes(key)) throw new SettingsError(`unknown setting "${key}"`, this.at(key));
    }
  }

  string(key: string, fallback: string): string {
    const value = this.values[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string') throw new SettingsError('expected a string', this.at(key));
    return value;
  }

  requiredString(key: string): string {
    const value = this.string(key, '');
    if (value === '') throw new SettingsError(`"${key}" is required`, this.at(key));
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.values[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') throw new SettingsError('expected true or false', this.at(key));
    return value;
  }

  number(key: string, fallback: number): number {
    const value = this.values[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new SettingsError('expected a number', this.at(key));
    return value;
  }

  /** A whole number ≥ 0. */
  count(key: string, fallback: number): number {
    const value = this.number(key, fallback);
    if (!Number.isInteger(value) || value < 0)
      throw new SettingsError('expected a whole number of zero or more', this.at(key));
    return value;
  }

  /** A whole number that fits the Collector's uint32 fields. */
  uint32(key: string, fallback = 0): number {
    const value = this.count(key, fallback);
    if (value > 0xffff_ffff)
      throw new SettingsError('expected a whole number up to 4294967295', this.at(key));
    return value;
  }

  /** A Go duration ("200ms", "5s", "1m30s", "100us"); a bare number is refused as the Collector refuses it. */
  durationMs(key: string, fallbackMs: number): number {
    const value = this.values[key];
    if (value === undefined || value === null) return fallbackMs;
    if (typeof value !== 'string') throw new SettingsError('expected a duration such as "5s"', this.at(key));
    return this.convert(key, () => parseGoDurationMillis(value));
  }

  /** A list of Go durations (histogram buckets), or undefined when absent. */
  durationsMs(key: string): number[] | undefined {
    const value = this.values[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw new SettingsError('expected a list of durations', this.at(key));
    return value.map((item: unknown, index) => {
      const at = [...this.at(key), index];
      if (typeof item !== 'string') throw new SettingsError('expected a duration such as "5ms"', at);
      try {
        return parseGoDurationMillis(item);
      } catch (error: unknown) {
        throw new SettingsError((error as Error).message, at);
      }
    });
  }

  sizeBytes(key: string, fallbackBytes: number): number {
    const value = this.values[key];
    if (value === undefined || value === null) return fallbackBytes;
    if (typeof value !== 'string' && typeof value !== 'number')
      throw new SettingsError('expected a size such as "64MiB"', this.at(key));
    return this.convert(key, () => parseSizeBytes(String(value)));
  }

  strings(key: string, fallback: readonly string[] = []): string[] {
    const value = this.values[key];
    if (value === undefined || value === null) return [...fallback];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
      throw new SettingsError('expected a list of strings', this.at(key));
    return value;
  }

  /** A nested mapping, or undefined when absent. */
  child(key: string): SettingsReader | undefined {
    return this.has(key) ? SettingsReader.of(this.values[key], this.at(key)) : undefined;
  }

  /** A list of mappings (policies, actions). */
  list(key: string): SettingsReader[] {
    const value = this.values[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw new SettingsError('expected a list', this.at(key));
    return value.map((item, index) => SettingsReader.of(item, [...this.at(key), index]));
  }

  error(message: string, key?: string): SettingsError {
    return new SettingsError(message, key === undefined ? this.keyPath : this.at(key));
  }

  at(key: string): KeyPath {
    return [...this.keyPath, key];
  }

  private convert<T>(key: string, parse: () => T): T {
    try {
      return parse();
    } catch (error: unknown) {
      throw new SettingsError((error as Error).message, this.at(key));
    }
  }
}
