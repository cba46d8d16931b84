/**
 * Expressions compiled into closures, once per function and machine: the tree walk,
 * the switch on the node's kind, the constant and callee lookups and the slot of each
 * local happen when a function is first run, not at every evaluation. A compiled
 * expression is called with the thread whose top frame holds its locals and the
 * context of the step or probe under way (what a thread-private field read sees);
 * nothing is kept in fields between calls.
 *
 * The closures compute exactly what the interpreter did, in the same order (the
 * assumptions they note and the errors they throw included): only the time spent
 * deciding what to compute moved.
 */
import { refKind, type Expr, type Value } from './program.js';
import type { StepContext } from './primitive.js';
import type { Resolved, Thread } from './machine.js';
import { constantValue } from './constants.js';
import { fieldAddress, wbcOf } from './objects.js';
import { parseStackSymbol } from './wait-objects.js';
import { LIST_HEAD_SYM, stackListHead } from './lru-lists.js';
import { HARNESS_KINDS } from './stack-kinds.js';
import { arrayElement, arrayValue } from './arrays.js';
import { int, same, shiftLeft, shiftRight, truthy, unsignedOp } from './values.js';
import type { SlotAnnotated } from './slots.js';

/** `l`: the locals of the thread's top frame (the frame whose code this is), read by slot */
export type Eval = (t: Thread, ctx: StepContext | undefined, l: Value[]) => Value;

/** What compiled code asks of the machine that runs it. */
export interface ExprHost {
  resolve(name: string): Resolved;
  /** a name that is neither a constant nor a function: noted (once), read as 0 */
  unknownSymbol(t: Thread, e: Extract<Expr, { k: 'sym' }>): void;
  /** an immutable field read in an expression, of the object `obj` evaluated to */
  fieldValue(t: Thread, ctx: StepContext | undefined, e: Extract<Expr, { k: 'field' }>, obj: Value): Value;
}

const ZERO: Eval = () => 0;
const NULL: Eval = () => null;

export function compileExpr(e: Expr, host: ExprHost): Eval {
  switch (e.k) {
    case 'num': {
      const v = e.v;
      return () => v;
    }
    case 'null': return NULL;
    case 'fn': {
      const v = `fn:${e.name}`;
      return () => v;
    }
    case 'sym': {
      // a wait-queue struct on the stack (wait-objects.ts), and `current`: the running thread's
      const stack = parseStackSymbol(e.name);
      if (stack) {
        const [kind, v] = stack;
        return perThread((tid) => `${kind}:${tid}.${v}`);
      }
      if (e.name === 'current') return perThread((tid) => `task:${tid}`);
      // a LIST_HEAD() local: the head on the running thread's stack (lru-lists.ts)
      if (e.name.startsWith(LIST_HEAD_SYM)) return perThread((tid) => stackListHead(e.name, tid));
      const c = constantValue(e.name);
      // a writeback_control is its caller's: the thread's own of that mode
      if (c !== undefined) {
        if (HARNESS_KINDS.has(refKind(c) ?? '')) return perThread((tid) => wbcOf(c as string, tid));
        return () => c;
      }
      const r = host.resolve(e.name);
      if (r.kind === 'func' || r.kind === 'prim') {
        const v = `fn:${e.name}`;
        return () => v;
      }
      if (r.kind !== 'unknown') return ZERO;
      return (t) => { host.unknownSymbol(t, e); return 0; };
    }
    case 'local':
    case 'ref': {
      const s = (e as SlotAnnotated).slot;
      if (s === undefined || s < 0) return ZERO;
      return (_t, _c, l) => l[s];
    }
    case 'arr': {
      const items = e.items.map((x) => compileExpr(x, host));
      return (t, c, l) => arrayValue(evalAll(items, t, c, l));
    }
    case 'elem': {
      const a = compileExpr(e.a, host);
      const i = compileExpr(e.i, host);
      return (t, c, l) => arrayElement(a(t, c, l), int(i(t, c, l)));
    }
    case 'un': {
      const a = compileExpr(e.a, host);
      if (e.op === '!') return (t, c, l) => (truthy(a(t, c, l)) ? 0 : 1);
      if (e.op === '-') return (t, c, l) => -int(a(t, c, l));
      return (t, c, l) => ~int(a(t, c, l));
    }
    case 'bin': return compileBinary(e, host);
    case 'cond': {
      const c0 = compileExpr(e.c, host);
      const a = compileExpr(e.a, host);
      const b = compileExpr(e.b, host);
      return (t, c, l) => (truthy(c0(t, c, l)) ? a(t, c, l) : b(t, c, l));
    }
    case 'field': {
      const obj = compileExpr(e.obj, host);
      return (t, c, l) => host.fieldValue(t, c, e, obj(t, c, l));
    }
    case 'addr': {
      const obj = compileExpr(e.obj, host);
      const field = e.field;
      return (t, c, l) => fieldAddress(obj(t, c, l), field);
    }
  }
}

