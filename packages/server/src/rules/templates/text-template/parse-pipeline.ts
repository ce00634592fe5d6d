import { goQuote, goUnquote } from '../go/go-strconv.ts';
import type { ItemType } from './lex.ts';
import { nodeString, type ChainNode, type CommandNode, type Node, type PipeNode } from './nodes.ts';
import { newNumber } from './parse-number.ts';
import type { Tree } from './parse-tree.ts';

/** Pipelines, commands, operands and terms (parse.go pipeline … term), ported rule by rule. */

/** Go rejects deeper nesting of parenthesized expressions. */
const MAX_STACK_DEPTH = 10000;

const COMMAND_STARTS = new Set<ItemType>([
  'bool',
  'charConstant',
  'complex',
  'dot',
  'field',
  'identifier',
  'number',
  'nil',
  'rawString',
  'string',
  'variable',
  'leftParen',
]);

/** Pipeline: declarations? command ('|' command)* — ended by `end` (right delim or paren). */
export function pipeline(t: Tree, context: string, end: ItemType): PipeNode {
  const start = t.peekNonSpace();
  const pipe: PipeNode = { type: 'pipe', pos: start.pos, isAssign: false, decl: [], cmds: [] };
  declarations(t, pipe, context);
  for (;;) {
    const token = t.nextNonSpace();
    if (token.typ === end) {
      checkPipeline(t, pipe, context);
      return pipe;
    }
    if (!COMMAND_STARTS.has(token.typ)) t.unexpected(token, context);
    t.backup();
    pipe.cmds.push(command(t));
  }
}

/** `$x :=`, `$x =`, or (in range) `$i, $v :=`. Needs three tokens of lookahead, as Go's does. */
function declarations(t: Tree, pipe: PipeNode, context: string): void {
  for (;;) {
    const v = t.peekNonSpace();
    if (v.typ !== 'variable') return;
    t.next();
    const tokenAfterVariable = t.peek();
    const next = t.peekNonSpace();
    if (next.typ === 'assign' || next.typ === 'declare') {
      pipe.isAssign = next.typ === 'assign';
      t.nextNonSpace();
      pipe.decl.push(t.newVariable(v.pos, v.val));
      t.vars.push(v.val);
    } else if (next.typ === 'char' && next.val === ',') {
      t.nextNonSpace();
      pipe.decl.push(t.newVariable(v.pos, v.val));
      t.vars.push(v.val);
      if (context === 'range' && pipe.decl.length < 2) {
        const following = t.peekNonSpace().typ;
        if (following === 'variable' || following === 'rightDelim' || following === 'rightParen') continue;
        t.errorf('range can only initialize variables');
      }
      t.errorf(`too many declarations in ${context}`);
    } else if (tokenAfterVariable.typ === 'space') t.backup3(v, tokenAfterVariable);
    else t.backup2(v);
    return;
  }
}

function checkPipeline(t: Tree, pipe: PipeNode, context: string): void {
  if (pipe.cmds.length === 0) t.errorf(`missing value for ${context}`);
  pipe.cmds.slice(1).forEach((cmd, i) => {
    const first = cmd.args[0]?.type;
    if (first === 'bool' || first === 'dot' || first === 'nil' || first === 'number' || first === 'string') {
      t.errorf(`non executable command in pipeline stage ${i + 2}`);
    }
  });
}

/** command: operand (space operand)*, up to a pipe (consumed) or right delimiter (left in place). */
function command(t: Tree): CommandNode {
  const cmd: CommandNode = { type: 'command', pos: t.peekNonSpace().pos, args: [] };
  for (;;) {
    t.peekNonSpace();
    const node = operand(t);
    if (node !== null) cmd.args.push(node);
    const token = t.next();
    if (token.typ === 'space') continue;
    if (token.typ === 'rightDelim' || token.typ === 'rightParen') t.backup();
    else if (token.typ !== 'pipe') t.unexpected(token, 'operand');
    break;
  }
  if (cmd.args.length === 0) t.errorf('empty command');
  return cmd;
}

/** operand: term .Field* */
function operand(t: Tree): Node | null {
  const node = term(t);
  if (node === null || t.peek().typ !== 'field') return node;
  const chain: ChainNode = { type: 'chain', pos: t.peek().pos, node, field: [] };
  while (t.peek().typ === 'field') chain.field.push(t.next().val.slice(1));
  switch (node.type) {
    case 'field':
      return { type: 'field', pos: chain.pos, ident: [...node.ident, ...chain.field] };
    case 'variable':
      return { type: 'variable', pos: chain.pos, ident: [...node.ident, ...chain.field] };
    case 'bool':
    case 'string':
    case 'number':
    case 'nil':
    case 'dot':
      return t.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
    default:
      return chain;
  }
}

/** term: literal | function | . | .Field | $var | '(' pipeline ')'. Null if the next item is none. */
function term(t: Tree): Node | null {
  const token = t.nextNonSpace();
  switch (token.typ) {
    case 'identifier':
      if (!t.context.hasFunction(token.val)) t.errorf(`function ${goQuote(token.val)} not defined`);
      return { type: 'identifier', pos: token.pos, ident: token.val };
    case 'dot':
      return { type: 'dot', pos: token.pos };
    case 'nil':
      return { type: 'nil', pos: token.pos };
    case 'variable':
      return useVar(t, token.pos, token.val);
    case 'field':
      return { type: 'field', pos: token.pos, ident: token.val.slice(1).split('.') };
    case 'bool':
      return { type: 'bool', pos: token.pos, value: token.val === 'true' };
    case 'charConstant':
    case 'complex':
    case 'number': {
      const number = newNumber(token.pos, token.val, token.typ);
      return typeof number === 'string' ? t.errorf(number) : number;
    }
    case 'leftParen':
      return parenthesized(t);
    case 'string':
    case 'rawString': {
      const text = goUnquote(token.val);
      return text === undefined
        ? t.errorf('invalid syntax')
        : { type: 'string', pos: token.pos, quoted: token.val, text };
    }
    default:
      t.backup();
      return null;
  }
}

function parenthesized(t: Tree): PipeNode {
  if (t.stackDepth >= MAX_STACK_DEPTH) t.errorf('max expression depth exceeded');
  t.stackDepth++;
  try {
    return pipeline(t, 'parenthesized pipeline', 'rightParen');
  } finally {
    t.stackDepth--;
  }
}

function useVar(t: Tree, pos: number, name: string): Node {
  const variable = t.newVariable(pos, name);
  const first = variable.ident[0] ?? '';
  if (!t.vars.includes(first)) t.errorf(`undefined variable ${goQuote(first)}`);
  return variable;
}
