/**
 * Conditional compilation as the kernel's configuration decides it: `#if`, `#ifdef`,
 * `#ifndef`, `#elif`, `#else` on `CONFIG_*` symbols, `defined(...)`, `IS_ENABLED()`,
 * `IS_BUILTIN()`, `IS_MODULE()`, `IS_REACHABLE()`, integer arithmetic and comparisons.
 *
 * A condition evaluates to true, false or undefined (it names a macro the configuration
 * does not settle, such as an architecture header's `#define`): the caller decides what
 * an undecided branch means and says so.
 */
import type { Node } from './parser.js';

/** What the preprocessor knows: the configuration plus predefined macros. */
export interface PreprocEnv {
  /** a stable id of the environment, for caches */
  readonly id: string;
  /**
   * The value of a macro: a number or 'y'/'m' for a config symbol, undefined when the
   * macro is unknown, null when it is known not to be defined.
   */
  macro(name: string): string | number | null | undefined;
}

type Tri = boolean | undefined;

/** A C preprocessor condition's value; undefined when it depends on an unknown macro. */
export function evalCondition(text: string, env: PreprocEnv): Tri {
  const v = new CondParser(stripComments(text), env).parse();
  return v === undefined ? undefined : v !== 0;
}

/** Which branch of a conditional group (the node, its `#elif`s and `#else`) is compiled. */
export type BranchChoice =
  | { decided: true; taken: Node | undefined }
  | { decided: false; reason: string };

/**
 * Whether `node` (a `preproc_if`/`preproc_ifdef`/`preproc_elif`/`preproc_elifdef`/
 * `preproc_else`) has its own body compiled: true, false, or undefined when undecided.
 */
export function ownBranch(node: Node, src: string, env: PreprocEnv): Tri {
  if (node.type === 'preproc_else') return true;
  if (node.type === 'preproc_ifdef' || node.type === 'preproc_elifdef') {
    const name = node.childForFieldName('name');
    if (!name) return undefined;
    const word = src.slice(name.startIndex, name.endIndex);
    const head = src.slice(node.startIndex, name.startIndex);
    const negated = /#\s*(ifndef|elifndef)/.test(head);
    const v = env.macro(word);
    if (v === undefined) return negated && isIncludeGuard(node, name, word, src) ? true : undefined;
    const defined = v !== null && v !== 'm';
    return negated ? !defined : defined;
  }
  const cond = node.childForFieldName('condition');
  if (!cond) return undefined;
  return evalCondition(src.slice(cond.startIndex, cond.endIndex), env);
}

/**
 * Whether a node nested in conditional groups is compiled: every group on the way up
 * must take the branch the node is in. Undefined when some group is undecided and none
 * excludes the node.
 */
export function compiledUnder(node: Node, src: string, env: PreprocEnv): Tri {
  let result: Tri = true;
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (!isConditional(p.type)) continue;
    const alt = p.childForFieldName('alternative');
    const cond = p.childForFieldName('condition') ?? p.childForFieldName('name');
    if (cond && child.id === cond.id) continue;
    const own = ownBranch(p, src, env);
    // inside the alternative: this group's own condition must be false
    const wanted = alt && child.id === alt.id ? false : true;
    if (own === undefined) result = undefined;
    else if (own !== wanted) return false;
  }
  return result;
}

/**
 * The condition under which a node nested in conditional groups is compiled, as
 * preprocessor text (`(A) && !(B)`), for callers that keep it and decide it later under
 * a configuration; undefined when no group encloses the node.
 */
export function guardText(node: Node, src: string): string | undefined {
  const parts: string[] = [];
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (!isConditional(p.type)) continue;
    const cond = p.childForFieldName('condition') ?? p.childForFieldName('name');
    if (cond && child.id === cond.id) continue;
    const own = ownText(p, src);
    const alt = p.childForFieldName('alternative');
    parts.push(alt && child.id === alt.id ? `!(${own})` : `(${own})`);
  }
  return parts.length ? parts.reverse().join(' && ') : undefined;
}

/** A conditional's own condition as an expression: `#ifdef X` is `defined(X)`, `#else` is 1. */
function ownText(node: Node, src: string): string {
  if (node.type === 'preproc_else') return '1';
  if (node.type === 'preproc_ifdef' || node.type === 'preproc_elifdef') {
    const name = node.childForFieldName('name');
    if (!name) return '1';
    const word = src.slice(name.startIndex, name.endIndex);
    const negated = /#\s*(ifndef|elifndef)/.test(src.slice(node.startIndex, name.startIndex));
    if (negated && isIncludeGuard(node, name, word, src)) return '1';
    return negated ? `!defined(${word})` : `defined(${word})`;
  }
  const cond = node.childForFieldName('condition');
  return cond ? stripComments(src.slice(cond.startIndex, cond.endIndex)).trim() : '1';
}

/** `#ifndef X` whose body starts with `#define X`: a header's include guard, compiled. */
function isIncludeGuard(node: Node, name: Node, word: string, src: string): boolean {
  const next = name.nextNamedSibling;
  if (!next || next.type !== 'preproc_def') return false;
  const defined = next.childForFieldName('name');
  return !!defined && src.slice(defined.startIndex, defined.endIndex) === word && node.type === 'preproc_ifdef';
}

function isConditional(type: string): boolean {
  return type === 'preproc_if' || type === 'preproc_ifdef' || type === 'preproc_elif'
    || type === 'preproc_elifdef' || type === 'preproc_else';
}

function stripComments(s: string): string {
  return s.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, ' ').replace(/\\\n/g, ' ');
}

/**
 * Recursive descent over the preprocessor's expression grammar. Values are numbers;
 * undefined is "unknown", which absorbs like SQL's NULL except where the other operand
 * decides (`0 && x`, `1 || x`).
 */
