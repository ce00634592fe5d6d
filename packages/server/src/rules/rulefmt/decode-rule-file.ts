import { isMap, isScalar, isSeq } from 'yaml';
import { parseDurationMs } from '../../query/promql/literals.ts';
import type {
  DecodedEntry,
  DecodedGroup,
  DecodedRule,
  DecodedString,
  PositionedProblem,
} from './decoded-types.ts';
import {
  describeNode,
  scalarText,
  type YamlPosition,
  type YamlReader,
  type YamlValue,
} from './yaml-reader.ts';

/**
 * Decodes a rule file's YAML into groups the way rulefmt.Parse's strict decoder does
 * (`decoder.KnownFields(true)` into rulefmt.RuleGroups): unknown fields and wrong types are
 * errors worded as yaml.v3 words them ("field annotation not found in type rulefmt.Rule",
 * "cannot unmarshal !!seq into string"); durations must be Prometheus durations (model.Duration).
 * Decoding goes on after an error so one run reports every problem, as yaml.v3 collects its
 * "unmarshal errors"; rulefmt skips semantic validation when any were found, and so do we.
 */
export function decodeRuleFile(reader: YamlReader, problems: PositionedProblem[]): DecodedGroup[] {
  const decoder = new Decoder(reader, problems);
  const root = reader.root();
  let groups: DecodedGroup[] = [];
  decoder.struct(root, 'rulefmt.RuleGroups', {
    groups: (value) => {
      groups = decoder.sequence(value, '[]rulefmt.RuleGroup', (item) => decoder.group(item));
    },
  });
  return groups;
}

type FieldDecoders = Readonly<Record<string, (value: YamlValue) => void>>;

class Decoder {
  constructor(
    private readonly reader: YamlReader,
    private readonly problems: PositionedProblem[],
  ) {}

  group(value: YamlValue): DecodedGroup {
    const group: DecodedGroup = {
      position: value.position,
      name: '',
      intervalMs: 0,
      queryOffsetMs: 0,
      limit: 0,
      labels: [],
      rules: [],
    };
    this.struct(value, 'rulefmt.RuleGroup', {
      name: (field) => (group.name = this.string(field)),
      interval: (field) => (group.intervalMs = this.duration(field)),
      query_offset: (field) => (group.queryOffsetMs = this.duration(field)),
      limit: (field) => (group.limit = this.int(field)),
      rules: (field) => (group.rules = this.sequence(field, '[]rulefmt.Rule', (item) => this.rule(item))),
      labels: (field) => (group.labels = this.stringMap(field)),
    });
    return group;
  }

  rule(value: YamlValue): DecodedRule {
    const absent = (): DecodedString => ({ value: '', position: value.position });
    const rule: DecodedRule = {
      position: value.position,
      record: absent(),
      alert: absent(),
      expr: absent(),
      forMs: 0,
      keepFiringForMs: 0,
      labels: [],
      annotations: [],
    };
    const located = (field: YamlValue): DecodedString => ({
      value: this.string(field),
      position: field.position,
    });
    this.struct(value, 'rulefmt.Rule', {
      record: (field) => (rule.record = located(field)),
      alert: (field) => (rule.alert = located(field)),
      expr: (field) => (rule.expr = located(field)),
      for: (field) => (rule.forMs = this.duration(field)),
      keep_firing_for: (field) => (rule.keepFiringForMs = this.duration(field)),
      labels: (field) => (rule.labels = this.stringMap(field)),
      annotations: (field) => (rule.annotations = this.stringMap(field)),
    });
    return rule;
  }

  /** A mapping decoded into a Go struct: each known field once, unknown fields are errors. */
  struct(value: YamlValue, typeName: string, fields: FieldDecoders): void {
    if (value.node === null) return;
    if (!isMap(value.node)) return this.typeError(value, typeName);
    for (const entry of this.reader.entries(value.node)) {
      const decode =
        entry.key !== undefined && Object.hasOwn(fields, entry.key) ? fields[entry.key] : undefined;
      if (decode) decode(entry.value);
      else this.fail(entry.keyPosition, `field ${entry.key ?? '?'} not found in type ${typeName}`);
    }
  }

  sequence<T>(value: YamlValue, typeName: string, decodeItem: (item: YamlValue) => T): T[] {
    if (value.node === null) return [];
    if (!isSeq(value.node)) {
      this.typeError(value, typeName);
      return [];
    }
    // yaml.v3's decoder.sequence drops items that decode to nothing: a `- ~` group or rule is skipped.
    return value.node.items
      .map((item) => this.reader.resolve(item, value.position))
      .filter((item) => item.node !== null)
      .map(decodeItem);
  }

  /** A Go string: any scalar's text; mappings and sequences are type errors. */
  string(value: YamlValue): string {
    if (value.node === null) return '';
    if (isScalar(value.node)) return scalarText(value.node);
    this.typeError(value, 'string');
    return '';
  }

  /** model.Duration.UnmarshalYAML: a string, then model.ParseDuration. */
  duration(value: YamlValue): number {
    if (value.node === null) return 0;
    const text = this.string(value);
    if (!isScalar(value.node)) return 0;
    if (text === '') {
      this.fail(value.position, 'empty duration string');
      return 0;
    }
    const durationMs = parseDurationMs(text);
    if (durationMs === undefined)
      this.fail(value.position, `not a valid duration string: ${JSON.stringify(text)}`);
    return durationMs ?? 0;
  }

  int(value: YamlValue): number {
    const node = value.node;
    if (node === null) return 0;
    // yaml.v3 decodes integer and whole float scalars into int; strings (even "5") are type errors.
    if (isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value))
      return Math.trunc(node.value);
    this.typeError(value, 'int');
    return 0;
  }

  /** map[string]string: keys and values are scalars, in file order. */
  stringMap(value: YamlValue): DecodedEntry[] {
    if (value.node === null) return [];
    if (!isMap(value.node)) {
      this.typeError(value, 'map[string]string');
      return [];
    }
    return this.reader.entries(value.node).map((entry) => {
      if (entry.key === undefined) this.fail(entry.keyPosition, 'cannot unmarshal !!map into string');
      return { name: entry.key ?? '', value: this.string(entry.value), position: entry.keyPosition };
    });
  }

  private typeError(value: YamlValue, typeName: string): void {
    this.fail(value.position, `cannot unmarshal ${describeNode(value)} into ${typeName}`);
  }

  private fail(position: YamlPosition, message: string): void {
    this.problems.push({ position, message });
  }
}
