/**
 * The notification template set: Alertmanager's default.tmpl, then the user's template files, run
 * with Go's text/template (Vigil's port) and Alertmanager's functions. Each notification field is
 * executed as Template.ExecuteTextString does it (template/template.go): a new template "" parsed
 * on a clone of the set, `missingkey=zero`, the *template.Data as dot.
 */
import type { GoValue } from '../../templates/go/go-values.ts';
import { TemplateParseError } from '../../templates/text-template/errors.ts';
import { executeTemplate } from '../../templates/text-template/exec.ts';
import { TemplateSet } from '../../templates/text-template/template-set.ts';
import { alertmanagerFuncs, type AlertmanagerFuncContext } from './am-funcs.ts';
import { DEFAULT_TEMPLATES } from './default-templates.ts';

/** A user template file: its base name (the template it defines besides its {{define}}s) and text. */
export interface TemplateSource {
  name: string;
  text: string;
}

const NO_CONTEXT: AlertmanagerFuncContext = { nowMs: 0 };
/**
 * What `since` reads. Execution is synchronous, so it is set right before each run and one
 * function map serves every template (as templates/expander.ts does for Prometheus's).
 */
let currentContext = NO_CONTEXT;
const FUNCS = alertmanagerFuncs(() => currentContext);

let defaultSet: TemplateSet | undefined;

/** default.tmpl parsed into the root template "", as FromGlobs parses it into `tmpltext.New("")`. */
function defaults(): TemplateSet {
  defaultSet ??= TemplateSet.parse('', DEFAULT_TEMPLATES, FUNCS, 'zero');
  return defaultSet;
}

/** Field texts repeat with every notification; parsing each once saves most of the work. */
const FIELD_CACHE_LIMIT = 1000;

/**
 * A loaded template set; immutable, shared by all receivers of a config.
 * @example
 * const templates = NotificationTemplates.load([{ name: 'team.tmpl', text: '{{ define "team" }}ml{{ end }}' }]);
 * templates.render('{{ template "team" . }}: {{ template "slack.default.title" . }}', dot, nowMs);
 */
export class NotificationTemplates {
  private readonly fieldCache = new Map<string, TemplateSet | TemplateParseError>();

  private constructor(
    private readonly set: TemplateSet,
    /** The user files loaded, in load order. */
    readonly fileNames: readonly string[],
  ) {}

  /**
   * Alertmanager's defaults, then each file as ParseGlob parses it: a template named after the
   * file, whose definitions replace same-named ones (a user may redefine `slack.default.title`).
   * Throws TemplateParseError ("template: team.tmpl:3: unexpected …").
   */
  static load(files: readonly TemplateSource[] = []): NotificationTemplates {
    let set = defaults();
    for (const file of files) set = set.withParsed(file.name, file.text);
    return new NotificationTemplates(
      set,
      files.map((file) => file.name),
    );
  }

  /** The default templates only (no `templates:` in the config). */
  static defaults(): NotificationTemplates {
    return DEFAULT_ONLY;
  }

  /** Whether the set defines a template named `name`. */
  has(name: string): boolean {
    return this.set.trees.has(name);
  }

  /**
   * Template.ExecuteTextString: "" renders as ""; anything else is parsed as template "" and run
   * with `dot`. `nowMs` is the notification time (for `since`). Throws TemplateParseError or
   * TemplateExecError with Go's message.
   */
  render(text: string, dot: GoValue, nowMs: number): string {
    if (text === '') return '';
    const set = this.fieldSet(text);
    currentContext = { nowMs };
    try {
      return executeTemplate(set, dot);
    } finally {
      currentContext = NO_CONTEXT;
    }
  }

  private fieldSet(text: string): TemplateSet {
    let parsed = this.fieldCache.get(text);
    if (parsed === undefined) {
      try {
        parsed = this.set.withParsed('', text);
      } catch (error: unknown) {
        if (!(error instanceof TemplateParseError)) throw error;
        parsed = error;
      }
      if (this.fieldCache.size >= FIELD_CACHE_LIMIT) this.fieldCache.clear();
      this.fieldCache.set(text, parsed);
    }
    if (parsed instanceof TemplateParseError) throw parsed;
    return parsed;
  }
}

const DEFAULT_ONLY = NotificationTemplates.load();