class CondParser {
  private readonly toks: string[];
  private i = 0;

  constructor(text: string, private readonly env: PreprocEnv) {
    this.toks = text.match(/0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|[A-Za-z_]\w*|&&|\|\||==|!=|<=|>=|<<|>>|[-+*/%<>!~()?:,&|^]/g) ?? [];
  }

  parse(): number | undefined {
    try {
      const v = this.ternary();
      return this.i === this.toks.length ? v : undefined;
    } catch {
      return undefined;
    }
  }

  private peek(): string | undefined { return this.toks[this.i]; }
  private take(t?: string): string {
    const tok = this.toks[this.i++];
    if (tok === undefined || (t !== undefined && tok !== t)) throw new Error('syntax');
    return tok;
  }

  private ternary(): number | undefined {
    const c = this.binary(0);
    if (this.peek() !== '?') return c;
    this.take('?');
    const a = this.ternary();
    this.take(':');
    const b = this.ternary();
    if (c === undefined) return a === b ? a : undefined;
    return c !== 0 ? a : b;
  }

  private static readonly LEVELS: string[][] = [
    ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
  ];

  private binary(level: number): number | undefined {
    if (level >= CondParser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const op = this.peek();
      if (op === undefined || !CondParser.LEVELS[level].includes(op)) return left;
      this.take();
      const right = this.binary(level + 1);
      left = apply(op, left, right);
    }
  }

  private unary(): number | undefined {
    const t = this.peek();
    if (t === '!') { this.take(); const v = this.unary(); return v === undefined ? undefined : v === 0 ? 1 : 0; }
    if (t === '-') { this.take(); const v = this.unary(); return v === undefined ? undefined : -v; }
    if (t === '+') { this.take(); return this.unary(); }
    if (t === '~') { this.take(); const v = this.unary(); return v === undefined ? undefined : ~v; }
    return this.primary();
  }

  private primary(): number | undefined {
    const t = this.take();
    if (t === '(') {
      const v = this.ternary();
      this.take(')');
      return v;
    }
    if (/^\d/.test(t)) return Number.parseInt(t.replace(/[uUlL]+$/, ''), /^0[xX]/.test(t) ? 16 : /^0\d/.test(t) ? 8 : 10);
    if (t === 'defined') {
      const paren = this.peek() === '(';
      if (paren) this.take('(');
      const name = this.take();
      if (paren) this.take(')');
      const v = this.env.macro(name);
      if (v === undefined) return undefined;
      return v !== null && v !== 'm' ? 1 : 0;
    }
    const kconfig = KCONFIG_TESTS[t];
    if (kconfig && this.peek() === '(') {
      this.take('(');
      const name = this.take();
      this.take(')');
      const v = this.env.macro(name);
      if (v === undefined) return undefined;
      return kconfig(v) ? 1 : 0;
    }
    if (/^[A-Za-z_]/.test(t)) {
      if (this.peek() === '(') return this.skipCall();
      const v = this.env.macro(t);
      if (v === null) return 0; // an undefined macro is 0 in #if
      if (v === undefined) return undefined;
      if (typeof v === 'number') return v;
      if (v === 'y') return 1;
      if (v === 'm') return 0;
      const n = Number(v);
      return Number.isFinite(n) ? n : undefined;
    }
    throw new Error('syntax');
  }

  /** A function-like macro the preprocessor does not know (`__has_attribute(x)`): unknown. */
  private skipCall(): undefined {
    let depth = 0;
    do {
      const t = this.take();
      if (t === '(') depth++;
      else if (t === ')') depth--;
    } while (depth > 0);
    return undefined;
  }
}

const KCONFIG_TESTS: Record<string, (v: string | number | null) => boolean> = {
  IS_ENABLED: (v) => v === 'y' || v === 'm' || (typeof v === 'number' && v !== 0),
  IS_BUILTIN: (v) => v === 'y' || (typeof v === 'number' && v !== 0),
  IS_MODULE: (v) => v === 'm',
  // a caller built in cannot reach a module; racelens models built-in callers
  IS_REACHABLE: (v) => v === 'y' || (typeof v === 'number' && v !== 0),
};

/**
 * IS_ENABLED(CONFIG_X) and its siblings written in a function body (a C expression, not
 * an `#if`): true or false under the configuration; undefined when `name` is not one of
 * them, the argument is not a CONFIG_ symbol, or the configuration does not settle it.
 */
export function kconfigTest(name: string, arg: string | undefined, env: PreprocEnv | undefined): boolean | undefined {
  const test = Object.hasOwn(KCONFIG_TESTS, name) ? KCONFIG_TESTS[name] : undefined;
  if (!test || !env || !arg || !/^CONFIG_\w+$/.test(arg.trim())) return undefined;
  const v = env.macro(arg.trim());
  return v === undefined ? undefined : test(v);
}

function apply(op: string, a: number | undefined, b: number | undefined): number | undefined {
  if (op === '&&') {
    if (a === 0 || b === 0) return 0;
    return a === undefined || b === undefined ? undefined : 1;
  }
  if (op === '||') {
    if ((a !== undefined && a !== 0) || (b !== undefined && b !== 0)) return 1;
    return a === undefined || b === undefined ? undefined : 0;
  }
  if (a === undefined || b === undefined) return undefined;
  switch (op) {
    case '|': return a | b;
    case '^': return a ^ b;
    case '&': return a & b;
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    case '<': return a < b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    case '<<': return a * 2 ** b;
    case '>>': return Math.floor(a / 2 ** b);
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? undefined : Math.trunc(a / b);
    case '%': return b === 0 ? undefined : a % b;
    default: return undefined;
  }
}
