import type { AttributeValue } from '../../../model/attributes.ts';
import type { SettingsReader } from '../../graph/settings-reader.ts';
import { configAttributeValue } from './config-value.ts';
import { CONVERTED_TYPES, type ConvertedType } from './convert-value.ts';
import { re2SearchRegExp } from '../../../model/re2-regex.ts';
import { captureGroupCount } from './re2-pattern.ts';

/** Where insert/update/upsert take their value from. */
export type ValueSource = { value: AttributeValue } | { fromAttribute: string };

/**
 * One validated action of the Collector's shared attribute-action code
 * (internal/coreinternal/attraction/attraction.go), with its regex compiled once.
 */
export type AttributeAction =
  | { action: 'insert' | 'update' | 'upsert'; key: string; source: ValueSource }
  | { action: 'delete' | 'hash'; key: string; pattern: RegExp | undefined }
  | { action: 'extract'; key: string; pattern: RegExp; groupNames: readonly string[] }
  | { action: 'convert'; key: string; convertedType: ConvertedType };

const ACTION_KEYS = ['key', 'value', 'pattern', 'from_attribute', 'from_context', 'converted_type', 'action'];

/** The raw fields of one action, before the per-action rules. */
interface ActionFields {
  reader: SettingsReader;
  action: string;
  key: string;
  pattern: string;
  fromAttribute: string;
  fromContext: string;
  convertedType: string;
  hasValue: boolean;
}

/**
 * Reads and validates an action list (`actions` of the attributes processor, `attributes` of the
 * resource processor) with the Collector's rules and its error words; each error names the action's
 * key path, where upstream says "at the N-th actions".
 *
 * @example
 * const actions = parseAttributeActions(SettingsReader.of(settings), 'actions');
 */
export function parseAttributeActions(settings: SettingsReader, listKey: string): AttributeAction[] {
  const items = settings.list(listKey);
  // attributesprocessor/config.go and resourceprocessor/config.go Validate().
  if (items.length === 0) throw settings.error(`missing required field "${listKey}"`, listKey);
  return items.map((item) => parseAction(readFields(item)));
}

function readFields(reader: SettingsReader): ActionFields {
  reader.allowOnly(ACTION_KEYS);
  return {
    reader,
    // Upstream lower-cases the action, so `INSERT` and `Upsert` are accepted.
    action: reader.string('action', '').toLowerCase(),
    key: reader.string('key', ''),
    pattern: reader.string('pattern', ''),
    fromAttribute: reader.string('from_attribute', ''),
    fromContext: reader.string('from_context', ''),
    convertedType: reader.string('converted_type', ''),
    hasValue: reader.has('value'),
  };
}

function parseAction(fields: ActionFields): AttributeAction {
  const { reader, action, key } = fields;
  if (action === 'delete' || action === 'hash') {
    if (key === '' && fields.pattern === '')
      throw reader.error('missing required field (at least one of "key" and "pattern" have to be used)');
  } else if (key === '') {
    throw reader.error('missing required field "key"', 'key');
  }
  switch (action) {
    case 'insert':
    case 'update':
    case 'upsert':
      return { action, key, source: parseValueSource(fields) };
    case 'delete':
    case 'hash':
      return parseDeleteOrHash(fields, action);
    case 'extract':
      return parseExtract(fields);
    case 'convert':
      return parseConvert(fields);
    default:
      throw reader.error(`unsupported action "${action}"`, 'action');
  }
}

function valueSourceCount(fields: ActionFields): number {
  return Number(fields.hasValue) + Number(fields.fromAttribute !== '') + Number(fields.fromContext !== '');
}

function parseValueSource(fields: ActionFields): ValueSource {
  const { reader, action } = fields;
  const count = valueSourceCount(fields);
  if (count === 0)
    throw reader.error('either field "value", "from_attribute" or "from_context" setting must be specified');
  if (count > 1) throw reader.error('multiple value sources being set');
  if (fields.pattern !== '')
    throw reader.error(`action "${action}" does not use the "pattern" field`, 'pattern');
  refuseConvertedType(fields);
  if (fields.fromContext !== '') {
    // Upstream reads client.Info (request metadata, auth attributes, peer address) from the Go
    // context; Vigil's pipeline hands records on without the request they came in, so there is
    // nothing to read. Refusing beats silently never setting the attribute.
    throw reader.error(
      'from_context is not supported: Vigil does not pass client request metadata, auth attributes or the client address into the pipeline',
      'from_context',
    );
  }
  if (fields.hasValue) return { value: configAttributeValue(reader.raw('value'), reader.at('value')) };
  return { fromAttribute: fields.fromAttribute };
}

function parseDeleteOrHash(fields: ActionFields, action: 'delete' | 'hash'): AttributeAction {
  const { reader } = fields;
  if (fields.hasValue || fields.fromAttribute !== '')
    throw reader.error(`action "${action}" does not use "value" or "from_attribute" field`);
  const pattern = fields.pattern === '' ? undefined : compile(fields);
  refuseConvertedType(fields);
  return { action, key: fields.key, pattern };
}

function parseExtract(fields: ActionFields): AttributeAction {
  const { reader } = fields;
  if (valueSourceCount(fields) > 0) throw reader.error('action "extract" does not use a value source field');
  if (fields.pattern === '')
    throw reader.error('missing required field "pattern" for action "extract"', 'pattern');
  refuseConvertedType(fields);
  const pattern = compile(fields);
  const groupNames = namedGroups(pattern);
  if (groupNames.length === 0)
    throw reader.error('field "pattern" contains no named matcher groups', 'pattern');
  if (groupNames.length !== captureGroupCount(pattern))
    throw reader.error('field "pattern" contains at least one unnamed matcher group', 'pattern');
  return { action: 'extract', key: fields.key, pattern, groupNames };
}

function parseConvert(fields: ActionFields): AttributeAction {
  const { reader, convertedType } = fields;
  if (valueSourceCount(fields) > 0 || fields.pattern !== '')
    throw reader.error('action "convert" does not use value sources or "pattern" field');
  if (convertedType === '')
    throw reader.error('missing required field "converted_type" for action "convert"', 'converted_type');
  const target = CONVERTED_TYPES.find((type) => type === convertedType);
  if (target === undefined)
    throw reader.error(
      `invalid value "${convertedType}" in field "converted_type" for action "convert"`,
      'converted_type',
    );
  return { action: 'convert', key: fields.key, convertedType: target };
}

function refuseConvertedType(fields: ActionFields): void {
  if (fields.convertedType !== '')
    throw fields.reader.error(
      `action "${fields.action}" does not use the "converted_type" field`,
      'converted_type',
    );
}

function compile(fields: ActionFields): RegExp {
  try {
    return re2SearchRegExp(fields.pattern);
  } catch {
    throw fields.reader.error(`field "pattern" has invalid pattern: "${fields.pattern}"`, 'pattern');
  }
}

/** Group names in group order: a match's `groups` object lists them in the order they appear. */
function namedGroups(pattern: RegExp): string[] {
  const probe = new RegExp(`${pattern.source}|`, pattern.flags).exec('');
  return probe?.groups ? Object.keys(probe.groups) : [];
}
