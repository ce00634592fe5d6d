import { GoFuncError, type GoFunc } from '../go/go-func.ts';
import { findMethod } from '../go/go-methods.ts';
import { goQuote } from '../go/go-strconv.ts';
import {
  canBeNil,
  GO,
  goBool,
  goString,
  INVALID,
  zeroValue,
  type GoType,
  type GoValue,
} from '../go/go-values.ts';
import { TemplateExecError } from './errors.ts';
import {
  nodeString,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type Node,
  type NumberNode,
  type PipeNode,
  type VariableNode,
} from './nodes.ts';
import { assignTo, evalArgLiteral, idealConstant, indirect, isTrue } from './exec-values.ts';
import type { TemplateSet } from './template-set.ts';

/**
 * Evaluation of pipelines, commands, fields, calls and arguments: text/template's exec.go
 * (evalPipeline … validateType), including which node `s.at()` points at when an error is raised,
 * since Go's messages name that node and its column.
 */

interface Variable {
  readonly name: string;
  value: GoValue;
}

/** A field value plus its declared type when that is an interface (Go keeps the interface around). */
interface FieldResult {
  readonly value: GoValue;
  readonly declared?: GoType;
}

/** Thrown by a function that must suspend (the `query` function); never turned into a template error. */
export class SuspendExecution extends Error {
  override name = 'SuspendExecution';
}

export class EvalState {
  node: Node | null = null;
  vars: Variable[];

  constructor(
    readonly set: TemplateSet,
    readonly templateName: string,
    dot: GoValue,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  at(node: Node): void {
    this.node = node;
  }

  /** s.errorf: "template: LOCATION: executing "NAME" at <NODE>: message". */
  errorf(message: string): never {
    if (this.node === null) throw new TemplateExecError(`template: ${this.templateName}: ${message}`);
    const location = this.set.errorLocation(this.node, this.templateName);
    const context = nodeString(this.node);
    throw new TemplateExecError(
      `template: ${location}: executing ${goQuote(this.templateName)} at <${context}>: ${message}`,
    );
  }

  push(name: string, value: GoValue): void {
    this.vars.push({ name, value });
  }

  setVar(name: string, value: GoValue): void {
    const variable = this.vars.findLast((v) => v.name === name);
    if (variable === undefined) this.errorf(`undefined variable: ${name}`);
    variable.value = value;
  }

  setTopVar(n: number, value: GoValue): void {
    const variable = this.vars[this.vars.length - n];
    if (variable !== undefined) variable.value = value;
  }

  varValue(name: string): GoValue {
    const variable = this.vars.findLast((v) => v.name === name);
    return variable === undefined ? this.errorf(`undefined variable: ${name}`) : variable.value;
  }

  evalPipeline(dot: GoValue, pipe: PipeNode | null): GoValue {
    if (pipe === null) return INVALID;
    this.at(pipe);
    let value: GoValue | undefined;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    const result = value ?? INVALID;
    for (const variable of pipe.decl) {
      const name = variable.ident[0] ?? '';
      if (pipe.isAssign) this.setVar(name, result);
      else this.push(name, result);
    }
    return result;
  }

  private notAFunction(args: readonly Node[], final: GoValue | undefined): void {
    if (args.length > 1 || final !== undefined)
      this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  /** One command; `final` is the previous pipeline stage's value (undefined: none). */
  evalCommand(dot: GoValue, cmd: CommandNode, final: GoValue | undefined): GoValue {
    const args = cmd.args;
    const first = args[0]!;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, args, final);
      case 'chain':
        return this.evalChainNode(dot, first, args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, args, final);
      case 'pipe':
        this.notAFunction(args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, args, final);
    }
    this.at(first);
    this.notAFunction(args, final);
    switch (first.type) {
      case 'bool':
        return goBool(first.value);
      case 'dot':
        return dot;
      case 'nil':
        return this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return goString(first.text);
    }
    return this.errorf(`can't evaluate command ${goQuote(nodeString(first))}`);
  }

