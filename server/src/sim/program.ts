/**
 * The program form every function takes before the explorer runs it: a flat list
 * of instructions per function, like three-address code. A built-in era model and a
 * body lifted from workspace source are the same thing here.
 *
 * Only two kinds of instruction can be an atomic step (a point where another CPU may
 * run): a `call` whose callee resolves to a simulator primitive, and a `load`/`store`
 * of a mutable field of a modeled object. Everything else is local computation that
 * folds into the next step.
 */
import { walkExpr } from './expr-walk.js';

/** A runtime value: an integer, a reference to a modeled object, or NULL. */
export type Value = number | string | null;

/**
 * Object references are strings "kind:id", e.g. "page:P", "mapping:F", "bh:P.2",
 * "vma:U", "aops:ext3_ordered_aops", "fn:block_dirty_folio", "lock:F.i_pages".
 */
export function ref(kind: string, id: string): string {
  return `${kind}:${id}`;
}

export function refKind(v: Value): string | undefined {
  if (typeof v !== 'string') return undefined;
  const i = v.indexOf(':');
  return i < 0 ? undefined : v.slice(0, i);
}

export function refId(v: Value): string | undefined {
  if (typeof v !== 'string') return undefined;
  const i = v.indexOf(':');
  return i < 0 ? undefined : v.slice(i + 1);
}

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^'
  | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export type UnaryOp = '!' | '-' | '~';

/** Pure expressions: they read locals, constants and immutable fields only. */
export type Expr =
  | { k: 'num'; v: number }
  | { k: 'null' }
  /** A named constant (PG_writeback, WB_SYNC_ALL, WRITE, ...), resolved by the simulator. */
  | { k: 'sym'; name: string; at?: Origin }
  /** A function used as a value (a_ops initializers, end_io callbacks). */
  | { k: 'fn'; name: string }
  | { k: 'local'; name: string }
  | { k: 'un'; op: UnaryOp; a: Expr }
  /**
   * `unsigned`: the operands have an unsigned C type after the usual arithmetic
   * conversions, so <, <=, >, >=, / , % and >> treat a negative value as the large
   * number it stands for (two's complement: pgoff_t -1 is the maximum index).
   */
  | { k: 'bin'; op: BinaryOp; a: Expr; b: Expr; unsigned?: true }
  | { k: 'cond'; c: Expr; a: Expr; b: Expr }
  /** Read of an immutable field: mapping->host, bh->b_this_page, mapping->a_ops->dirty_folio. */
  | { k: 'field'; obj: Expr; field: string; at?: Origin; struct?: string; tag?: StructTag }
  /** Address of an embedded object: &mapping->private_lock, &mapping->i_pages. */
  | { k: 'addr'; obj: Expr; field: string; tag?: StructTag }
  /**
   * The address of a local passed to a call (`&fbatch`, an array argument `indices`):
   * it reads as the local's value, and a primitive may write the local through it
   * (an out-parameter, see StepContext.out).
   */
  | { k: 'ref'; name: string }
  /** An array value built from its elements (a local array's initializer; `{}` is empty). */
  | { k: 'arr'; items: Expr[] }
  /** Element `i` of a local array value (sim/arrays.ts): `indices[i]`, `fbatch.folios[i]`. */
  | { k: 'elem'; a: Expr; i: Expr };

/**
 * The struct tag of the C type of a field access's object, when the lifter knows it
 * (`rwc->done` with `struct rmap_walk_control *rwc`: "rmap_walk_control"): a field of
 * one struct is never a field of the same name in another, so the functions a call
 * through `rwc->done` may reach are not those stored in a `struct completion`'s
 * `done` (program-facts.ts). Absent: any struct with a field of that name.
 */
export type StructTag = string;

/** Where an instruction came from, for traces, hovers and `racelens explain`. */
export interface Origin {
  line: number;   // 1-based
  column?: number; // 1-based
  text?: string;  // the source text of the statement or call, short
}