/**
 * A value of the running thread's own (its task, a stack object), made once per thread
 * id: the same string each time keeps its hash for the lookups the value goes to.
 */
function perThread(make: (tid: string) => string): Eval {
  const byThread = new Map<string, string>();
  return (t) => {
    let v = byThread.get(t.id);
    if (v === undefined) byThread.set(t.id, (v = make(t.id)));
    return v;
  };
}

function compileBinary(e: Extract<Expr, { k: 'bin' }>, host: ExprHost): Eval {
  const a = compileExpr(e.a, host);
  const b = compileExpr(e.b, host);
  if (e.op === '&&') return (t, c, l) => (truthy(a(t, c, l)) && truthy(b(t, c, l)) ? 1 : 0);
  if (e.op === '||') return (t, c, l) => (truthy(a(t, c, l)) || truthy(b(t, c, l)) ? 1 : 0);
  const op = e.op;
  const plain = signedOp(op);
  if (e.unsigned) {
    return (t, c, l) => {
      const x = a(t, c, l);
      const y = b(t, c, l);
      const u = unsignedOp(op, int(x), int(y));
      return u !== undefined ? u : plain(x, y);
    };
  }
  // the commonest operations inline: one closure call per operand, none for the operation
  switch (op) {
    case '==': return (t, c, l) => (same(a(t, c, l), b(t, c, l)) ? 1 : 0);
    case '!=': return (t, c, l) => (same(a(t, c, l), b(t, c, l)) ? 0 : 1);
    case '&': return (t, c, l) => int(a(t, c, l)) & int(b(t, c, l));
    case '|': return (t, c, l) => int(a(t, c, l)) | int(b(t, c, l));
    case '+': return (t, c, l) => int(a(t, c, l)) + int(b(t, c, l));
    case '-': return (t, c, l) => int(a(t, c, l)) - int(b(t, c, l));
    case '<': return (t, c, l) => (int(a(t, c, l)) < int(b(t, c, l)) ? 1 : 0);
    case '>': return (t, c, l) => (int(a(t, c, l)) > int(b(t, c, l)) ? 1 : 0);
    default: return (t, c, l) => plain(a(t, c, l), b(t, c, l));
  }
}

/** A binary operation on two values, as the compiled code computes it (known-values.ts reasons with it). */
export function binaryValue(e: Extract<Expr, { k: 'bin' }>, x: Value, y: Value): Value {
  if (e.op === '&&') return truthy(x) && truthy(y) ? 1 : 0;
  if (e.op === '||') return truthy(x) || truthy(y) ? 1 : 0;
  const u = e.unsigned ? unsignedOp(e.op, int(x), int(y)) : undefined;
  return u !== undefined ? u : signedOp(e.op)(x, y);
}

type Op2 = (a: Value, b: Value) => Value;

function signedOp(op: Extract<Expr, { k: 'bin' }>['op']): Op2 {
  switch (op) {
    case '==': return (a, b) => (same(a, b) ? 1 : 0);
    case '!=': return (a, b) => (same(a, b) ? 0 : 1);
    case '+': return (a, b) => int(a) + int(b);
    case '-': return (a, b) => int(a) - int(b);
    case '*': return (a, b) => int(a) * int(b);
    case '/': return (a, b) => (int(b) === 0 ? 0 : Math.trunc(int(a) / int(b)));
    case '%': return (a, b) => (int(b) === 0 ? 0 : int(a) % int(b));
    case '<<': return (a, b) => shiftLeft(int(a), int(b));
    case '>>': return (a, b) => shiftRight(int(a), int(b));
    case '&': return (a, b) => int(a) & int(b);
    case '|': return (a, b) => int(a) | int(b);
    case '^': return (a, b) => int(a) ^ int(b);
    case '<': return (a, b) => (int(a) < int(b) ? 1 : 0);
    case '<=': return (a, b) => (int(a) <= int(b) ? 1 : 0);
    case '>': return (a, b) => (int(a) > int(b) ? 1 : 0);
    case '>=': return (a, b) => (int(a) >= int(b) ? 1 : 0);
    default: return () => 0;
  }
}

/** The values of compiled expressions, in order. */
export function evalAll(es: readonly Eval[], t: Thread, c: StepContext | undefined, l: Value[]): Value[] {
  const out = new Array<Value>(es.length);
  for (let i = 0; i < es.length; i++) out[i] = es[i](t, c, l);
  return out;
}
