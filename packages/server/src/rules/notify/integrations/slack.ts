/**
 * The Slack integration: an incoming-webhook message with one attachment (notify/slack/slack.go).
 * Every text field is a Go template rendered over Alertmanager's data; the defaults are
 * Alertmanager's (title `[FIRING:2] AlertName (…)`, empty text), and JSON fields Go marks
 * `omitempty` are left out when they render empty.
 */
import { fieldRenderer, truncateRunes } from '../notification-text.ts';
import type { SlackConfig } from '../notify-config.ts';
import { templateData } from '../template-data.ts';
import type { NotificationTemplates } from '../templates/notification-templates.ts';
import type { IntegrationRequest, NotificationContext } from './integration.ts';

/** slack.go's maxTitleLenRunes (Slack's legacy attachment title limit). */
const MAX_TITLE_RUNES = 1024;

export interface SlackAttachment {
  title?: string;
  title_link?: string;
  pretext?: string;
  text: string;
  fallback: string;
  callback_id: string;
  footer: string;
  color?: string;
  mrkdwn_in: string[];
}

export interface SlackMessage {
  channel?: string;
  username?: string;
  icon_emoji?: string;
  icon_url?: string;
  attachments: SlackAttachment[];
}

/** Drops `omitempty` fields that rendered empty, as encoding/json does. */
function omitEmpty<T extends object>(value: T, keys: readonly (keyof T)[]): T {
  for (const key of keys) if (value[key] === '') delete value[key];
  return value;
}

export function slackMessage(
  config: SlackConfig,
  context: NotificationContext,
  templates: NotificationTemplates,
): SlackMessage {
  const data = templateData(context.receiver, context.groupLabels, context.alerts, context.externalURL);
  const render = fieldRenderer(templates, data, context.nowMs);
  const attachment = omitEmpty<SlackAttachment>(
    {
      title: truncateRunes(render('title', config.title), MAX_TITLE_RUNES),
      title_link: render('title_link', config.titleLink),
      pretext: render('pretext', config.pretext),
      text: render('text', config.text),
      fallback: render('fallback', config.fallback),
      callback_id: render('callback_id', config.callbackId),
      footer: render('footer', config.footer),
      color: render('color', config.color),
      mrkdwn_in: ['fallback', 'pretext', 'text'],
    },
    ['title', 'title_link', 'pretext', 'color'],
  );
  return omitEmpty<SlackMessage>(
    {
      channel: render('channel', config.channel),
      username: render('username', config.username),
      icon_emoji: render('icon_emoji', config.iconEmoji),
      icon_url: render('icon_url', config.iconUrl),
      attachments: [attachment],
    },
    ['channel', 'username', 'icon_emoji', 'icon_url'],
  );
}

export function slackRequest(
  config: SlackConfig,
  context: NotificationContext,
  templates: NotificationTemplates,
): IntegrationRequest {
  return { url: config.apiUrl, body: slackMessage(config, context, templates) };
}
