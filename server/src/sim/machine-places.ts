/**
 * The machine answering the explorer by thread place (explore/system.ts, the optional
 * six): the search then makes no list of thread ids and looks up no thread by id at
 * every state. The answers are the machine's own, asked through the same caches
 * (`outcomeAt`, the persistent-set question, protected in Machine for this), so a search by place and one by id take
 * the same steps and count the same.
 */
import { Machine, type Outcome, type SimState, type StepEvent } from './machine.js';
import { keyAfter, stateAfter } from './transition-memo.js';
import { loopFreedom, type LoopFreedom } from './loop-free.js';

export class PlacedMachine extends Machine {
  threadCount(s: SimState): number {
    return s.threads.length;
  }

  threadId(s: SimState, i: number): string {
    return s.threads[i].id;
  }

  enabledAt(s: SimState, i: number): boolean {
    return this.enabledIndex(s, i);
  }

  footprintAt(s: SimState, i: number): { reads: string[]; writes: string[] } {
    return this.outcomeOf(s, i);
  }

  stepAt(s: SimState, i: number): { state: SimState; event: StepEvent; violation?: { invariant: string; message: string } } {
    const out = this.outcomeOf(s, i);
    stateAfter(out);
    // the outcome is the step's result (state, event, violation), as Machine.step gives it: no object made per step
    return out as Outcome & { state: SimState };
  }

  /** The key of the state stepAt(s, i) leads to; a remembered step's is told without making that state (transition-memo.ts keyAfter). */
  successorKey(s: SimState, i: number): string | undefined {
    const out = this.outcomeOf(s, i);
    if (out.violation) return undefined;
    return out.state ? this.key(out.state) : keyAfter(out) ?? this.key(stateAfter(out));
  }

  /** Whether the thread at place i may come back to where it is (loop-free.ts). */
  mayReturnAt(s: SimState, i: number): boolean {
    return (this.loopFreedom ??= loopFreedom(this.facts)).mayReturn(s.threads[i]);
  }

  private loopFreedom: LoopFreedom | undefined;

  persistentAt(s: SimState, places: readonly number[]): number[] | undefined {
    return this.question.atPlaces(s, places, this.removal(s.threads, s.world)).choose();
  }

  /** The machine's outcome of the thread at place i (Machine.outcomeAt: computed once per state and thread). */
  private outcomeOf(s: SimState, i: number): Outcome {
    return this.outcomeAt(s, i);
  }
}
