/**
 * What a scenario's reachable code does, as a whole: which functions a call through a
 * pointer may reach, which fields some code reads or writes, whether anything can take
 * a page out of the page cache, and the classes each function may touch. Computed when
 * first asked, from the linker's programs, and shared by every machine over the same
 * programs (sharedFacts): the machine's reductions (persistent sets, step fusion, reads
 * of unchanging fields) rest on these answers.
 */
import { namesIn, references, refKind } from './program.js';
import type { Layout } from './layout.js';
import type { Linker, Resolved, ThreadSpec } from './machine.js';
import { forEachExpr } from './expr-walk.js';
import { intersects } from './footprint-classes.js';
import { calleeField, fieldKey, paramField, sameFieldMay, splitFieldKey, FunctionClasses } from './function-classes.js';
import { ParamConstants, PrivateLocals } from './param-constants.js';
import { constantValue } from './constants.js';
import { KnownValues, type KnownHost } from './known-values.js';
import { knownHost } from './known-layout.js';
import type { Expr, FunctionProgram } from './program.js';
import { ALL_TARGETS, branchAnswer, branchValue, type KeptAnswers } from './kept-facts.js';

const PG_MAPPING = new Set(['pg.mapping']);

/** What the reachable code puts in function-pointer fields, by fieldKey (storedFunctions). */
interface StoredFunctions {
  byField: Map<string, string[]>;
  open: Set<string>;
  addressed: Set<string>;
  /** per bare field name, every key above of that field */
  keysOf: Map<string, string[]>;
}

export { objectId, sharedFacts, type SharedFacts } from './shared-facts.js';

export class ProgramFacts {
  constructor(private readonly linker: Linker, private readonly layout: Layout, private readonly roots: readonly ThreadSpec[]) {}

  private readonly resolved = new Map<string, Resolved>();

  /**
   * What a name calls, asked of the linker once per name: the whole-program walks below
   * resolve every call of the reachable code many times over (a hoisting linker's answer
   * is a new object each time, over the same program).
   */
  private resolve(name: string): Resolved {
    let r = this.resolved.get(name);
    if (!r) this.resolved.set(name, (r = this.linker.resolve(name)));
    return r;
  }

  /** answers an earlier process worked out for the same inputs (kept-facts.ts); set by sharedFacts */
  kept: KeptAnswers | undefined;

  /** whether anything the scenario runs can take a page out of the page cache at all */
  get mayRemove(): boolean {
    if (this.mayRemoveMemo === undefined && this.kept?.mayRemove !== undefined) this.mayRemoveMemo = this.kept.mayRemove;
    if (this.mayRemoveMemo === undefined) {
      const roots = this.roots.map((c) => c.fn);
      this.mayRemoveMemo = [...roots, ...this.indirectTargets()].some((fn) => intersects(PG_MAPPING, this.classes.of(fn).w));
      if (this.kept) {
        this.kept.mayRemove = this.mayRemoveMemo;
        this.kept.grown = true;
      }
    }
    return this.mayRemoveMemo;
  }

  /**
   * Which way the branch at `pc` of `fn` always goes (known-values.ts): a kept answer
   * when there is one for this very program (the one its name resolves to), else worked out.
   */
  branchTaken(fn: FunctionProgram, pc: number): boolean | undefined {
    const kept = this.kept;
    if (!kept) return this.known.branch(fn, pc);
    const r = this.resolve(fn.name);
    if (r.kind !== 'func' || r.fn !== fn) return this.known.branch(fn, pc);
    let byPc = kept.branches.get(fn.name);
    const a = byPc?.get(pc);
    if (a !== undefined) return branchValue(a);
    const v = this.known.branch(fn, pc);
    if (!byPc) kept.branches.set(fn.name, (byPc = new Map()));
    byPc.set(pc, branchAnswer(v));
    kept.grown = true;
    return v;
  }

  private mayRemoveMemo: boolean | undefined;

  private indirect: { all: string[]; reachable: string[] } | undefined;
  private readonly indirectByField = new Map<string, string[]>();

