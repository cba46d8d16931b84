/**
 * The persistent-set question (explore/persistent.ts) about one state, asked of the
 * machine: one object per machine, pointed at the state being asked about, so that
 * choosing a persistent set at every state allocates no closures and no arrays of
 * futures. The machine answers through `QuestionHost` (its caches live on threads and
 * outcomes).
 */
import { persistentSet, type PersistentQuestion } from '../explore/persistent.js';
import { conflicts, type StepMasks } from './footprint-classes.js';
import type { SimState, Thread } from './machine-types.js';

export interface QuestionHost {
  /** the classes the thread's next step states, from its instruction alone */
  stated(t: Thread): StepMasks | undefined;
  /** what thread `i`'s next transition at `s` really touches */
  taken(s: SimState, i: number): StepMasks;
  /** what a blocked thread's step touches when it moves */
  pending(t: Thread): StepMasks;
  /** what thread `i`, about to wait, reads on its way there */
  waiting(s: SimState, i: number): StepMasks | undefined;
  /** whether `waiting` may answer anything but undefined (it is then asked of every enabled thread) */
  waits(): boolean;
  /** what the thread may still do */
  future(t: Thread): StepMasks;
}

export class StateQuestion implements PersistentQuestion<StepMasks> {
  count = 0;
  /** reused: only the first `count` futures and the enabled list as set by `at` count */
  readonly enabled: number[] = [];
  readonly futures: StepMasks[] = [];
  private state: SimState | undefined;
  private threads: readonly Thread[] = [];
  private removal = false;

  constructor(private readonly host: QuestionHost) {}

  /** the machine's options decide it, once */
  private waitsKnown: boolean | undefined;

  get waits(): boolean {
    return (this.waitsKnown ??= this.host.waits());
  }

  /** The persistent set of the state asked about (explore/persistent.ts), after which the question lets go of the state. */
  choose(): number[] | undefined {
    const chosen = persistentSet(this);
    this.done();
    return chosen;
  }

  /** Points the question at state `s`, its enabled threads by id, and whether a page may leave the page cache. */
  at(s: SimState, enabled: readonly string[], removal: boolean): this {
    const threads = this.point(s, removal);
    const places = this.enabled;
    const count = threads.length;
    // the enabled threads come in the state's order (the explorer's): each is looked for after the one before, then from the start
    let from = 0;
    for (let j = 0; j < enabled.length; j++) {
      const tid = enabled[j];
      let i = from;
      while (i < count && threads[i].id !== tid) i++;
      if (i === count) for (i = 0; i < from && threads[i].id !== tid; i++);
      const found = i < count && threads[i].id === tid;
      places[j] = found ? i : -1;
      if (found) from = i + 1;
    }
    // cut only when the length changes: setting an array's length is not free
    if (places.length !== enabled.length) places.length = enabled.length;
    return this;
  }

  /** `at`, with the enabled threads given by their places in the state. */
  atPlaces(s: SimState, places: readonly number[], removal: boolean): this {
    this.point(s, removal);
    const enabled = this.enabled;
    for (let j = 0; j < places.length; j++) enabled[j] = places[j];
    if (enabled.length !== places.length) enabled.length = places.length;
    return this;
  }

  /** Points the question at state `s` and its threads' futures; the enabled list is the caller's to fill. */
  private point(s: SimState, removal: boolean): readonly Thread[] {
    const threads = s.threads;
    this.state = s;
    this.threads = threads;
    this.removal = removal;
    this.count = threads.length;
    for (let i = 0; i < threads.length; i++) this.futures[i] = this.host.future(threads[i]);
    return threads;
  }

  /** Lets go of the state asked about. */
  done(): void {
    this.state = undefined;
    this.threads = [];
  }

  stated(i: number): StepMasks | undefined {
    return this.host.stated(this.threads[i]);
  }

  taken(i: number): StepMasks {
    return this.host.taken(this.state!, i);
  }

  pending(x: number): StepMasks {
    return this.host.pending(this.threads[x]);
  }

  waiting(i: number): StepMasks | undefined {
    return this.host.waiting(this.state!, i);
  }

  conflict(step: StepMasks, future: StepMasks): boolean {
    return conflicts(step, future, this.removal);
  }
}
