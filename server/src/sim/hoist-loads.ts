/**
 * Reads of plain fields that the run's code also writes become steps. The lifter
 * reads a field as a step (`load`) only when sim/fields.ts says it changes; any other
 * field is read inside an expression, as a value that never changes. When the code a
 * run reaches stores to such a field (a later release's `inode->i_state`, a field
 * that moved), its reads must be steps too: before the instruction that reads it, a
 * `load` into a fresh local takes its place. Reads under `?:`, `&&` or `||` stay
 * where they are (hoisting them would read through a pointer the guard tests first);
 * the machine reports them.
 */
import type { Expr, FunctionProgram, Instr } from './program.js';
import type { Linker, Resolved } from './machine.js';
import { forEachExpr } from './expr-walk.js';

const HOISTED = '$h';

/** `fn` with the reads of `fields` hoisted into loads; `fn` itself when it reads none. */
export function hoistFieldReads(fn: FunctionProgram, fields: ReadonlySet<string>): FunctionProgram {
  if (fields.size === 0 || !fn.code.some((i) => readsAny(i, fields))) return fn;
  // a copy: the original's expressions may be annotated with another slot layout
  const code = structuredClone(fn.code) as Instr[];
  const out: Instr[] = [];
  const start: number[] = [];
  let n = 0;
  for (const instr of code) {
    start.push(out.length);
    const loads: Instr[] = [];
    const at = 'at' in instr ? instr.at : undefined;
    const hoist = (e: Expr): Expr => {
      switch (e.k) {
        case 'field': {
          const obj = hoist(e.obj);
          if (!fields.has(e.field)) return obj === e.obj ? e : { ...e, obj };
          const dst = `${HOISTED}${n++}`;
          loads.push({ op: 'load', dst, obj, field: e.field, ...(at ? { at } : {}), ...(e.struct ? { struct: e.struct } : {}), ...(e.tag ? { tag: e.tag } : {}) });
          return { k: 'local', name: dst };
        }
        case 'un': return { ...e, a: hoist(e.a) };
        case 'bin': return e.op === '&&' || e.op === '||' ? { ...e, a: hoist(e.a) } : { ...e, a: hoist(e.a), b: hoist(e.b) };
        case 'cond': return { ...e, c: hoist(e.c) };
        case 'addr': return { ...e, obj: hoist(e.obj) };
        case 'arr': return { ...e, items: e.items.map(hoist) };
        case 'elem': return { ...e, a: hoist(e.a), i: hoist(e.i) };
        default: return e;
      }
    };
    const rewritten = rewrite(instr, hoist);
    out.push(...loads, rewritten);
  }
  start.push(out.length);
  // jumps name instructions by their old place: each now starts at its first hoisted load
  for (const i of out) {
    if (i.op === 'jmp') i.to = start[i.to] ?? i.to;
    else if (i.op === 'br') { i.t = start[i.t] ?? i.t; i.f = start[i.f] ?? i.f; }
  }
  return { ...fn, code: out };
}

function rewrite(i: Instr, hoist: (e: Expr) => Expr): Instr {
  switch (i.op) {
    case 'set': return { ...i, e: hoist(i.e) };
    case 'call': return { ...i, ...(typeof i.callee !== 'string' ? { callee: hoist(i.callee) } : {}), args: i.args.map(hoist) };
    case 'load': return { ...i, obj: hoist(i.obj) };
    case 'store': return { ...i, obj: hoist(i.obj), e: hoist(i.e) };
    case 'br': return { ...i, c: hoist(i.c) };
    case 'ret': return i.e ? { ...i, e: hoist(i.e) } : i;
    case 'check': return { ...i, c: hoist(i.c) };
    default: return i;
  }
}

function readsAny(i: Instr, fields: ReadonlySet<string>): boolean {
  let found = false;
  forEachExpr(i, (e) => {
    if (e.k === 'field' && fields.has(e.field)) found = true;
  });
  return found;
}

/** Fields the programs store to that the lifter reads as unchanging (the ones to hoist). */
export function writtenUnchangingFields(programs: Iterable<FunctionProgram>, isStep: (field: string) => boolean, dropped: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const fn of programs) for (const i of fn.code) if (i.op === 'store' && !isStep(i.field) && !dropped.has(i.field)) out.add(i.field);
  return out;
}

/**
 * Per program, per set of fields (joined): its rewrite. Shared by every linker, so that
 * machine after machine over the same programs runs the same rewritten programs, and
 * what is kept per program (slots, liveness, classes per call) is worked out once.
 */
const rewritten = new WeakMap<FunctionProgram, Map<string, FunctionProgram>>();

/** A linker whose function programs read `fields` as steps (hoistFieldReads), each rewritten once. */
export class HoistingLinker implements Linker {
  private readonly fieldsKey: string;

  constructor(private readonly inner: Linker, private readonly fields: ReadonlySet<string>) {
    this.fieldsKey = [...fields].sort().join(',');
  }

  resolve(name: string): Resolved {
    const r = this.inner.resolve(name);
    if (r.kind !== 'func') return r;
    let byFields = rewritten.get(r.fn);
    if (!byFields) rewritten.set(r.fn, (byFields = new Map()));
    let fn = byFields.get(this.fieldsKey);
    if (!fn) byFields.set(this.fieldsKey, (fn = hoistFieldReads(r.fn, this.fields)));
    return fn === r.fn ? r : { kind: 'func', fn };
  }
}
