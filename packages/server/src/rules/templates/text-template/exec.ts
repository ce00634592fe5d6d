import { formatValue } from '../go/go-fmt.ts';
import { goQuote } from '../go/go-strconv.ts';
import { goInt, goString, INVALID, sortedKeys, type GoValue } from '../go/go-values.ts';
import { EvalState } from './exec-eval.ts';
import { indirect, isTrue } from './exec-values.ts';
import type { BranchNode, Node, TemplateNode } from './nodes.ts';
import type { TemplateSet } from './template-set.ts';

/**
 * Template execution (exec.go walk*): text, actions, if/with, range over slices, maps (sorted keys)
 * and integers with break/continue, and {{template}} calls. Output is collected into a string.
 */

/** Go allows 100000 nested template calls; a JS stack allows fewer, so the limit is lower here. */
const MAX_EXEC_DEPTH = 1000;

/** {{break}} and {{continue}} unwind to their range loop as exceptions, as Go's panics do. */
class LoopBreak extends Error {}
class LoopContinue extends Error {}

interface Output {
  text: string;
}

class ExecState extends EvalState {
  constructor(
    set: TemplateSet,
    templateName: string,
    dot: GoValue,
    private readonly out: Output,
    private readonly depth: number,
  ) {
    super(set, templateName, dot);
  }

  walk(dot: GoValue, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, value);
        return;
      }
      case 'break':
        throw new LoopBreak();
      case 'continue':
        throw new LoopContinue();
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node);
      case 'list':
        for (const child of node.nodes) this.walk(dot, child);
        return;
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
      case 'text':
        this.out.text += node.text;
        return;
      default:
        this.errorf(`unknown node: ${node.type}`);
    }
  }

  private walkIfOrWith(dot: GoValue, node: BranchNode): void {
    const mark = this.vars.length;
    try {
      const value = this.evalPipeline(dot, node.pipe);
      const { truth, ok } = isTrue(value);
      if (!ok) this.errorf(`if/with can't use ${formatValue(value)}`);
      if (truth) this.walk(node.type === 'with' ? value : dot, node.list);
      else if (node.elseList !== null) this.walk(dot, node.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: GoValue, node: BranchNode): void {
    this.at(node);
    const outerMark = this.vars.length;
    try {
      const [value] = indirect(this.evalPipeline(dot, node.pipe));
      const mark = this.vars.length;
      const iterate = (index: GoValue, elem: GoValue): void => this.rangeIteration(node, mark, index, elem);
      if (this.rangeOver(value, node, iterate)) return;
      if (node.elseList !== null) this.walk(dot, node.elseList);
    } catch (error: unknown) {
      if (!(error instanceof LoopBreak)) throw error;
    } finally {
      this.vars.length = outerMark;
    }
  }

  /** Runs the iterations; false when there were none (so the else list runs). */
  private rangeOver(
    value: GoValue,
    node: BranchNode,
    iterate: (index: GoValue, elem: GoValue) => void,
  ): boolean {
    if (value.kind === 'slice') {
      (value.value ?? []).forEach((item, i) => iterate(goInt(i), item));
      return (value.value ?? []).length > 0;
    }
    if (value.kind === 'map') {
      const entries = value.value ?? new Map<string, GoValue>();
      for (const key of sortedKeys(entries)) iterate(goString(key), entries.get(key) ?? INVALID);
      return entries.size > 0;
    }
    if (value.kind === 'int' || value.kind === 'uint') {
      // Go 1.22+: range over an integer n yields 0 … n-1.
      if (node.pipe.decl.length > 1)
        this.errorf(`can't use ${formatValue(value)} to iterate over more than one variable`);
      for (let i = 0n; i < value.value; i++) iterate(INVALID, goInt(i, value.type));
      return value.value > 0n;
    }
    if (value.kind === 'invalid') return false;
    return this.errorf(`range can't iterate over ${formatValue(value)}`);
  }

  private rangeIteration(node: BranchNode, mark: number, index: GoValue, elem: GoValue): void {
    const decl = node.pipe.decl;
    const name = (i: number): string => decl[i]?.ident[0] ?? '';
    if (decl.length > 0) {
      if (node.pipe.isAssign) this.setVar(name(0), decl.length > 1 ? index : elem);
      else this.setTopVar(1, elem);
    }
    if (decl.length > 1) {
      if (node.pipe.isAssign) this.setVar(name(1), elem);
      else this.setTopVar(2, index);
    }
    try {
      this.walk(elem, node.list);
    } catch (error: unknown) {
      if (!(error instanceof LoopContinue)) throw error;
    } finally {
      this.vars.length = mark;
    }
  }

  private walkTemplate(dot: GoValue, node: TemplateNode): void {
    this.at(node);
    const tree = this.set.trees.get(node.name);
    if (tree === undefined) this.errorf(`template ${goQuote(node.name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = this.evalPipeline(dot, node.pipe);
    const state = new ExecState(this.set, tree.name, newDot, this.out, this.depth + 1);
    if (tree.root !== null) state.walk(newDot, tree.root);
  }

  /** printValue: pointers print what they point to; the invalid value prints "<no value>". */
  private printValue(node: Node, value: GoValue): void {
    this.at(node);
    const [target] = indirect(value);
    this.out.text += target.kind === 'invalid' ? '<no value>' : formatValue(target);
  }
}

/** Executes the set's main template with `data` as dot; throws TemplateExecError. */
export function executeTemplate(set: TemplateSet, data: GoValue): string {
  const out: Output = { text: '' };
  const state: ExecState = new ExecState(set, set.name, data, out, 0);
  const root = set.trees.get(set.name)?.root ?? null;
  if (root === null) state.errorf(`${goQuote(set.name)} is an incomplete or empty template`);
  state.walk(data, root);
  return out.text;
}