  /**
   * Functions a call through a pointer may reach. Through `x->FIELD(...)`: the
   * functions that a_ops tables or stores put in FIELD (`.writepage =`,
   * `bh->b_end_io =`); none for a field nothing fills; otherwise every function used
   * as a value anywhere.
   */
  indirectTargets(field?: string): readonly string[] {
    const kept = this.kept?.indirect.get(field ?? ALL_TARGETS);
    if (kept) return kept;
    const targets = this.workOutTargets(field);
    if (this.kept) {
      this.kept.indirect.set(field ?? ALL_TARGETS, targets);
      this.kept.grown = true;
    }
    return targets;
  }

  private workOutTargets(field: string | undefined): string[] {
    const { all, reachable } = this.indirectWalk();
    if (field === undefined) return all;
    let targets = this.indirectByField.get(field);
    if (targets) return targets;
    const found = new Set<string>();
    // an ops table's struct is not kept: its entries count for a field of that name in any struct
    const bare = splitFieldKey(field).field;
    for (const table of this.layout.ops.values()) {
      const fn = table.get(bare);
      if (fn) found.add(fn);
    }
    const stored = this.storedFunctions(reachable);
    // what is stored in, opened or addressed at a field of this name in the same struct, or in one not known
    // (`x->done++` of a struct completion does not fill an rmap_walk_control's done)
    const matching = (byKey: ReadonlyMap<string, unknown> | ReadonlySet<string>): string[] =>
      (stored.keysOf.get(bare) ?? []).filter((k) => byKey.has(k) && sameFieldMay(k, field));
    for (const k of matching(stored.byField)) for (const v of stored.byField.get(k)!) found.add(v);
    const addressed = matching(stored.addressed).length > 0;
    const open = matching(stored.open).length > 0;
    // A field nothing fills (no ops table names it, no reachable store or primitive
    // writes it: smp_ops.smp_send_reschedule, whose table is arch code outside the model)
    // holds NULL at run time, where a call through it is an error: it reaches no function.
    // (a parameter's name, paramField: what a thread's root or a call through a pointer passes is not seen)
    const unfilled = found.size === 0 && !addressed && !field.includes('#');
    targets = open || (found.size === 0 && !unfilled) ? all : [...found];
    this.indirectByField.set(field, targets);
    return targets;
  }

  private readonly calleeMemo = new WeakMap<Expr, readonly string[]>();

  /**
   * The functions a call through `callee` in `fn` may reach: those of the field it is
   * loaded from (indirectTargets), and for a local, the union over what sets it — a
   * function named there, a field, another local, or for a parameter the arguments of
   * every call (param-constants.ts); a number or NULL is no function (the call is an
   * error at run time). Anything else (a call's result, `&local` handed out): every
   * function used as a value.
   */
  calleeTargets(fn: FunctionProgram, callee: Expr): readonly string[] {
    let targets = this.calleeMemo.get(callee);
    if (!targets) {
      const field = calleeField(fn, callee);
      // a parameter: what every call passes there (`filemap_read_folio(file, mapping->a_ops->read_folio, folio)`),
      // which a field's stores cannot say when a caller passes a field's value rather than a function's name
      const viaSites = field === undefined || (callee.k === 'local' && field === paramField(fn.name, fn.params.indexOf(callee.name)));
      const out = new Set<string>();
      if (viaSites && this.valueTargets(fn, callee, out, new Set())) targets = [...out];
      else targets = field !== undefined ? this.indirectTargets(field) : this.indirectTargets();
      this.calleeMemo.set(callee, targets);
    }
    return targets;
  }

  /** Adds the functions `e` in `fn` may evaluate to; false when that cannot be told. */
  private valueTargets(fn: FunctionProgram, e: Expr, out: Set<string>, seen: Set<string>): boolean {
    switch (e.k) {
      case 'num': case 'null': return true;
      case 'fn': out.add(e.name); return true;
      case 'sym': {
        const r = this.resolve(e.name);
        if (r.kind === 'func') out.add(e.name);
        // a primitive's name as a value: not a function the futures know
        return r.kind !== 'prim';
      }
      case 'field': for (const t of this.indirectTargets(fieldKey(e.field, e.tag))) out.add(t); return true;
      case 'cond': return this.valueTargets(fn, e.a, out, seen) && this.valueTargets(fn, e.b, out, seen);
      case 'local': break;
      default: return false;
    }
    const k = `${fn.name}\u0000${e.name}`;
    if (seen.has(k)) return true;
    seen.add(k);
    for (const i of fn.code) {
      if (i.op === 'call' && i.args.some((a) => a.k === 'ref' && a.name === e.name)) return false;
      if ((i.op !== 'set' && i.op !== 'load' && i.op !== 'call') || i.dst !== e.name) continue;
      if (i.op === 'call') return false;
      if (i.op === 'load') { for (const t of this.indirectTargets(fieldKey(i.field, i.tag))) out.add(t); continue; }
      if (!this.valueTargets(fn, i.e, out, seen)) return false;
    }
    const index = fn.params.indexOf(e.name);
    if (index < 0) return true;
    const sites = this.params.sitesOf(fn);
    if (!sites) return false;
    for (const { caller, args } of sites) {
      const a = args[index];
      if (!a || !this.valueTargets(caller, a, out, seen)) return false;
    }
    return true;
  }

