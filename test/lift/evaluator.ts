/**
 * A tiny reference evaluator for lifted programs, for tests only: it runs one
 * function sequentially with fake primitives and records what happened. A call to a
 * name in `calls` returns the table's value (or the function's result); any other
 * call returns 0. Fields read that were never stored default to a reference string
 * "obj->field", so chains like mapping->a_ops->set_page_dirty stay distinguishable.
 */
import type { Expr, FunctionProgram, Instr, Value } from 'racelens-server/out/sim/program.js';

/** A fake primitive: a value, or a function of the arguments that may write through `&local` arguments. */
export type Fake = Value | ((args: Value[], out: (arg: number, v: Value) => void) => Value);

export interface EvalOptions {
  calls?: Record<string, Fake>;
  /** Initial field values, keyed "objectValue.field". */
  fields?: Record<string, Value>;
  /** Values of symbols; unknown symbols evaluate to their name. */
  syms?: Record<string, Value>;
  maxSteps?: number;
}

export interface EvalResult {
  ret: Value | undefined;
  /** Callee names in call order (for callee expressions: the value they evaluated to). */
  calls: string[];
  callArgs: Value[][];
  checks: { kind: 'bug' | 'warn'; fired: boolean }[];
  loads: string[];
  stores: { key: string; v: Value }[];
  /** A BUG check fired: execution stopped there. */
  bug: boolean;
  steps: number;
}

function truth(v: Value): boolean {
  return v !== null && v !== 0;
}

function n(v: Value): number {
  if (typeof v === 'number') return v;
  return v === null ? 0 : NaN;
}

