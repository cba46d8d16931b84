/**
 * Live locals per instruction. Two states that differ only in a local no later
 * instruction reads behave the same from then on, so the state hash leaves such dead
 * locals out (SPIN's dead variable reduction). Lifted code keeps many temporaries
 * (the result of a test, a loop cursor past its loop) that would otherwise split one
 * state into many.
 */
import type { FunctionProgram, Instr } from './program.js';
import { forEachExpr } from './expr-walk.js';
import { successors } from './control-flow.js';

// a local passed by address is read, and may be written: it stays live
function uses(i: Instr): Set<string> {
  const out = new Set<string>();
  forEachExpr(i, (e) => {
    if (e.k === 'local' || e.k === 'ref') out.add(e.name);
  });
  return out;
}


export interface Liveness {
  /** slots live when the instruction at pc is about to run (a frame on top) */
  atTop: number[][];
  /** slots live when the call at pc returns into its frame (a frame below the top) */
  atReturn: number[][];
}

/** Slots of `fn` (as the machine numbers them) live at each instruction. */
export function liveness(fn: FunctionProgram, slots: ReadonlyMap<string, number>): Liveness {
  const code = fn.code;
  const use = code.map(uses);
  const def = code.map((i) => ('dst' in i && i.dst !== undefined ? i.dst : undefined));
  const live: Set<string>[] = code.map(() => new Set());
  let changed = true;
  while (changed) {
    changed = false;
    for (let pc = code.length - 1; pc >= 0; pc--) {
      const next = new Set<string>();
      for (const s of successors(code, pc)) for (const v of live[s] ?? []) next.add(v);
      if (def[pc] !== undefined) next.delete(def[pc]!);
      for (const v of use[pc]) next.add(v);
      if (next.size !== live[pc].size) {
        live[pc] = next;
        changed = true;
      }
    }
  }
  const toSlots = (names: Iterable<string>): number[] => [...names].map((n) => slots.get(n)).filter((s): s is number => s !== undefined).sort((a, b) => a - b);
  const atTop = live.map(toSlots);
  const atReturn = code.map((i, pc) => {
    const after = new Set(live[pc + 1] ?? []);
    if (i.op === 'call' && i.dst !== undefined) after.delete(i.dst);
    return toSlots(after);
  });
  return { atTop, atReturn };
}
