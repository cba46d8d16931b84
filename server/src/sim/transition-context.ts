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

/** What a transition touched and what its current step said, collected by its StepContext. */
export interface StepSink {
  reads: string[];
  writes: string[];
  /** locations read outside the footprint (a thread's own wait entry): the transition still depends on them (transition-memo.ts) */
  peeks: string[];
  /** the world slots of `reads`, `writes` and `peeks`, in the same order (-1: a location outside the world's table) */
  readSlots: number[];
  writeSlots: number[];
  peekSlots: number[];
  /** the current step's own reads and writes, kept only to check stated classes */
  stepReads?: Set<string>;
  stepWrites?: Set<string>;
  changes: Change[];
  remarks: string[];
}

export function newSink(): StepSink {
  const sink: StepSink = { reads: [], writes: [], peeks: [], readSlots: [], writeSlots: [], peekSlots: [], changes: [], remarks: [] };
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
    if (!sink.readSlots.includes(i)) {
      sink.reads.push(k);
      sink.readSlots.push(i);
    }
    sink.stepReads?.add(k);
    return this.world.get(i);
  }

  peek(k: string): Value {
    const i = this.index.get(k);
    if (i === undefined) throw new PrimitiveError(`no state location ${k}`);
    const sink = this.sink;
    if (!sink.peekSlots.includes(i)) {
      sink.peeks.push(k);
      sink.peekSlots.push(i);
    }
    return this.world.get(i);
  }

  set(k: string, v: Value): void {
    const i = this.index.get(k);
    if (i === undefined) throw new PrimitiveError(`no state location ${k}`);
    const { sink, world } = this;
    if (!sink.writeSlots.includes(i)) {
      sink.writes.push(k);
      sink.writeSlots.push(i);
    }
    sink.stepWrites?.add(k);
    const changes = sink.changes;
    let c = 0;
    while (c < changes.length && changes[c][0] !== k) c++;
    if (c < changes.length) changes[c][2] = v;
    else if (world.get(i) !== v) changes.push([k, world.get(i), v]);
    world.set(i, v);
  }

  spawn(fn: string, args: Value[], label: string): void {
    // the queue's order is shared state: submissions from two CPUs do not commute
    const sink = this.sink;
    if (!sink.writes.includes(key.ioQueue)) {
      sink.writes.push(key.ioQueue);
      sink.writeSlots.push(this.index.get(key.ioQueue) ?? -1);
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