  private stored: StoredFunctions | undefined;

  /**
   * Per field, the functions the reachable code stores in it (`bh->b_end_io = f`), in
   * the order of the walk: one pass over the code for every field a call goes through.
   * A store of a parameter (`bh->b_end_io = handler` in mark_buffer_async_write_endio)
   * stores what the callers pass there: the functions named at every call. A field
   * some store fills with anything else (a local, a parameter whose function is called
   * through a pointer or handed on) is open: any function used as a value may be in it.
   * Each is kept by fieldKey: with the struct of the access when the lifter knew it.
   */
  private storedFunctions(reachable: readonly string[]): StoredFunctions {
    if (this.stored) return this.stored;
    const byField = new Map<string, string[]>();
    const open = new Set<string>();
    // fields whose address the reachable code takes: a callee handed it may write anything there
    const addressed = new Set<string>();
    const add = (field: string, v: string): void => {
      const list = byField.get(field);
      if (!list) byField.set(field, [v]);
      else if (!list.includes(v)) list.push(v);
    };
    const isFunction = (v: string): boolean => this.resolve(v).kind === 'func';
    // (function, parameter index) -> fields it stores that parameter in
    const viaParam = new Map<string, Map<number, string[]>>();
    const through = (name: string, k: number, field: string): boolean => {
      let byIndex = viaParam.get(name);
      if (!byIndex) viaParam.set(name, (byIndex = new Map()));
      const list = byIndex.get(k) ?? [];
      if (list.includes(field)) return false;
      byIndex.set(k, [...list, field]);
      return true;
    };
    for (const name of reachable) {
      const r = this.resolve(name);
      if (r.kind !== 'func') continue;
      for (const i of r.fn.code) {
        forEachExpr(i, (e) => { if (e.k === 'addr') addressed.add(fieldKey(e.field, e.tag)); });
        // a call through a parameter calls what the callers pass: as if stored in a field of that name
        if (i.op === 'call' && typeof i.callee !== 'string') {
          const field = calleeField(r.fn, i.callee);
          const k = i.callee.k === 'local' ? r.fn.params.indexOf(i.callee.name) : -1;
          if (field !== undefined && k >= 0 && field === paramField(r.fn.name, k) && r.fn.name === name) through(name, k, field);
          continue;
        }
        if (i.op !== 'store') continue;
        const key = fieldKey(i.field, i.tag);
        const names = namesIn(i.e).filter(isFunction);
        for (const v of names) add(key, v);
        if (names.length > 0 || i.e.k === 'num' || i.e.k === 'null') continue;
        const k = i.e.k === 'local' ? r.fn.params.indexOf(i.e.name) : -1;
        if (k < 0) { open.add(key); continue; }
        through(name, k, key);
      }
    }
    if (viaParam.size > 0) {
      const values = new Set(this.indirectWalk().all);
      // a caller that hands its own parameter on stores what its callers pass: to a fixpoint
      for (let changed = true; changed;) {
        changed = false;
        for (const name of reachable) {
          const r = this.resolve(name);
          if (r.kind !== 'func') continue;
          for (const i of r.fn.code) {
            if (i.op !== 'call' || typeof i.callee !== 'string') continue;
            const byIndex = viaParam.get(i.callee);
            if (!byIndex) continue;
            for (const [k, fields] of byIndex) {
              const a = i.args[k];
              const v = a?.k === 'sym' || a?.k === 'fn' ? a.name : undefined;
              const j = a?.k === 'local' ? r.fn.params.indexOf(a.name) : -1;
              for (const f of fields) {
                if (v !== undefined && isFunction(v)) add(f, v);
                else if (j >= 0) {
                  if (through(name, j, f)) changed = true;
                } else if (a?.k !== 'num' && a?.k !== 'null') open.add(f);
              }
            }
          }
        }
      }
      // called through a pointer, or started as a thread (a CPU, the final block, a completion): its arguments cannot be seen
      const roots = new Set(this.threadRoots());
      for (const name of reachable) {
        const r = this.resolve(name);
        if (r.kind !== 'func') continue;
        for (const i of r.fn.code) {
          if (i.op !== 'call' || typeof i.callee !== 'string') continue;
          const c = this.resolve(i.callee);
          if (c.kind === 'prim') for (const spawned of c.prim.spawns ?? []) roots.add(spawned);
        }
      }
      for (const [fn, byIndex] of viaParam) {
        if (values.has(fn) || roots.has(fn)) for (const fields of byIndex.values()) for (const f of fields) open.add(f);
      }
    }
    const keysOf = new Map<string, string[]>();
    for (const k of new Set([...byField.keys(), ...open, ...addressed])) {
      const bare = splitFieldKey(k).field;
      const list = keysOf.get(bare);
      if (list) list.push(k);
      else keysOf.set(bare, [k]);
    }
    return (this.stored = { byField, open, addressed, keysOf });
  }

