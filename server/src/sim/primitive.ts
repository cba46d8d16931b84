/**
 * Simulator primitives: the operations that are one atomic step each. Kernel code
 * (built-in models and lifted source) reaches the shared state only through these,
 * so their reads and writes are exactly what the explorer needs to know.
 */
import type { Expr, Value } from './program.js';
import type { Layout } from './layout.js';

export interface StepContext {
  readonly layout: Layout;
  /** the thread taking the step */
  readonly tid: string;
  get(key: string): Value;
  /** a location's value without making it part of the step's footprint (only for facts no other thread can change) */
  peek?(key: string): Value;
  set(key: string, value: Value): void;
  /** start asynchronous work (I/O completion) as a new thread running `fn(args)` */
  spawn(fn: string, args: Value[], label: string): void;
  /** an invariant fired during this step */
  violate(invariant: string, message: string): void;
  /** a short remark shown with the step in traces */
  remark(text: string): void;
  /**
   * The step could not follow the kernel here and went on with a stated assumption
   * (an unmodeled flag bit reads 0): the run lists it, at the step's source place.
   */
  assume?(kind: string, message: string): void;
  /**
   * Writes `value` through argument `arg`, which must be the address of one of the
   * caller's locals (`&fbatch`, an array `indices`) or, for an argument the primitive
   * takes by reference (`byRef`), of a plain field: how a batch lookup fills the
   * caller's batch and index array. The variable changes when the primitive returns.
   */
  out(arg: number, value: Value): void;
}

export interface Primitive {
  /** the kernel names this primitive answers to (page and folio generations) */
  names: readonly string[];
  /** one line: what it does to the simulated state */
  doc: string;
  /** reads: a rough list of state it reads, for hovers ("PG_dirty", "PTE dirty") */
  reads?: readonly string[];
  writes?: readonly string[];
  /** true when the thread cannot take this step now (it sleeps or spins) */
  blocks?(c: StepContext, args: Value[]): boolean;
  run(c: StepContext, args: Value[]): Value;
  /**
   * Pure helpers (page_folio, page_index, page_buffers) touch no changing state:
   * they are evaluated as local computation, not as a step.
   */
  pure?: boolean;
  /**
   * Pure for these argument expressions only: test_bit(PG_head, ...) reads a bit that is
   * clear on every modeled page, so that call is local computation, not a step.
   */
  pureFor?(args: readonly Expr[]): boolean;
  /**
   * The result, when it is a constant of the system for these argument expressions
   * (static_branch_unlikely(devmap_managed_key): off): the footprint classes follow only
   * the branch the run takes on it.
   */
  constant?(args: readonly Expr[]): Value | undefined;
  /**
   * The argument that numbers the bit of a flag word (test_bit's `nr`): a number or a
   * constant that is no PG_/BH_ name there still names one bit, which narrows the
   * footprint classes (footprint-classes.ts refine).
   */
  bitArg?: number;
  /**
   * The argument that is a mask of flag-word bits (xor_unlock_is_negative_byte's): a
   * constant one (`1 << PG_locked`) touches those bits only (footprint-classes.ts refine).
   */
  maskArg?: number;
  /**
   * The argument that is the one object (a buffer_head) whose locations of its kind it
   * touches: bound to an object in a future, its classes of that kind are that object's
   * alone (footprint-classes.ts boundObject; RACELENS_CHECK_CLASSES checks it).
   */
  objectArg?: number;
  /** Pure, and its result is argument N's object (folio_flags(folio, 0): the folio's word): a future bound to it binds the result too. */
  resultObjectArg?: number;
  /** Pure, and its result is argument N's folio (page_folio): the page itself where no page is a compound page's tail. */
  folioOfArg?: number;
  /** The argument whose address, when it is `&x->FIELD` of plain memory, is all the `plain field` it touches. */
  plainArg?: number;
  /** returns one of the calling thread's own stack objects (a struct vm_fault: objects.ts isThreadPrivate) */
  privateResult?: boolean;
  /** the kind of object it always returns ("vmf"): known-values.ts reads that kind's fixed fields off the setup */
  resultKind?: string;
  /** a path outside the model: every call stops the run with an error, so it sets nothing it is handed `&local` of */
  outOfModel?: boolean;
  /** a bit test (test_bit): on a plain field's word nothing writes, local computation (machine.ts) */
  readsPlainWord?: boolean;
  /**
   * Fields whose stores change what it reads (page->private for page_buffers): while no
   * code the run can reach stores to one, it is local computation; otherwise a step.
   */
  pureUnlessWritten?: readonly string[];
  /**
   * An update that returns nothing (atomic_inc, atomic_add): the index of the argument
   * it updates. On a plain field no code the run can reach reads (a statistic such as
   * wb->writeback_inodes), it changes nothing a run can observe: local computation
   * that leaves the field alone (machine.ts), as dead-variable reduction would.
   */
  blindUpdate?: number;
  /**
   * Local computation at this call, decided at the state (a list operation on a page wait
   * queue by a thread holding the queue's lock, ops/waitlist.ts): a both-mover, which
   * then joins the thread's next step. Reads here must use `peek`.
   */
  localWhen?(c: StepContext, args: Value[]): boolean;
  /**
   * Lipton's movers: a lock that is only ever taken and released (never tested by
   * another CPU) is acquired as a right mover and released as a left mover.
   */
  mover?: 'acquire' | 'release';
  /** functions this primitive starts as asynchronous work (I/O completions) */
  spawns?: readonly string[];
  /**
   * Arguments passed by reference (`&fbatch`, `&index`): the primitive gets the
   * variable's value and writes it back through StepContext.out. The variable is a
   * local of the caller, or a plain field of a modeled object (`&wbc->fbatch`,
   * `&wbc->index`: a writeback_control that carries its batch, 6.8+): then the field
   * is read and written as plain memory.
   */
  byRef?: readonly number[];
  /**
   * Arguments a release passes by address and an older one by value (6.12's
   * find_get_entries(mapping, &index, ...), 6.1's find_get_entries(mapping, index, ...)):
   * `out` through one of them reaches the caller's local only when it was passed by address.
   */
  outWhenAddress?: readonly number[];
}