export type Instr =
  | { op: 'set'; dst: string; e: Expr; at?: Origin }
  /**
   * A call. `callee` is a name (resolved when the program runs: primitive = one
   * atomic step, model function = inlined frame, known no-op, or unknown = noted
   * no-op) or an expression yielding a "fn:NAME" value (function pointers).
   */
  | { op: 'call'; callee: string | Expr; args: Expr[]; dst?: string; at?: Origin }
  /** Read of a mutable field of a modeled object (page->mapping): an atomic step. */
  | { op: 'load'; dst: string; obj: Expr; field: string; at?: Origin; struct?: string; tag?: StructTag }
  /** Write of a mutable field (bh->b_end_io = ...): an atomic step. */
  | { op: 'store'; obj: Expr; field: string; e: Expr; at?: Origin; struct?: string; tag?: StructTag }
  | { op: 'jmp'; to: number }
  /** Branch: to `t` when `c` is non-zero, else to `f`. */
  | { op: 'br'; c: Expr; t: number; f: number }
  | { op: 'ret'; e?: Expr; at?: Origin }
  /** BUG_ON(c), VM_BUG_ON*(c), BUG() (c = 1): a violation when c != 0. WARN_ON*: a note. */
  | { op: 'check'; kind: 'bug' | 'warn'; c: Expr; at?: Origin };

/** A note about how a function was obtained: unknown calls, unsupported constructs, ... */
export interface ModelNote {
  line: number;
  column?: number;
  what: string;
}

export interface FunctionProgram {
  name: string;
  params: string[];
  code: Instr[];
  /** Where the body came from (built-in model file or workspace file). */
  file?: string;
  line?: number;
  notes: ModelNote[];
  /**
   * Scalar pointer parameters written through (`*error = x`): when the caller passed
   * the address of its local (`&error`), the local takes the parameter's value when
   * the function returns (value-result: locals are the thread's own).
   */
  outParams?: string[];
}

/**
 * Tables of function pointers declared by the program's source (a_ops initializers):
 * table name -> field -> function name.
 */
export type OpsTables = Map<string, Map<string, string>>;

/** Names an expression mentions that may denote functions (function values, symbols). */
export function namesIn(e: Expr | undefined, out: string[] = []): string[] {
  walkExpr(e, (x) => {
    if (x.k === 'fn' || x.k === 'sym') out.push(x.name);
  });
  return out;
}

/** Calls `visit` for every local an expression reads (or passes by address). */
export function forEachLocal(e: Expr | undefined, visit: (l: Extract<Expr, { k: 'local' | 'ref' }>) => void): void {
  walkExpr(e, (x) => {
    if (x.k === 'local' || x.k === 'ref') visit(x);
  });
}

/**
 * What a program may reach: the functions it calls by name (with the line of each
 * call), and the names it uses as values (function pointers, a_ops, b_end_io).
 */
export interface References {
  /** direct calls, with their lines */
  calls: { name: string; line: number }[];
  /** every function-like name used as a value, in the order met: `stored` and `passed` together */
  values: string[];
  /** names called through (callee expressions) or stored (set/store): callbacks the program keeps */
  stored: string[];
  /** names handed to a callee as arguments */
  passed: string[];
  /** fields called through (`mapping->a_ops->writepage(...)`: writepage) */
  ops: string[];
}

const referenced = new WeakMap<FunctionProgram, References>();

/**
 * What a program names: the one walk the simulator's analyses and the lifter's reach
 * both use, made once per program (a run asks it of the same programs in every phase;
 * its callers only read it).
 */
export function references(fn: FunctionProgram): References {
  let r = referenced.get(fn);
  if (!r) referenced.set(fn, (r = collectReferences(fn)));
  return r;
}

function collectReferences(fn: FunctionProgram): References {
  const r: References = { calls: [], values: [], stored: [], passed: [], ops: [] };
  for (const i of fn.code) {
    if (i.op === 'call') {
      if (typeof i.callee === 'string') r.calls.push({ name: i.callee, line: i.at?.line ?? 0 });
      else {
        const names = namesIn(i.callee);
        r.values.push(...names);
        r.stored.push(...names);
        if (i.callee.k === 'field') r.ops.push(i.callee.field);
      }
      for (const a of i.args) {
        const names = namesIn(a);
        r.values.push(...names);
        r.passed.push(...names);
      }
    } else if (i.op === 'set' || i.op === 'store') {
      const names = namesIn(i.e);
      r.values.push(...names);
      r.stored.push(...names);
    }
  }
  return r;
}
