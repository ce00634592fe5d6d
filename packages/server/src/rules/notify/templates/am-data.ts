/**
 * Notification data as templates see it: the JSON-shaped TemplateData a webhook receives, turned
 * into Alertmanager's *template.Data (template.go) with KV maps and time.Time values.
 */
import { goPtr, goSlice, goString, goStruct, goTime, type GoValue } from '../../templates/go/go-values.ts';
import type { TemplateAlert, TemplateData } from '../template-data.ts';
import { ALERT_TYPE, ALERTS_TYPE, DATA_PTR_TYPE, DATA_TYPE, kvValue } from './am-types.ts';

const NANOS_PER_MILLI = 1_000_000n;

/**
 * A time.Time from Go's JSON time text. template-data.ts writes millisecond precision, so parsing
 * loses nothing; Go's zero time ("0001-01-01T00:00:00Z", endsAt of a firing alert) parses too.
 */
function timeValue(json: string): GoValue {
  const ms = Date.parse(json);
  return goTime(BigInt(Number.isNaN(ms) ? 0 : ms) * NANOS_PER_MILLI);
}

function alertValue(alert: TemplateAlert): GoValue {
  return goStruct(
    ALERT_TYPE,
    new Map<string, GoValue>([
      ['Status', goString(alert.status)],
      ['Labels', kvValue(alert.labels)],
      ['Annotations', kvValue(alert.annotations)],
      ['StartsAt', timeValue(alert.startsAt)],
      ['EndsAt', timeValue(alert.endsAt)],
      ['GeneratorURL', goString(alert.generatorURL)],
      ['Fingerprint', goString(alert.fingerprint)],
    ]),
  );
}

/**
 * The `*template.Data` notification templates execute with (dot).
 * @example executeTemplate(set, templateDataValue(templateData('team', {}, alerts, url)))
 */
export function templateDataValue(data: TemplateData): GoValue {
  const fields = new Map<string, GoValue>([
    ['Receiver', goString(data.receiver)],
    ['Status', goString(data.status)],
    ['Alerts', goSlice(ALERTS_TYPE, data.alerts.map(alertValue))],
    ['GroupLabels', kvValue(data.groupLabels)],
    ['CommonLabels', kvValue(data.commonLabels)],
    ['CommonAnnotations', kvValue(data.commonAnnotations)],
    ['ExternalURL', goString(data.externalURL)],
  ]);
  return goPtr(DATA_PTR_TYPE, goStruct(DATA_TYPE, fields));
}
