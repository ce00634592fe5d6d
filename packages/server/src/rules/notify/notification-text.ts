/**
 * Texts of notifications: every text field of a receiver (Slack title, text, fallback…, PagerDuty
 * description, client, details…) is a Go template, rendered with Alertmanager's template data and
 * functions over the config's template set (notify.TmplText / Template.ExecuteTextString). A field
 * that fails to render fails the whole notification, as in Alertmanager.
 */
import { templateDataValue } from './templates/am-data.ts';
import type { NotificationTemplates } from './templates/notification-templates.ts';
import type { TemplateData } from './template-data.ts';

/**
 * A notification field failed to parse or execute. The message names the field only: Go's
 * message (`detail`) can quote label values, and logs must not carry payload contents.
 */
export class NotificationTemplateError extends Error {
  override readonly name = 'NotificationTemplateError';

  constructor(
    readonly field: string,
    /** text/template's own message, e.g. `template: :1:12: executing "" at <…>: …`. */
    readonly detail: string,
  ) {
    super(`cannot render template of field ${field}`);
  }
}

/** Renders one field: `(field name, template text) → text`; throws NotificationTemplateError. */
export type FieldRenderer = (field: string, text: string) => string;

/**
 * A renderer over one notification's data. `nowMs` is the notification time (`since` uses it).
 * @example
 * const render = fieldRenderer(config.templates, templateData(receiver, groupLabels, alerts, url), nowMs);
 * render('title', '{{ template "slack.default.title" . }}') // "[FIRING:2] HighLatency (api page)"
 */
export function fieldRenderer(
  templates: NotificationTemplates,
  data: TemplateData,
  nowMs: number,
): FieldRenderer {
  const dot = templateDataValue(data);
  return (field, text) => {
    try {
      return templates.render(text, dot, nowMs);
    } catch (error: unknown) {
      throw new NotificationTemplateError(field, error instanceof Error ? error.message : String(error));
    }
  };
}

/**
 * notify.TruncateInRunes: at most `maxRunes` code points, the last one "…" when cut (Slack titles
 * and PagerDuty summaries are limited to 1024).
 */
export function truncateRunes(text: string, maxRunes: number): string {
  const runes = [...text];
  if (runes.length <= maxRunes) return text;
  if (maxRunes <= 3) return runes.slice(0, maxRunes).join('');
  return `${runes.slice(0, maxRunes - 1).join('')}…`;
}