  /** The functions a thread starts in: the CPUs', the final block's, the I/O completions'. */
  threadRoots(): string[] {
    return [...this.roots.map((c) => c.fn), 'bh_io_complete', 'page_io_complete'];
  }

  /** Every function reachable from the scenario, and those used as values. */
  private indirectWalk(): { all: string[]; reachable: string[] } {
    if (this.indirect) return this.indirect;
    const found = new Set<string>();
    for (const table of this.layout.ops.values()) for (const fn of table.values()) found.add(fn);
    const seen = new Set<string>();
    const queue = [...this.threadRoots(), ...found];
    while (queue.length) {
      const name = queue.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const r = this.resolve(name);
      if (r.kind !== 'func') continue;
      const { calls, values } = references(r.fn);
      for (const c of calls) queue.push(c.name);
      for (const v of values) {
        if (!found.has(v) && this.resolve(v).kind === 'func') {
          found.add(v);
          queue.push(v);
        }
      }
    }
    this.indirect = { all: [...found], reachable: [...seen] };
    return this.indirect;
  }

  readonly classes = new FunctionClasses({
    callee: (name) => {
      const r = this.resolve(name);
      return r.kind === 'prim' ? { prim: r.prim } : r.kind === 'func' ? { fn: r.fn } : undefined;
    },
    indirectTargets: (field) => this.indirectTargets(field),
    calleeTargets: (fn, callee) => this.calleeTargets(fn, callee),
    argVariants: (fn, args) => this.params.variants(fn, args),
    privateLocal: (fn, local) => this.privateLocals.holdsPrivate(fn, local),
    branchTaken: (fn, pc) => this.branchTaken(fn, pc),
    noTailPages: () => ![...this.layout.pages.values()].some((p) => p.head !== undefined),
  });

  /** what the reachable functions' parameters can hold, from their call sites */
  private readonly params = new ParamConstants(
    () => {
      const fns = new Map<string, FunctionProgram>();
      for (const name of this.indirectWalk().reachable) {
        const r = this.resolve(name);
        if (r.kind === 'func') fns.set(name, r.fn);
      }
      return fns;
    },
    (name) => { const r = this.resolve(name); return r.kind === 'func' ? r.fn : undefined; },
    // functions used as values are entered only by calls through pointers (only call instructions and the
    // queues of roots and completions push frames, runner.ts), whose targets are known by their fields
    () => [...this.threadRoots(), ...this.spawned()],
    (fn, callee) => this.indirectTargets(calleeField(fn, callee)),
  );

  /** Functions the layout's ops tables name (a_ops, vm_ops): called through pointers. */
  private layoutOpsFunctions(): string[] {
    const out: string[] = [];
    for (const table of this.layout.ops.values()) out.push(...table.values());
    return out;
  }

