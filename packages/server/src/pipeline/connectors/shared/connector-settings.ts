import { SettingsError } from '../../graph/component.ts';
import type { SettingsReader } from '../../graph/settings-reader.ts';
import { parseGoDurationMillis } from '../../../config/go-duration.ts';

/**
 * Readers for the setting shapes both connectors share, on top of the lead's SettingsReader:
 * Go durations (with sub-millisecond units) and lists of them.
 */

/** A Go duration in milliseconds, or `fallbackMs` when absent. Negative values are returned as read. */
export function goDurationMs(reader: SettingsReader, key: string, fallbackMs: number): number {
  const value = reader.raw(key);
  if (value === undefined || value === null) return fallbackMs;
  if (typeof value !== 'string') throw reader.error('expected a duration such as "5s"', key);
  try {
    return parseGoDurationMillis(value);
  } catch (error: unknown) {
    throw reader.error((error as Error).message, key);
  }
}

/** A list of Go durations in milliseconds (histogram buckets), or undefined when absent. */
export function goDurationsMs(reader: SettingsReader, key: string): number[] | undefined {
  const value = reader.raw(key);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw reader.error('expected a list of durations', key);
  return value.map((item: unknown, index) => {
    if (typeof item !== 'string')
      throw new SettingsError('expected a duration such as "5ms"', [...reader.at(key), index]);
    try {
      return parseGoDurationMillis(item);
    } catch (error: unknown) {
      throw new SettingsError((error as Error).message, [...reader.at(key), index]);
    }
  });
}
