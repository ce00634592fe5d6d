import { goUnquote } from '../go/go-strconv.ts';
import { newLexer } from './lex-states.ts';
import type { Item } from './lex.ts';
import { nodeString, type BranchNode, type ListNode, type Node, type PipeNode } from './nodes.ts';
import { pipeline } from './parse-pipeline.ts';
import { Tree, type ParseContext } from './parse-tree.ts';

/**
 * text/template's parser (parse.go): the template and its {{define}}/{{block}} templates, with
 * if/else if/else, range (break, continue, else), with/else with, template and comments.
 */

/** Parses `text` as the template `name`; throws TemplateParseError. Returns name → tree. */
export function parseTemplates(
  name: string,
  text: string,
  hasFunction: (name: string) => boolean,
): Map<string, Tree> {
  const context: ParseContext = {
    text,
    parseName: name,
    hasFunction,
    lex: newLexer(text),
    treeSet: new Map(),
  };
  context.lex.options = { breakOK: !hasFunction('break'), continueOK: !hasFunction('continue') };
  const tree = new Tree(name, context);
  parseTop(tree);
  tree.add();
  return context.treeSet;
}

function parseTop(t: Tree): void {
  t.root = t.newList(t.peek().pos);
  while (t.peek().typ !== 'eof') {
    if (t.peek().typ === 'leftDelim') {
      const delim = t.next();
      if (t.nextNonSpace().typ === 'define') {
        parseDefinition(new Tree('definition', t.context));
        continue;
      }
      t.backup2(delim);
    }
    const node = textOrAction(t);
    if (node.type === 'end' || node.type === 'else') t.errorf(`unexpected ${nodeString(node)}`);
    t.root.nodes.push(node);
  }
}

function parseDefinition(t: Tree): void {
  const context = 'define clause';
  const name = t.expectOneOf('string', 'rawString', context);
  const unquoted = goUnquote(name.val);
  if (unquoted === undefined) t.errorf('invalid syntax');
  t.name = unquoted;
  t.expect('rightDelim', context);
  const [root, end] = itemList(t);
  t.root = root;
  if (end.type !== 'end') t.errorf(`unexpected ${nodeString(end)} in ${context}`);
  t.add();
}

/** textOrAction* up to {{end}} or {{else}}, which is returned separately. */
function itemList(t: Tree): [ListNode, Node] {
  const list = t.newList(t.peekNonSpace().pos);
  while (t.peekNonSpace().typ !== 'eof') {
    const node = textOrAction(t);
    if (node.type === 'end' || node.type === 'else') return [list, node];
    list.nodes.push(node);
  }
  return t.errorf('unexpected EOF');
}

function textOrAction(t: Tree): Node {
  const token = t.nextNonSpace();
  if (token.typ === 'text') return { type: 'text', pos: token.pos, text: token.val };
  if (token.typ !== 'leftDelim') t.unexpected(token, 'input');
  t.actionLine = token.line;
  try {
    return action(t);
  } finally {
    t.actionLine = 0;
  }
}

function action(t: Tree): Node {
  const token = t.nextNonSpace();
  switch (token.typ) {
    case 'block':
      return blockControl(t);
    case 'break':
    case 'continue':
      return loopControl(t, token);
    case 'else':
      return elseControl(t);
    case 'end':
      return { type: 'end', pos: t.expect('rightDelim', 'end').pos };
    case 'if':
    case 'range':
    case 'with':
      return branchControl(t, token.typ);
    case 'template':
      return templateControl(t);
  }
  t.backup();
  const start = t.peek();
  return { type: 'action', pos: start.pos, pipe: pipeline(t, 'command', 'rightDelim') };
}

function loopControl(t: Tree, token: Item): Node {
  const name = token.typ === 'break' ? 'break' : 'continue';
  const next = t.nextNonSpace();
  if (next.typ !== 'rightDelim') t.unexpected(next, `{{${name}}}`);
  if (t.rangeDepth === 0) t.errorf(`{{${name}}} outside {{range}}`);
  return { type: name, pos: token.pos };
}

/** if/range/with; `{{else if …}}` and `{{else with …}}` nest a new branch in the else list. */
function branchControl(t: Tree, type: BranchNode['type']): BranchNode {
  const varsLength = t.vars.length;
  try {
    const pipe: PipeNode = pipeline(t, type, 'rightDelim');
    if (type === 'range') t.rangeDepth++;
    const [list, next] = itemList(t);
    if (type === 'range') t.rangeDepth--;
    let elseList: ListNode | null = null;
    if (next.type === 'else') {
      if ((type === 'if' || type === 'with') && t.peek().typ === type) {
        t.next();
        elseList = t.newList(next.pos);
        elseList.nodes.push(branchControl(t, type));
      } else {
        const [list2, end] = itemList(t);
        if (end.type !== 'end') t.errorf(`expected end; found ${nodeString(end)}`);
        elseList = list2;
      }
    }
    return { type, pos: pipe.pos, pipe, list, elseList };
  } finally {
    t.vars.length = varsLength;
  }
}

function elseControl(t: Tree): Node {
  const peek = t.peekNonSpace();
  // "{{else if …" / "{{else with …" become "{{else}}{{if …": leave the keyword for the caller.
  if (peek.typ === 'if' || peek.typ === 'with') return { type: 'else', pos: peek.pos };
  return { type: 'else', pos: t.expect('rightDelim', 'else').pos };
}

function templateName(t: Tree, token: Item, context: string): string {
  if (token.typ !== 'string' && token.typ !== 'rawString') t.unexpected(token, context);
  const name = goUnquote(token.val);
  return name ?? t.errorf('invalid syntax');
}

function blockControl(t: Tree): Node {
  const context = 'block clause';
  const token = t.nextNonSpace();
  const name = templateName(t, token, context);
  const pipe = pipeline(t, context, 'rightDelim');
  const block = new Tree(name, t.context);
  const [root, end] = itemList(block);
  block.root = root;
  if (end.type !== 'end') t.errorf(`unexpected ${nodeString(end)} in ${context}`);
  block.add();
  return { type: 'template', pos: token.pos, name, pipe };
}

function templateControl(t: Tree): Node {
  const context = 'template clause';
  const token = t.nextNonSpace();
  const name = templateName(t, token, context);
  let pipe: PipeNode | null = null;
  if (t.nextNonSpace().typ !== 'rightDelim') {
    t.backup();
    pipe = pipeline(t, context, 'rightDelim');
  }
  return { type: 'template', pos: token.pos, name, pipe };
}