  /** The argument lists a call in `fn` can have, its parameters replaced by the constants their callers pass. */
  argVariants(fn: FunctionProgram, args: readonly Expr[]): readonly (readonly Expr[])[] {
    return this.params.variants(fn, args);
  }

  /** which locals hold only the thread's own stack objects (after `params`, which it asks) */
  private readonly privateLocals = new PrivateLocals(
    this.params,
    (callee) => { const r = this.resolve(callee); return r.kind === 'prim' && r.prim.privateResult === true; },
    (name) => refKind(constantValue(name) ?? null) === 'wbc',
    (callee, k) => this.writesThrough(callee, k),
  );

  /**
   * Whether a call by name may set the caller's local it is handed `&local` of at
   * argument `k`: a lifted function through a parameter it writes through (outParams,
   * value-result); a primitive may write any such argument (StepContext.out), but one
   * outside the model stops the run instead; a no-op or an unknown call runs nothing.
   */
  private writesThrough(callee: string, k: number): boolean {
    const r = this.resolve(callee);
    if (r.kind === 'prim') return r.prim.outOfModel !== true;
    if (r.kind === 'func') return r.fn.params[k] === undefined || (r.fn.outParams?.includes(r.fn.params[k]) ?? false);
    return false;
  }

  private knownMemo: KnownValues | undefined;

  /** the values fixed for the whole run, for the branches a future leaves out (known-values.ts) */
  get known(): KnownValues {
    return (this.knownMemo ??= this.verifiedKnown());
  }

  /**
   * Known values whose fixed fields no code a run can reach writes. The answers take
   * every fixed field at its setup value; then the code live under those answers (the
   * functions its live calls reach from the threads' roots, only the arms of branches
   * they leave open) is searched for a store to, or an address handed out of, a field
   * an answer rested on. None: by induction over a run's steps the fields keep their
   * values (a write would be a step of live code), and the answers hold. Some: those
   * fields are not taken as fixed, and the answers are worked out again.
   */
  private verifiedKnown(): KnownValues {
    const excluded = new Set<string>();
    for (;;) {
      const known = KnownValues.refined(this.knownHost(), excluded);
      const used = known.fixedFieldsUsed();
      const broken = new Set<string>();
      for (const w of this.liveWrites(known)) {
        // the kinds of object the write may be to: any, when that is not known
        const objs = known.expr(w.fn, w.obj);
        const kinds = objs === undefined ? undefined : objs.map((o) => refKind(o)).filter((k): k is string => k !== undefined);
        for (const k of used) if (k.endsWith(`.${w.field}`) && (!kinds || kinds.includes(k.slice(0, k.indexOf('.'))))) broken.add(k);
      }
      if (broken.size === 0) return known;
      for (const f of broken) excluded.add(f);
    }
  }

  /** What the code live under `known` may write: stores, and `&obj->field` handed to calls (writtenWords, over live code only). */
  private liveWrites(known: KnownValues): { fn: FunctionProgram; obj: Expr; field: string }[] {
    const written: { fn: FunctionProgram; obj: Expr; field: string }[] = [];
    const seen = new Set<FunctionProgram>();
    const queue: string[] = [...this.threadRoots(), ...this.spawned(), ...this.indirectWalk().all, ...this.layoutOpsFunctions()];
    while (queue.length) {
      const r = this.resolve(queue.pop()!);
      if (r.kind !== 'func' || seen.has(r.fn)) continue;
      seen.add(r.fn);
      for (const pc of known.live(r.fn)) {
        const i = r.fn.code[pc];
        if (i.op === 'store') written.push({ fn: r.fn, obj: i.obj, field: i.field });
        if (i.op !== 'call') continue;
        if (typeof i.callee !== 'string') {
          queue.push(...this.calleeTargets(r.fn, i.callee));
        } else {
          queue.push(i.callee);
          const c = this.resolve(i.callee);
          if (c.kind === 'prim') {
            queue.push(...(c.prim.spawns ?? []));
            if (c.prim.readsPlainWord) continue;
          }
        }
        for (const a of i.args) if (a.k === 'addr') written.push({ fn: r.fn, obj: a.obj, field: a.field });
      }
    }
    return written;
  }

