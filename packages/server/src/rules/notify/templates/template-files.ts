/**
 * The `templates:` list of alertmanager.yml: file globs (relative ones against the config file's
 * directory, as config.resolveFilepaths joins them), matched with Go's filepath.Glob and parsed
 * at config load, so a broken template file is a config error that names the file.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { globFiles } from '../../../config/go-glob.ts';
import type { ConfigNode } from '../config-reader.ts';
import { NotificationTemplates, type TemplateSource } from './notification-templates.ts';

/**
 * Reads the files the globs match, in order, and loads them over Alertmanager's defaults.
 * Throws Error with the file and Go's parse message ("team.tmpl: template: team.tmpl:3: …").
 */
export function loadTemplateFiles(globs: readonly string[], baseDir: string): NotificationTemplates {
  const sources: TemplateSource[] = [];
  for (const glob of globs) {
    const pattern = isAbsolute(glob) ? glob : resolve(baseDir, glob);
    let paths: string[];
    try {
      paths = globFiles(pattern);
    } catch (error: unknown) {
      throw new Error(`${glob}: ${(error as Error).message}`);
    }
    for (const path of paths) sources.push({ name: basename(path), text: readTemplateFile(path) });
  }
  try {
    return NotificationTemplates.load(sources);
  } catch (error: unknown) {
    const name = /^template: ([^:]*):/.exec((error as Error).message)?.[1];
    throw new Error(`${name ?? 'template file'}: ${(error as Error).message}`);
  }
}

function readTemplateFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error: unknown) {
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/**
 * The `templates:` field of a notification config at `configFile`; errors become config errors
 * at that field's line.
 */
export function parseTemplatesField(node: ConfigNode | undefined, configFile: string): NotificationTemplates {
  const globs = node?.strings() ?? [];
  if (globs.length === 0) return NotificationTemplates.defaults();
  try {
    return loadTemplateFiles(globs, dirname(configFile));
  } catch (error: unknown) {
    throw node?.error((error as Error).message) ?? error;
  }
}
