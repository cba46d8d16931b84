/**
 * The machine's types: threads, frames and states as the explorer and the runner see
 * them, the options of a machine, and a function's compiled form.
 */
import type { ClassSet, StepMasks } from './footprint-classes.js';
import type { CheckOnly } from './check-only.js';
import type { Liveness } from './liveness.js';
import type { Layout } from './layout.js';
import type { Primitive } from './primitive.js';
import type { FunctionProgram, Value } from './program.js';
import type { Change } from './describe.js';
import type { WorldStore } from './store.js';
import type { World } from './world.js';
import type { Eval } from './compile.js';
import type { LocalRun } from './compiled-code.js';
import type { MemoEntry } from './transition-memo.js';

export type Resolved =
  | { kind: 'prim'; name: string; prim: Primitive }
  | { kind: 'func'; fn: FunctionProgram }
  | { kind: 'noop'; name: string }
  | { kind: 'unknown'; name: string };

/** Name resolution for calls: models, primitives, known no-ops (built by the catalog). */
export interface Linker {
  resolve(name: string): Resolved;
}

export interface Frame {
  fn: string;
  pc: number;
  locals: Value[];
  /** caller's local slot that receives the return value, -1 for none */
  ret: number;
  /** the compiled form of `fn` (not part of the state: the same for every frame of it) */
  readonly c: CompiledFunction;
  /**
   * The futures trie's node for this frame and the ones below it, this one resumed after
   * its call (futures.ts): set when first asked for, once a frame is below the top, where
   * it no longer changes (a step copies its top frame, a return its caller unless that
   * is the returning thread's own, and then forgets this).
   */
  below: object | undefined;
  /**
   * The thread object that made this frame, the only one that may change it in place:
   * frames are shared with the states before, and copied on write by a thread once.
   */
  owner: object | undefined;
}

/** the I/O completion thread's id: one context completes requests in submission order */
export const IO_THREAD = 'io';

export interface Thread {
  id: string;
  /** what the thread is, for trace headers: "user", "writeback", "io P.0" */
  label: string;
  frames: Frame[];
  steps: number;
  spawned: number;
  /** asynchronous work waiting for this thread (the I/O completion thread runs requests in order) */
  queue: ThreadSpec[];
  /** what depends on where the thread is alone, shared by its copies that differ in their step count only */
  place: ThreadPlace;
}

/**
 * Caches of a thread that depend on where it is (frames, live locals, queue, label) and
 * not on its step count: one object shared by every copy made for a count
 * (thread-copy.ts withSteps), so what one copy worked out the others find.
 */
export interface ThreadPlace {
  /** the thread's share of the state hash, and the classes its future may touch */
  hash: [number, number] | undefined;
  future: ClassSet | undefined;
  /** its future's masks, and whether its future may take a page out of the page cache */
  futureMasks: StepMasks | undefined;
  removes: boolean | undefined;
  /** the transitions the memo keeps for threads where this one is (transition-memo.ts) */
  memo: MemoEntry[] | undefined;
  /** the classes its pending step states, as masks (null: none can be stated) */
  stated: StepMasks | null | undefined;
  /** whether its pending step could run, and the world slots that answer read with their values then */
  canStep: { slots: number[]; values: Value[]; result: boolean } | undefined;
}

export interface SimState {
  /** world values, in the order of the machine's location table */
  world: WorldStore;
  threads: Thread[];
  finalStarted: boolean;
  /**
   * Steps already computed from this state, per thread (by its place in `threads`): the explorer asks for a
   * step's footprint before taking it. Dropped when the explorer releases the state,
   * so that successor chains do not keep the explored graph alive.
   */
  outcomes?: (Outcome | undefined)[];
  /** the state's key, once asked for */
  key?: string;
  /** the threads' ids, once asked for (shared with a successor that has the same threads) */
  ids?: readonly string[];
}

export interface StepEvent {
  tid: string;
  label: string;
  /** the kernel function whose code took the step */
  fn: string;
  /** the primitive or field access, with arguments and result */
  op: string;
  file?: string;
  line?: number;
  /** 1-based, where the lifter knows it */
  column?: number;
  text?: string;
  changes: Change[];
  remarks: string[];
  /**
   * Steps of the same CPU taken in the same transition (a lock acquire with the step
   * after it, a release with the step before it): shown as rows of their own.
   */
  fused?: StepEvent[];
}