  private knownHost(): KnownHost {
    return knownHost(this.layout, {
    callee: (name) => {
      const r = this.resolve(name);
      return r.kind === 'prim' ? { prim: r.prim } : r.kind === 'func' ? { fn: r.fn } : 'nothing';
    },
    sitesOf: (fn) => this.params.sitesOf(fn),
    targets: (fn, callee) => this.calleeTargets(fn, callee).map((n) => this.resolve(n)).flatMap((r) => (r.kind === 'func' ? [r.fn] : [])),
    writesThrough: (callee, k) => typeof callee !== 'string' || this.writesThrough(callee, k),
    reachable: () => this.reachablePrograms(),
  });
  }

  /** The program a call by this name runs, if it is a lifted or built-in function. */
  program(name: string): FunctionProgram | undefined {
    const r = this.resolve(name);
    return r.kind === 'func' ? r.fn : undefined;
  }

  /** The programs of the reachable functions, each once. */
  private reachablePrograms(): FunctionProgram[] {
    const out = new Set<FunctionProgram>();
    for (const name of this.indirectWalk().reachable) {
      const r = this.resolve(name);
      if (r.kind === 'func') out.add(r.fn);
    }
    return [...out];
  }

  private spawnedMemo: string[] | undefined;

  /** Functions primitives of the reachable code start as completions. */
  private spawned(): string[] {
    if (this.spawnedMemo) return this.spawnedMemo;
    const out: string[] = [];
    for (const name of this.indirectWalk().reachable) {
      const r = this.resolve(name);
      if (r.kind !== 'func') continue;
      for (const i of r.fn.code) {
        if (i.op !== 'call' || typeof i.callee !== 'string') continue;
        const c = this.resolve(i.callee);
        if (c.kind === 'prim') out.push(...(c.prim.spawns ?? []));
      }
    }
    return (this.spawnedMemo = out);
  }

  private readFieldsMemo: Set<string> | undefined;

  /**
   * Fields some reachable code reads: a load, a field in an expression, or an address
   * handed to anything but an update that returns nothing (atomic_read(&x->f),
   * spin_lock(&x->f), a lifted callee).
   */
  readFields(): Set<string> {
    if (this.readFieldsMemo) return this.readFieldsMemo;
    const read = new Set<string>();
    for (const name of this.indirectWalk().reachable) {
      const r = this.resolve(name);
      if (r.kind !== 'func') continue;
      for (const i of r.fn.code) {
        if (i.op === 'load') read.add(i.field);
        const blind = i.op === 'call' && typeof i.callee === 'string' ? blindArg(this.resolve(i.callee)) : undefined;
        const skip = blind !== undefined && i.op === 'call' ? i.args[blind] : undefined;
        forEachExpr(i, (e) => {
          if ((e.k === 'field' || e.k === 'addr') && e !== skip) read.add(e.field);
        });
      }
    }
    return (this.readFieldsMemo = read);
  }

  private writtenWordsMemo: Set<string> | undefined;

  /** Fields stored to, or whose address a primitive that writes is handed, in the reachable code. */
  writtenWords(): Set<string> {
    if (this.writtenWordsMemo) return this.writtenWordsMemo;
    const written = new Set(this.writtenFields());
    for (const name of this.indirectWalk().reachable) {
      const r = this.resolve(name);
      if (r.kind !== 'func') continue;
      for (const i of r.fn.code) {
        if (i.op !== 'call' || typeof i.callee !== 'string') continue;
        const p = this.resolve(i.callee);
        if (p.kind === 'prim' && p.prim.readsPlainWord) continue;
        for (const a of i.args) if (a.k === 'addr') written.add(a.field);
      }
    }
    return (this.writtenWordsMemo = written);
  }

  private writtenMemo: Set<string> | undefined;

  /** Fields some store of the reachable code writes. */
  writtenFields(): Set<string> {
    if (this.writtenMemo) return this.writtenMemo;
    const written = new Set<string>();
    for (const name of this.indirectWalk().reachable) {
      const r = this.resolve(name);
      if (r.kind === 'func') for (const i of r.fn.code) if (i.op === 'store') written.add(i.field);
    }
    return (this.writtenMemo = written);
  }
}

function blindArg(r: Resolved): number | undefined {
  return r.kind === 'prim' ? r.prim.blindUpdate : undefined;
}
