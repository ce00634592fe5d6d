/**
 * The Go types of Alertmanager's notification template data (template/template.go): Data, Alert,
 * Alerts (with Firing/Resolved), KV (with SortedPairs, Names, Values, Remove, String) and Pairs.
 * Templates see these names in error messages ("can't evaluate field X in type *template.Data"),
 * and fmt prints a KV or Pairs through its String method ("alertname=A, job=b"), as in Go.
 */
import { goFunc } from '../../templates/go/go-func.ts';
import { registerMethods, type Method } from '../../templates/go/go-methods.ts';
import {
  compareGoStrings,
  GO,
  goMap,
  goSlice,
  goString,
  goStruct,
  ptrTo,
  sliceOf,
  type GoType,
  type GoValue,
  type MapValue,
} from '../../templates/go/go-values.ts';

const S = GO.string;

/** `[]string`, what Names/Values/stringSlice return and join and Remove take. */
export const STRING_SLICE: GoType = sliceOf(S);
/** `type KV map[string]string`. */
export const KV_TYPE: GoType = { name: 'template.KV', kind: 'map', elem: S };
/** `type Pair struct { Name, Value string }`. */
export const PAIR_TYPE: GoType = {
  name: 'template.Pair',
  kind: 'struct',
  fields: [
    ['Name', S],
    ['Value', S],
  ],
};
/** `type Pairs []Pair`. */
export const PAIRS_TYPE: GoType = sliceOf(PAIR_TYPE, 'template.Pairs');
/** template.Alert; its JSON names are in go-json.ts. */
export const ALERT_TYPE: GoType = {
  name: 'template.Alert',
  kind: 'struct',
  fields: [
    ['Status', S],
    ['Labels', KV_TYPE],
    ['Annotations', KV_TYPE],
    ['StartsAt', GO.time],
    ['EndsAt', GO.time],
    ['GeneratorURL', S],
    ['Fingerprint', S],
  ],
};
/** `[]Alert`: what Firing and Resolved return (a plain slice, without the methods of Alerts). */
export const ALERT_SLICE_TYPE: GoType = sliceOf(ALERT_TYPE);
/** `type Alerts []Alert`. */
export const ALERTS_TYPE: GoType = sliceOf(ALERT_TYPE, 'template.Alerts');
/** template.Data; notifiers execute templates with a *Data. */
export const DATA_TYPE: GoType = {
  name: 'template.Data',
  kind: 'struct',
  fields: [
    ['Receiver', S],
    ['Status', S],
    ['Alerts', ALERTS_TYPE],
    ['GroupLabels', KV_TYPE],
    ['CommonLabels', KV_TYPE],
    ['CommonAnnotations', KV_TYPE],
    ['ExternalURL', S],
  ],
};
export const DATA_PTR_TYPE: GoType = ptrTo(DATA_TYPE);

/** A KV from a record. */
export function kvValue(record: Readonly<Record<string, string>>): MapValue {
  return goMap(KV_TYPE, new Map(Object.entries(record).map(([k, v]): [string, GoValue] => [k, goString(v)])));
}

function entriesOf(value: GoValue): ReadonlyMap<string, GoValue> {
  return value.kind === 'map' && value.value !== null ? value.value : new Map<string, GoValue>();
}

function text(value: GoValue | undefined): string {
  return value?.kind === 'string' ? value.value : '';
}

/** KV.SortedPairs: `alertname` first, then the other names in byte order. */
function sortedPairs(kv: GoValue): [string, string][] {
  const entries = entriesOf(kv);
  const names = [...entries.keys()].filter((name) => name !== 'alertname').sort(compareGoStrings);
  if (entries.has('alertname')) names.unshift('alertname');
  return names.map((name) => [name, text(entries.get(name))]);
}

function pairsValue(pairs: readonly (readonly [string, string])[]): GoValue {
  const items = pairs.map(([name, value]) =>
    goStruct(
      PAIR_TYPE,
      new Map<string, GoValue>([
        ['Name', goString(name)],
        ['Value', goString(value)],
      ]),
    ),
  );
  return goSlice(PAIRS_TYPE, items);
}

function pairsOf(pairs: GoValue): [string, string][] {
  if (pairs.kind !== 'slice') return [];
  return (pairs.value ?? []).map((pair) =>
    pair.kind === 'struct' ? [text(pair.value.get('Name')), text(pair.value.get('Value'))] : ['', ''],
  );
}

function stringSlice(items: readonly string[]): GoValue {
  return goSlice(
    STRING_SLICE,
    items.map((item) => goString(item)),
  );
}

/** Pairs.String: "name=value, name=value". */
function pairsText(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([name, value]) => `${name}=${value}`).join(', ');
}

const KV_METHODS: Readonly<Record<string, Method>> = {
  SortedPairs: (kv) => goFunc([], () => pairsValue(sortedPairs(kv))),
  Names: (kv) => goFunc([], () => stringSlice(sortedPairs(kv).map(([name]) => name))),
  Values: (kv) => goFunc([], () => stringSlice(sortedPairs(kv).map(([, value]) => value))),
  String: (kv) => goFunc([], () => goString(pairsText(sortedPairs(kv)))),
  Remove: (kv) =>
    goFunc([STRING_SLICE], ([keys]) => {
      const removed = new Set(keys?.kind === 'slice' ? (keys.value ?? []).map(text) : []);
      const kept = [...entriesOf(kv)].filter(([name]) => !removed.has(name));
      return goMap(KV_TYPE, new Map(kept));
    }),
};

const PAIRS_METHODS: Readonly<Record<string, Method>> = {
  Names: (pairs) => goFunc([], () => stringSlice(pairsOf(pairs).map(([name]) => name))),
  Values: (pairs) => goFunc([], () => stringSlice(pairsOf(pairs).map(([, value]) => value))),
  String: (pairs) => goFunc([], () => goString(pairsText(pairsOf(pairs)))),
};

/** Alerts.Firing / Alerts.Resolved: the alerts of one status, never a nil slice. */
function alertsWithStatus(status: string): Method {
  return (alerts) =>
    goFunc([], () => {
      const items = alerts.kind === 'slice' ? (alerts.value ?? []) : [];
      const kept = items.filter(
        (alert) => alert.kind === 'struct' && text(alert.value.get('Status')) === status,
      );
      return goSlice(ALERT_SLICE_TYPE, kept);
    });
}

registerMethods(KV_TYPE, KV_METHODS);
registerMethods(PAIRS_TYPE, PAIRS_METHODS);
registerMethods(ALERTS_TYPE, { Firing: alertsWithStatus('firing'), Resolved: alertsWithStatus('resolved') });

/** The `json:"…"` names of the fields of Data and Alert (Pair has none: its JSON uses Go names). */
export const JSON_FIELD_NAMES: ReadonlyMap<GoType, Readonly<Record<string, string>>> = new Map<
  GoType,
  Readonly<Record<string, string>>
>([
  [
    DATA_TYPE,
    {
      Receiver: 'receiver',
      Status: 'status',
      Alerts: 'alerts',
      GroupLabels: 'groupLabels',
      CommonLabels: 'commonLabels',
      CommonAnnotations: 'commonAnnotations',
      ExternalURL: 'externalURL',
    },
  ],
  [
    ALERT_TYPE,
    {
      Status: 'status',
      Labels: 'labels',
      Annotations: 'annotations',
      StartsAt: 'startsAt',
      EndsAt: 'endsAt',
      GeneratorURL: 'generatorURL',
      Fingerprint: 'fingerprint',
    },
  ],
]);
