/**
 * Which threads can never come back to where they are: a thread whose frames' functions,
 * and every function their calls may reach, have no jump backwards and call no function
 * that is already under way (no recursion). Such a thread's frames move on with every
 * step it takes: the deepest frame unchanged since a state was left has taken or called
 * something since, and its pc only goes forward, so the thread's frames (which are in
 * the state's key) are never again the same. The search asks, so as not to walk such a
 * thread alone to look for a livelock (explore.ts followAlone): that walk finds no cycle.
 */
import { successors } from './control-flow.js';
import type { Expr, FunctionProgram } from './program.js';
import { IO_THREAD, type Thread } from './machine-types.js';

/** What the analysis asks about calls: the program ProgramFacts resolves a name to, and the targets of a call through a pointer. */
export interface CallGraph {
  program(name: string): FunctionProgram | undefined;
  calleeTargets(fn: FunctionProgram, callee: Expr): readonly string[];
}

/** The analysis of each set of programs, shared by the machines that share their facts (program-facts.ts sharedFacts). */
const shared = new WeakMap<CallGraph, LoopFreedom>();

/** The analysis over `calls`, made once for all machines over the same programs. */
export function loopFreedom(calls: CallGraph): LoopFreedom {
  let f = shared.get(calls);
  if (!f) shared.set(calls, (f = new LoopFreedom(calls)));
  return f;
}

export class LoopFreedom {
  /** per function: whether running it (and what it calls) may loop (true while it is being worked out: a call back into it is recursion) */
  private readonly loops = new Map<FunctionProgram, boolean>();
  /** per function and pc: whether the code from that pc on may loop (undefined: not asked yet) */
  private readonly from = new Map<FunctionProgram, (boolean | undefined)[]>();

  constructor(private readonly calls: CallGraph) {}

  /** Whether thread `t` may be back where it is now after steps of its own. */
  mayReturn(t: Thread): boolean {
    // the completion thread takes the next request of its queue, which its own requests may refill
    if (t.id === IO_THREAD || t.queue.length > 0) return true;
    const frames = t.frames;
    const top = frames.length - 1;
    for (let d = 0; d <= top; d++) {
      const f = frames[d];
      // a caller is at its call until the callee returns, then goes on after it (the callee is the frame above)
      if (this.mayLoopFrom(f.c.fn, d === top ? f.pc : f.pc + 1)) return true;
    }
    return false;
  }

  /** Whether the code of `fn` from `pc` on may take a jump backwards or call something that may loop. */
  private mayLoopFrom(fn: FunctionProgram, pc: number): boolean {
    let known = this.from.get(fn);
    if (!known) this.from.set(fn, (known = []));
    return (known[pc] ??= this.reachesLoop(fn, pc));
  }

  /** Whether running `fn` (and what it calls) may take a jump backwards or recurse. */
  private mayLoop(fn: FunctionProgram): boolean {
    const known = this.loops.get(fn);
    if (known !== undefined) return known;
    // under way: met again through its own calls, recursion
    this.loops.set(fn, true);
    const answer = this.reachesLoop(fn, 0);
    this.loops.set(fn, answer);
    return answer;
  }

  /** The code of `fn` reachable from `start`: whether some of it jumps backwards or calls what may loop. */
  private reachesLoop(fn: FunctionProgram, start: number): boolean {
    const code = fn.code;
    const seen = new Set<number>();
    const work = [start];
    while (work.length > 0) {
      const pc = work.pop()!;
      if (pc >= code.length || seen.has(pc)) continue;
      seen.add(pc);
      const next = successors(code, pc);
      for (const to of next) {
        if (to <= pc) return true;
        work.push(to);
      }
      const i = code[pc];
      if (i.op !== 'call') continue;
      const names = typeof i.callee === 'string' ? [i.callee] : this.calls.calleeTargets(fn, i.callee);
      for (const name of names) {
        // a primitive, a no-op or an unknown call runs no code of its own
        const callee = this.calls.program(name);
        if (callee && this.mayLoop(callee)) return true;
      }
    }
    return false;
  }
}
