/**
 * What the primitives of one transition see: reads and writes of the world through a
 * writer, recorded in the transition's sink (its footprint, and each step's changes
 * and remarks for traces).
 */
import type { Change } from './describe.js';
import type { Layout } from './layout.js';
import { PrimitiveError, type StepContext } from './primitive.js';
import type { Value } from './program.js';
import type { WorldWriter } from './store.js';
import { key } from './world.js';
import type { SimState } from './machine.js';

/** What a transition needs from the machine that runs it. */
export interface TransitionHost {
  spawnCompletion(state: SimState | undefined, ctx: StepContext, fn: string, args: Value[], label: string): void;
  writeOut(i: number, v: Value): void;
  assume(kind: string, message: string): void;
}

/** Set RACELENS_CHECK_CLASSES=1 (the tests do) to verify every primitive's stated classes. */
export const CHECK_CLASSES = process.env.RACELENS_CHECK_CLASSES === '1';

/** The remarks of a step that made none (shared: a step's remarks start as this). */
export const NO_REMARKS: string[] = [];

/** The changes of a step that made none (shared, never added to: a step's changes are copied out of its sink). */
export const NO_CHANGES: Change[] = Object.freeze([]) as unknown as Change[];

/**
 * What a transition touched and what its current step said, collected by its StepContext.
 * A sink serves transition after transition: its lists are filled from the start up to
 * their counts (what lies past a count is an earlier transition's), so that the room
 * they grew is kept, where emptying a list gives its room back.
 */
export interface StepSink {
  reads: string[];
  writes: string[];
  /** locations read outside the footprint (a thread's own wait entry): the transition still depends on them (transition-memo.ts) */
  peeks: string[];
  /** the world slots of `reads`, `writes` and `peeks`, in the same order (-1: a location outside the world's table) */
  readSlots: number[];
  writeSlots: number[];
  peekSlots: number[];
  readCount: number;
  writeCount: number;
  peekCount: number;
  /** the current step's own reads and writes, kept only to check stated classes */
  stepReads?: Set<string>;
  stepWrites?: Set<string>;
  /** what the current step changed (its first `changeCount`), each location once: [location, before, after] */
  changes: Change[];
  changeCount: number;
  remarks: string[];
}

export function newSink(): StepSink {
  const sink: StepSink = {
    reads: [], writes: [], peeks: [], readSlots: [], writeSlots: [], peekSlots: [], readCount: 0, writeCount: 0, peekCount: 0,
    changes: [], changeCount: 0, remarks: [],
  };
  if (CHECK_CLASSES) {
    sink.stepReads = new Set();
    sink.stepWrites = new Set();
  }
  return sink;
}

/** The StepContext of one transition: what its primitives read and write goes to its sink. */
export class TransitionContext implements StepContext {
  constructor(
    private readonly machine: TransitionHost,
    readonly layout: Layout,
    private readonly index: ReadonlyMap<string, number>,
    readonly tid: string,
    private readonly world: WorldWriter,
    private readonly sink: StepSink,
    private readonly violations: { invariant: string; message: string }[],
    private readonly state: SimState | undefined,
  ) {}

  get(k: string): Value {
    const i = this.index.get(k);
    if (i === undefined) throw new PrimitiveError(`no state location ${k}`);
    // locations and slots are one to one: the slot list says whether the location is listed
    const sink = this.sink;
    const n = sink.readCount;
    if (!listed(sink.readSlots, n, i)) {
      sink.reads[n] = k;
      sink.readSlots[n] = i;
      sink.readCount = n + 1;
    }
    sink.stepReads?.add(k);
    return this.world.get(i);
  }

  peek(k: string): Value {
    const i = this.index.get(k);
    if (i === undefined) throw new PrimitiveError(`no state location ${k}`);
    const sink = this.sink;
    const n = sink.peekCount;
    if (!listed(sink.peekSlots, n, i)) {
      sink.peeks[n] = k;
      sink.peekSlots[n] = i;
      sink.peekCount = n + 1;
    }
    return this.world.get(i);
  }

  set(k: string, v: Value): void {
    const i = this.index.get(k);
    if (i === undefined) throw new PrimitiveError(`no state location ${k}`);
    const { sink, world } = this;
    const n = sink.writeCount;
    if (!listed(sink.writeSlots, n, i)) {
      sink.writes[n] = k;
      sink.writeSlots[n] = i;
      sink.writeCount = n + 1;
    }
    sink.stepWrites?.add(k);
    const changes = sink.changes;
    const changed = sink.changeCount;
    let c = 0;
    while (c < changed && changes[c][0] !== k) c++;
    if (c < changed) changes[c][2] = v;
    else if (world.get(i) !== v) {
      changes[changed] = [k, world.get(i), v];
      sink.changeCount = changed + 1;
    }
    world.set(i, v);
  }

  spawn(fn: string, args: Value[], label: string): void {
    // the queue's order is shared state: submissions from two CPUs do not commute
    const sink = this.sink;
    const n = sink.writeCount;
    let w = 0;
    while (w < n && sink.writes[w] !== key.ioQueue) w++;
    if (w === n) {
      sink.writes[n] = key.ioQueue;
      sink.writeSlots[n] = this.index.get(key.ioQueue) ?? -1;
      sink.writeCount = n + 1;
    }
    this.machine.spawnCompletion(this.state, this, fn, args, label);
  }

  violate(invariant: string, message: string): void {
    this.violations.push({ invariant, message });
  }

  remark(text: string): void {
    if (this.sink.remarks === NO_REMARKS) this.sink.remarks = [];
    this.sink.remarks.push(text);
  }

  out(i: number, v: Value): void {
    this.machine.writeOut(i, v);
  }

  assume(kind: string, message: string): void {
    this.remark(message);
    this.machine.assume(kind, message);
  }
}

/** Whether slot `i` is among the first `n` of `slots` (the sink's lists and a memo entry's, transition-memo.ts). */
export function listed(slots: readonly number[], n: number, i: number): boolean {
  for (let k = 0; k < n; k++) if (slots[k] === i) return true;
  return false;
}