export class PrimitiveTable {
  private readonly byName = new Map<string, Primitive>();

  add(...prims: Primitive[]): this {
    for (const given of prims) {
      const p = uniform(given);
      for (const n of p.names) {
        if (this.byName.has(n)) throw new Error(`primitive ${n} defined twice`);
        this.byName.set(n, p);
      }
    }
    return this;
  }

  get(name: string): Primitive | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}

/** Raised inside a primitive when its arguments make no sense (wrong object kind). */
export class PrimitiveError extends Error {}

/**
 * A primitive with every field of the interface present (undefined when not given), in
 * one order: the runner reads `run`, `blocks`, `mover`, `byRef` off whichever primitive a
 * step calls, and objects of one shape make those reads monomorphic, where each literal
 * of its own set of fields would have its own shape. Every field is listed: the type
 * below makes a field added to Primitive and not here a compile error, not a field dropped.
 */
function uniform(p: Primitive): Primitive {
  const all: { [K in keyof Required<Primitive>]: Primitive[K] } = {
    names: p.names, doc: p.doc, reads: p.reads, writes: p.writes, blocks: p.blocks, run: p.run, pure: p.pure, pureFor: p.pureFor,
    constant: p.constant, bitArg: p.bitArg, maskArg: p.maskArg, objectArg: p.objectArg, resultObjectArg: p.resultObjectArg,
    folioOfArg: p.folioOfArg, plainArg: p.plainArg, privateResult: p.privateResult, resultKind: p.resultKind, outOfModel: p.outOfModel,
    readsPlainWord: p.readsPlainWord, pureUnlessWritten: p.pureUnlessWritten, blindUpdate: p.blindUpdate, localWhen: p.localWhen,
    mover: p.mover, spawns: p.spawns, byRef: p.byRef, outWhenAddress: p.outWhenAddress,
  };
  return all;
}