export function evaluate(p: FunctionProgram, args: Value[], opts: EvalOptions = {}): EvalResult {
  const locals = new Map<string, Value>();
  p.params.forEach((name, i) => locals.set(name, args[i] ?? 0));
  const fields = new Map<string, Value>(Object.entries(opts.fields ?? {}));
  const res: EvalResult = { ret: undefined, calls: [], callArgs: [], checks: [], loads: [], stores: [], bug: false, steps: 0 };

  const fieldKey = (obj: Value, f: string): string => `${String(obj)}.${f}`;
  const readField = (obj: Value, f: string): Value => {
    const k = fieldKey(obj, f);
    return fields.has(k) ? fields.get(k)! : `${String(obj)}->${f}`;
  };

  const ev = (e: Expr): Value => {
    switch (e.k) {
      case 'num': return e.v;
      case 'null': return null;
      case 'sym': return opts.syms && e.name in opts.syms ? opts.syms[e.name] : e.name;
      case 'fn': return `fn:${e.name}`;
      case 'local':
      case 'ref': {
        if (!locals.has(e.name)) throw new Error(`read of unset local ${e.name}`);
        return locals.get(e.name)!;
      }
      case 'arr': return `arr:${JSON.stringify(e.items.map(ev))}`;
      case 'elem': {
        const a = ev(e.a);
        if (typeof a !== 'string' || !a.startsWith('arr:')) throw new Error(`subscript of ${String(a)}`);
        const items = JSON.parse(a.slice(4)) as Value[];
        const i = n(ev(e.i));
        if (!(i >= 0 && i < items.length)) throw new Error(`element ${i} of ${items.length}`);
        return items[i];
      }
      case 'un': {
        const a = ev(e.a);
        if (e.op === '!') return truth(a) ? 0 : 1;
        if (e.op === '-') return -n(a);
        return ~n(a);
      }
      case 'bin': {
        const a = ev(e.a);
        if (e.op === '&&') return truth(a) && truth(ev(e.b)) ? 1 : 0;
        if (e.op === '||') return truth(a) || truth(ev(e.b)) ? 1 : 0;
        const b = ev(e.b);
        // Unsigned operands: a negative number stands for 2^64 + v.
        if (e.unsigned && ['<', '<=', '>', '>='].includes(e.op)) {
          const u = (v: Value): bigint => BigInt.asUintN(64, BigInt(n(v)));
          const x = u(a);
          const y = u(b);
          return (e.op === '<' ? x < y : e.op === '<=' ? x <= y : e.op === '>' ? x > y : x >= y) ? 1 : 0;
        }
        // Object references compare by identity; NULL equals 0.
        const eq = a === b || (a === null && b === 0) || (a === 0 && b === null);
        switch (e.op) {
          case '==': return eq ? 1 : 0;
          case '!=': return eq ? 0 : 1;
          case '+': return n(a) + n(b);
          case '-': return n(a) - n(b);
          case '*': return n(a) * n(b);
          case '/': return Math.trunc(n(a) / n(b));
          case '%': return n(a) % n(b);
          case '<<': return n(a) << n(b);
          case '>>': return n(a) >> n(b);
          case '&': return n(a) & n(b);
          case '|': return n(a) | n(b);
          case '^': return n(a) ^ n(b);
          case '<': return n(a) < n(b) ? 1 : 0;
          case '<=': return n(a) <= n(b) ? 1 : 0;
          case '>': return n(a) > n(b) ? 1 : 0;
          case '>=': return n(a) >= n(b) ? 1 : 0;
        }
        throw new Error(`bad op ${e.op as string}`);
      }
      case 'cond': return truth(ev(e.c)) ? ev(e.a) : ev(e.b);
      case 'field': return readField(ev(e.obj), e.field);
      case 'addr': return `&${String(ev(e.obj))}->${e.field}`;
    }
  };

  const call = (i: Extract<Instr, { op: 'call' }>): Value => {
    let name: string;
    if (typeof i.callee === 'string') name = i.callee;
    else {
      const v = ev(i.callee);
      name = typeof v === 'string' && v.startsWith('fn:') ? v.slice(3) : String(v);
    }
    const args = i.args.map(ev);
    res.calls.push(name);
    res.callArgs.push(args);
    const fake = opts.calls?.[name];
    if (fake === undefined) return 0;
    if (typeof fake !== 'function') return fake;
    return fake(args, (arg, v) => {
      const a = i.args[arg];
      if (a?.k !== 'ref') throw new Error(`${name} writes through argument ${arg}, not the address of a local`);
      locals.set(a.name, v);
    });
  };

  const max = opts.maxSteps ?? 10_000;
  let pc = 0;
  for (;;) {
    if (res.steps++ > max) throw new Error(`${p.name}: more than ${max} steps`);
    const i = p.code[pc];
    if (!i) throw new Error(`${p.name}: pc ${pc} out of range`);
    switch (i.op) {
      case 'set': locals.set(i.dst, ev(i.e)); pc++; break;
      case 'call': {
        const v = call(i);
        if (i.dst) locals.set(i.dst, v);
        pc++;
        break;
      }
      case 'load': {
        const obj = ev(i.obj);
        res.loads.push(fieldKey(obj, i.field));
        const k = fieldKey(obj, i.field);
        locals.set(i.dst, fields.has(k) ? fields.get(k)! : 0);
        pc++;
        break;
      }
      case 'store': {
        const k = fieldKey(ev(i.obj), i.field);
        const v = ev(i.e);
        fields.set(k, v);
        res.stores.push({ key: k, v });
        pc++;
        break;
      }
      case 'jmp': pc = i.to; break;
      case 'br': pc = truth(ev(i.c)) ? i.t : i.f; break;
      case 'ret':
        res.ret = i.e ? ev(i.e) : undefined;
        return res;
      case 'check': {
        const fired = truth(ev(i.c));
        res.checks.push({ kind: i.kind, fired });
        if (fired && i.kind === 'bug') {
          res.bug = true;
          return res;
        }
        pc++;
        break;
      }
    }
  }
}

/** Returns a fake that yields the given values in turn, then the last one forever. */
export function sequence(...values: Value[]): (args: Value[]) => Value {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)];
}