  idealConstant(constant: NumberNode): GoValue {
    this.at(constant);
    const value = idealConstant(constant);
    return typeof value === 'string' ? this.errorf(value) : value;
  }

  evalFieldNode(
    dot: GoValue,
    field: FieldNode,
    args: readonly Node[] | null,
    final: GoValue | undefined,
  ): GoValue {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  evalChainNode(
    dot: GoValue,
    chain: ChainNode,
    args: readonly Node[] | null,
    final: GoValue | undefined,
  ): GoValue {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  evalVariableNode(
    dot: GoValue,
    variable: VariableNode,
    args: readonly Node[] | null,
    final: GoValue | undefined,
  ): GoValue {
    this.at(variable);
    const value = this.varValue(variable.ident[0] ?? '');
    if (variable.ident.length === 1) {
      this.notAFunction(args ?? [], final);
      return value;
    }
    return this.evalFieldChain(dot, value, variable, variable.ident.slice(1), args, final);
  }

  private evalFieldChain(
    dot: GoValue,
    start: GoValue,
    node: Node,
    ident: readonly string[],
    args: readonly Node[] | null,
    final: GoValue | undefined,
  ): GoValue {
    let receiver: FieldResult = { value: start };
    for (const name of ident.slice(0, -1))
      receiver = this.evalField(dot, name, node, null, undefined, receiver);
    return this.evalField(dot, ident[ident.length - 1] ?? '', node, args, final, receiver).value;
  }

  evalFunction(
    dot: GoValue,
    node: IdentifierNode,
    cmd: Node,
    args: readonly Node[] | null,
    final: GoValue | undefined,
  ): GoValue {
    this.at(node);
    const found = this.set.findFunction(node.ident);
    if (found === undefined) this.errorf(`${goQuote(node.ident)} is not a defined function`);
    return this.evalCall(dot, found.fn, found.builtin, cmd, node.ident, args, final);
  }

  /** `.Field` on a receiver: a method, a struct field or a map key, as evalField in exec.go. */
  private evalField(
    dot: GoValue,
    fieldName: string,
    node: Node,
    args: readonly Node[] | null,
    final: GoValue | undefined,
    receiver: FieldResult,
  ): FieldResult {
    const declared = receiver.declared;
    if (receiver.value.kind === 'invalid') {
      if (declared !== undefined) this.errorf(`nil pointer evaluating ${declared.name}.${fieldName}`);
      if (this.set.missingKey === 'error') this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return { value: INVALID };
    }
    const typeName = (declared ?? receiver.value.type).name;
    const [target, isNil] = indirect(receiver.value);
    const method = isNil ? undefined : findMethod(target, fieldName);
    if (method !== undefined)
      return { value: this.evalCall(dot, method, false, node, fieldName, args, final) };
    const hasArgs = (args !== null && args.length > 1) || final !== undefined;
    if (target.kind === 'struct') {
      const field = target.value.get(fieldName);
      if (field !== undefined) {
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        const fieldType = target.type.fields?.find(([name]) => name === fieldName)?.[1];
        return fieldType?.kind === 'interface' ? { value: field, declared: fieldType } : { value: field };
      }
    } else if (target.kind === 'map') {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      return this.mapIndex(target.type.elem ?? GO.any, target.value?.get(fieldName), fieldName);
    } else if (target.kind === 'ptr' && isNil) {
      const elem = target.type.elem;
      const noSuchField =
        elem?.kind === 'struct' && !(elem.fields ?? []).some(([name]) => name === fieldName);
      if (!noSuchField) this.errorf(`nil pointer evaluating ${typeName}.${fieldName}`);
    }
    return this.errorf(`can't evaluate field ${fieldName} in type ${typeName}`);
  }

  private mapIndex(elemType: GoType, found: GoValue | undefined, key: string): FieldResult {
    const declared = elemType.kind === 'interface' ? elemType : undefined;
    if (found !== undefined) return declared ? { value: found, declared } : { value: found };
    if (this.set.missingKey === 'error') this.errorf(`map has no entry for key ${goQuote(key)}`);
    if (this.set.missingKey === 'invalid') return { value: INVALID };
    return declared ? { value: zeroValue(elemType), declared } : { value: zeroValue(elemType) };
  }

  /** Checks the argument count, evaluates the arguments against the parameter types and calls. */
  evalCall(
    dot: GoValue,
    fn: GoFunc,
    isBuiltin: boolean,
    node: Node,
    name: string,
    args: readonly Node[] | null,
    final: GoValue | undefined,
  ): GoValue {
    const argNodes = args === null ? [] : args.slice(1);
    const numIn = argNodes.length + (final === undefined ? 0 : 1);
    const numFixed = fn.variadic === undefined ? argNodes.length : fn.params.length;
    if (fn.variadic !== undefined && numIn < numFixed) {
      this.errorf(
        `wrong number of args for ${name}: want at least ${fn.params.length} got ${argNodes.length}`,
      );
    } else if (fn.variadic === undefined && numIn !== fn.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }
    if (isBuiltin && (name === 'and' || name === 'or')) return this.evalAndOr(dot, name, argNodes, final);
    const argv: GoValue[] = [];
    argNodes.forEach((arg, i) => {
      const type = i < numFixed ? fn.params[i] : fn.variadic;
      argv.push(this.evalArg(dot, type ?? GO.any, arg));
    });
    if (final !== undefined) {
      const last = fn.params[fn.params.length - 1] ?? GO.any;
      const type =
        fn.variadic === undefined
          ? last
          : numIn - 1 < numFixed
            ? (fn.params[numIn - 1] ?? last)
            : fn.variadic;
      argv.push(this.validateType(final, type));
    }
    // Go passes `call` the callee's node text, for its "non-function X of type T" error.
    if (isBuiltin && name === 'call') argv.unshift(goString(argNodes[0] ? nodeString(argNodes[0]) : ''));
    return this.safeCall(fn, argv, node, name);
  }

  private safeCall(fn: GoFunc, argv: GoValue[], node: Node, name: string): GoValue {
    try {
      return fn.call(argv);
    } catch (error: unknown) {
      if (error instanceof SuspendExecution || error instanceof TemplateExecError) throw error;
      this.at(node);
      const message = error instanceof GoFuncError || error instanceof Error ? error.message : String(error);
      return this.errorf(`error calling ${name}: ${message}`);
    }
  }

  /** and/or short-circuit: the first argument that decides, else the last. */
  private evalAndOr(
    dot: GoValue,
    name: string,
    argNodes: readonly Node[],
    final: GoValue | undefined,
  ): GoValue {
    let value: GoValue = INVALID;
    for (const arg of argNodes) {
      value = this.evalArg(dot, GO.reflectValue, arg);
      if (isTrue(value).truth === (name === 'or')) return value;
    }
    return final === undefined ? value : this.validateType(final, GO.reflectValue);
  }

  /** Checks that a value may be passed as `type` (null: any), dereferencing one pointer if that helps. */
  validateType(value: GoValue, type: GoType | null): GoValue {
    const result = assignTo(value, type);
    return typeof result === 'string' ? this.errorf(result) : result;
  }

  /** Evaluates an argument node for a parameter of `type` (null: whatever type it has). */
  evalArg(dot: GoValue, type: GoType | null, n: Node): GoValue {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, type);
      case 'nil':
        if (type !== null && canBeNil(type)) return zeroValue(type);
        return this.errorf(`cannot assign nil to ${type?.name ?? 'interface {}'}`);
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], undefined), type);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, null, undefined), type);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), type);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, null, undefined), type);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, null, undefined), type);
    }
    if (type === null || type.kind === 'interface' || type.kind === 'reflect')
      return this.evalEmptyInterface(dot, n);
    const literal = evalArgLiteral(type, n);
    return typeof literal === 'string' ? this.errorf(literal) : literal;
  }

  private evalEmptyInterface(dot: GoValue, n: Node): GoValue {
    this.at(n);
    switch (n.type) {
      case 'bool':
        return goBool(n.value);
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return goString(n.text);
    }
    return this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }
}
