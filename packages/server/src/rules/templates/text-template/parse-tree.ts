import { goQuote } from '../go/go-strconv.ts';
import { TemplateParseError } from './errors.ts';
import { isKeyword, type Item, type ItemType, type Lexer } from './lex.ts';
import type { ListNode, Node, VariableNode } from './nodes.ts';

/** Go's item.String(), used in "unexpected … in …" messages. */
export function itemString(item: Item): string {
  if (item.typ === 'eof') return 'EOF';
  if (item.typ === 'error') return item.val;
  if (isKeyword(item.typ)) return `<${item.val}>`;
  if (Buffer.byteLength(item.val) > 10) return `${goQuote([...item.val].slice(0, 10).join(''))}...`;
  return goQuote(item.val);
}

/** Whether a tree is empty of everything but space (parse.IsEmptyTree). */
export function isEmptyTree(node: Node | null): boolean {
  if (node === null) return true;
  if (node.type === 'list') return node.nodes.every(isEmptyTree);
  if (node.type === 'text') return node.text.trim() === '';
  return false;
}

/** Shared by all trees of one parse: the template set being built. */
export interface ParseContext {
  readonly text: string;
  readonly parseName: string;
  readonly hasFunction: (name: string) => boolean;
  readonly lex: Lexer;
  readonly treeSet: Map<string, Tree>;
}

/**
 * One template's parse tree and the parser state that builds it (parse.Tree): three-token lookahead,
 * declared variables, and the line of the action being parsed, for error messages.
 */
export class Tree {
  root: ListNode | null = null;
  private readonly token: Item[] = [];
  private peekCount = 0;
  vars: string[] = ['$'];
  actionLine = 0;
  rangeDepth = 0;
  stackDepth = 0;

  constructor(
    public name: string,
    readonly context: ParseContext,
  ) {}

  next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.context.lex.nextItem();
    return this.token[this.peekCount]!;
  }

  backup(): void {
    this.peekCount++;
  }

  backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.context.lex.nextItem();
    return this.token[0];
  }

  nextNonSpace(): Item {
    let token = this.next();
    while (token.typ === 'space') token = this.next();
    return token;
  }

  peekNonSpace(): Item {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  errorf(message: string): never {
    this.root = null;
    const line = this.token[0]?.line ?? 1;
    throw new TemplateParseError(`template: ${this.context.parseName}:${line}: ${message}`);
  }

  expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected) this.unexpected(token, context);
    return token;
  }

  expectOneOf(expected1: ItemType, expected2: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected1 && token.typ !== expected2) this.unexpected(token, context);
    return token;
  }

  unexpected(token: Item, context: string): never {
    if (token.typ === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.context.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${token.val}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  newList(pos: number): ListNode {
    return { type: 'list', pos, nodes: [] };
  }

  newVariable(pos: number, ident: string): VariableNode {
    return { type: 'variable', pos, ident: ident.split('.') };
  }

  /** Adds this tree to the set; a second non-empty definition of a name is an error. */
  add(): void {
    const existing = this.context.treeSet.get(this.name);
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.context.treeSet.set(this.name, this);
      return;
    }
    if (!isEmptyTree(this.root))
      this.errorf(`template: multiple definition of template ${goQuote(this.name)}`);
  }
}
