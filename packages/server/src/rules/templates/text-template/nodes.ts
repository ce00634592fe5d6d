import { goQuote } from '../go/go-strconv.ts';

/**
 * Parse tree nodes of Go's text/template (text/template/parse/node.go). `pos` is the node's start
 * in the template text; `nodeString` renders a node exactly as Go's Node.String() does, because
 * execution errors quote it ("executing "x" at <humanize "one">: …").
 */

interface Positioned {
  readonly pos: number;
}

export interface ListNode extends Positioned {
  readonly type: 'list';
  readonly nodes: Node[];
}
export interface TextNode extends Positioned {
  readonly type: 'text';
  readonly text: string;
}
export interface ActionNode extends Positioned {
  readonly type: 'action';
  readonly pipe: PipeNode;
}
export interface PipeNode extends Positioned {
  readonly type: 'pipe';
  isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}
export interface CommandNode extends Positioned {
  readonly type: 'command';
  readonly args: Node[];
}
export interface IdentifierNode extends Positioned {
  readonly type: 'identifier';
  readonly ident: string;
}
/** `$x.Field`: the variable name (with `$`) then the fields. */
export interface VariableNode extends Positioned {
  readonly type: 'variable';
  readonly ident: string[];
}
export interface DotNode extends Positioned {
  readonly type: 'dot';
}
export interface NilNode extends Positioned {
  readonly type: 'nil';
}
/** `.A.B`: the field names without dots. */
export interface FieldNode extends Positioned {
  readonly type: 'field';
  readonly ident: string[];
}
/** `(pipeline).A.B` or another term followed by fields. */
export interface ChainNode extends Positioned {
  readonly type: 'chain';
  readonly node: Node;
  readonly field: string[];
}
export interface BoolNode extends Positioned {
  readonly type: 'bool';
  readonly value: boolean;
}
/** A number constant under every Go type that can hold it (Go's ideal constants). */
export interface NumberNode extends Positioned {
  readonly type: 'number';
  readonly text: string;
  readonly isInt: boolean;
  readonly isUint: boolean;
  readonly isFloat: boolean;
  readonly int64: bigint;
  readonly uint64: bigint;
  readonly float64: number;
}
export interface StringNode extends Positioned {
  readonly type: 'string';
  readonly quoted: string;
  readonly text: string;
}
export interface EndNode extends Positioned {
  readonly type: 'end';
}
export interface ElseNode extends Positioned {
  readonly type: 'else';
}
/** if, range and with. */
export interface BranchNode extends Positioned {
  readonly type: 'if' | 'range' | 'with';
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | null;
}
export interface TemplateNode extends Positioned {
  readonly type: 'template';
  readonly name: string;
  readonly pipe: PipeNode | null;
}
export interface LoopControlNode extends Positioned {
  readonly type: 'break' | 'continue';
}

export type Node =
  | ListNode
  | TextNode
  | ActionNode
  | PipeNode
  | CommandNode
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | FieldNode
  | ChainNode
  | BoolNode
  | NumberNode
  | StringNode
  | EndNode
  | ElseNode
  | BranchNode
  | TemplateNode
  | LoopControlNode;

function pipeString(pipe: PipeNode): string {
  const decl = pipe.decl.length > 0 ? `${pipe.decl.map(nodeString).join(', ')} := ` : '';
  return decl + pipe.cmds.map(nodeString).join(' | ');
}

function argString(arg: Node): string {
  return arg.type === 'pipe' ? `(${pipeString(arg)})` : nodeString(arg);
}

/** Go's Node.String(). */
export function nodeString(node: Node): string {
  switch (node.type) {
    case 'list':
      return node.nodes.map(nodeString).join('');
    case 'text':
      return node.text;
    case 'action':
      return `{{${pipeString(node.pipe)}}}`;
    case 'pipe':
      return pipeString(node);
    case 'command':
      return node.args.map(argString).join(' ');
    case 'identifier':
      return node.ident;
    case 'variable':
      return node.ident.join('.');
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'field':
      return node.ident.map((name) => `.${name}`).join('');
    case 'chain':
      return argString(node.node) + node.field.map((name) => `.${name}`).join('');
    case 'bool':
      return String(node.value);
    case 'number':
      return node.text;
    case 'string':
      return node.quoted;
    case 'end':
      return '{{end}}';
    case 'else':
      return '{{else}}';
    case 'break':
    case 'continue':
      return `{{${node.type}}}`;
    case 'template':
      return `{{template ${goQuote(node.name)}${node.pipe ? ` ${pipeString(node.pipe)}` : ''}}}`;
    default:
      return branchString(node);
  }
}

function branchString(node: BranchNode): string {
  const elsePart = node.elseList ? `{{else}}${nodeString(node.elseList)}` : '';
  return `{{${node.type} ${pipeString(node.pipe)}}}${nodeString(node.list)}${elsePart}{{end}}`;
}