export interface ThreadSpec {
  id: string;
  label: string;
  fn: string;
  args: Value[];
}

export interface MachineOptions {
  layout: Layout;
  world: World;
  linker: Linker;
  cpus: ThreadSpec[];
  /** run after every other thread has finished */
  final?: ThreadSpec;
  /** invariant ids that count; others are ignored (a BUG still ends its thread) */
  checks: ReadonlySet<string>;
  /** steps one thread may take before it is declared stuck */
  maxThreadSteps?: number;
  /**
   * Take lock acquires and releases together with their neighbouring step, and steps
   * no other thread can see together with the step before (the reductions of
   * `execute`). Default true; false makes every step a transition of its own, for
   * comparing against the naive search.
   */
  fuseSteps?: boolean;
  /**
   * Take a read whose result only checks use together with the thread's next step
   * (readsForChecks). Default true; false only to measure what it saves.
   */
  fuseCheckReads?: boolean;
  /**
   * Let a thread about to wait stay outside stubborn sets (Machine.stubborn). Default
   * false: sound, and it explores fewer states (5% fewer for the whole 6.1 tree's
   * writeback-stale-wake and mmap-dirty-lost), but it cost more time than it saved
   * when measured (2026-11-28), so it is there to be measured and tested, not on.
   */
  stuckWaiters?: boolean;
  /**
   * Names everything the program facts depend on (program-facts.ts sharedFacts): machines
   * with the same key share them. Without it a machine computes its own.
   */
  factsKey?: string;
}

export interface Outcome {
  /** the state after; built when first asked for (Machine.after) when the outcome came from the memo */
  state?: SimState;
  /** with `entry`, for building `state`: the state before and the thread's place in it */
  before?: SimState;
  at?: number;
  /** with `entry`, the thread's step count after (the entry's thread may have another) */
  steps?: number;
  event: StepEvent;
  /** locations read and written, each once (a step touches a handful) */
  reads: string[];
  writes: string[];
  /** the classes of its reads and writes as masks, computed when persistent sets ask */
  masks?: StepMasks;
  violation?: { invariant: string; message: string };
  /** the memo's entry this outcome was made from or stored as (transition-memo.ts) */
  entry?: MemoEntry;
  /** the key of the state after, when it was told before that state was made (transition-memo.ts keyAfter) */
  key?: string;
}

export interface CompiledFunction {
  /** the name it was asked for by, and its hash (state-hash.ts textHash) */
  key: string;
  keyHash: number;
  fn: FunctionProgram;
  slots: Map<string, number>;
  /** what depends on the program alone, shared by every machine that runs it */
  program: ProgramAnalyses;
  /** per pc: the instruction's expressions, compiled */
  ops: CompiledInstr[];
}

/**
 * A function's analyses that depend on its program alone (not on what its calls
 * resolve to): kept with the program, so that every machine over a model set (each run
 * of a scenario, each era's expect line) computes them once.
 */
export interface ProgramAnalyses {
  slots: Map<string, number>;
  /** the slot of each parameter, in order */
  paramSlots: number[];
  /** which values only checks read, computed when first asked */
  checkOnly?: CheckOnly;
  /** which locals each pc can still read, computed when first asked */
  live?: Liveness;
}

/** An instruction's expressions as closures (compile.ts); which are there depends on its op. */
export interface CompiledInstr {
  /** set, store, ret: the value */
  e?: Eval;
  /** br, check: the condition */
  c?: Eval;
  /** load, store: the object */
  obj?: Eval;
  /** call through a pointer: the callee */
  callee?: Eval;
  /** call by name: what it runs */
  target?: Resolved;
  /** the stated classes of the step here, when first asked (null: none can be stated) */
  pending?: ClassSet | null;
  /**
   * whether the step here only reads and its result matters only to checks ('dead'),
   * or also to the return value ('returned'); null: neither (see readsForChecks)
   */
  checkRead?: 'dead' | 'returned' | null;
  /** call: the arguments, and of each `&obj->field` argument the object */
  args?: Eval[];
  argObjs?: (Eval | undefined)[];
  /** some thread of this machine reached this instruction (coverage.ts) */
  hit?: boolean;
  /** the instruction run as local computation (compiled-code.ts) */
  run?: LocalRun;
}

