import type { GoFunc } from '../go/go-func.ts';
import { BUILTINS } from './builtins.ts';
import type { Node } from './nodes.ts';
import { parseTemplates } from './parse.ts';
import { isEmptyTree, type Tree } from './parse-tree.ts';

/** text/template's `missingkey` option: what a missing map key yields. */
export type MissingKeyOption = 'invalid' | 'zero' | 'error';

/**
 * A parsed template with its {{define}}d templates and function map: what text/template's
 * Template.Parse produces and Execute runs. Functions must be known at parse time, as in Go.
 */
export class TemplateSet {
  private constructor(
    readonly name: string,
    private readonly text: string,
    readonly trees: ReadonlyMap<string, Tree>,
    private readonly funcs: ReadonlyMap<string, GoFunc>,
    readonly missingKey: MissingKeyOption,
  ) {}

  /** Parses `text` as template `name`; throws TemplateParseError with Go's message. */
  static parse(
    name: string,
    text: string,
    funcs: ReadonlyMap<string, GoFunc>,
    missingKey: MissingKeyOption,
  ): TemplateSet {
    const trees = parseTemplates(name, text, (fn) => funcs.has(fn) || BUILTINS.has(fn));
    return new TemplateSet(name, text, trees, funcs, missingKey);
  }

  /**
   * `Template.New(name).Parse(text)` on a copy of this set, as Alertmanager runs a notification
   * field on a clone of its templates (ExecuteTextString). The new templates join the set's and
   * replace same-named ones, except that an empty definition never replaces one (associate in
   * template.go); `name` is the template Execute then runs. Throws TemplateParseError.
   */
  withParsed(name: string, text: string): TemplateSet {
    const parsed = parseTemplates(name, text, (fn) => this.funcs.has(fn) || BUILTINS.has(fn));
    const trees = new Map(this.trees);
    for (const [treeName, tree] of parsed) {
      // The template being parsed always gets its tree (AddParseTree sets nt.Tree regardless).
      if (treeName !== name && trees.has(treeName) && isEmptyTree(tree.root)) continue;
      trees.set(treeName, tree);
    }
    return new TemplateSet(name, text, trees, this.funcs, this.missingKey);
  }

  /** The function map first, then the builtins (findFunction in funcs.go). */
  findFunction(name: string): { fn: GoFunc; builtin: boolean } | undefined {
    const own = this.funcs.get(name);
    if (own !== undefined) return { fn: own, builtin: false };
    const builtin = BUILTINS.get(name);
    return builtin === undefined ? undefined : { fn: builtin, builtin: true };
  }

  /**
   * Tree.ErrorContext's location: "NAME:LINE:COL", COL a 0-based byte offset in the line. NAME and
   * the text are those of the parse that defined `templateName` (sets can join several parses).
   */
  errorLocation(node: Node, templateName: string = this.name): string {
    const parse = this.trees.get(templateName)?.context;
    const text = parse?.text ?? this.text;
    const before = text.slice(0, node.pos);
    const lineStart = before.lastIndexOf('\n') + 1;
    const line = 1 + before.split('\n').length - 1;
    return `${parse?.parseName ?? this.name}:${line}:${Buffer.byteLength(before.slice(lineStart))}`;
  }
}
