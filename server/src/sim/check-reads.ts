/**
 * Reads whose result only checks use, taken together with the thread's next step
 * (Machine.execute): which pending steps are such reads, and why fusing them is sound.
 */
import type { Instr } from './program.js';
import { checkOnly, type CheckOnly } from './check-only.js';
import { dstSlot } from './slots.js';
import type { CompiledFunction, CompiledInstr, Thread } from './machine-types.js';

/**
 * Whether the thread's pending step only reads, cannot block, and its result matters
 * to nothing but checks (check-only.ts): in the local computation after it the value
 * reaches BUG_ON/WARN_ON conditions, locals that die, or a return value whose
 * destination in the caller is such a value too. `execute` then takes it together
 * with the thread's next step, when that can run.
 *
 * Why that is sound. Let R be such a step of thread t and W the step after it.
 * (1) R changes no shared location, and after R's local computation t is at the same
 * place with the same live locals whatever value R read (the state key leaves dead
 * locals out, and they are never read again), unless a check fired. So the state
 * after R is the state before it with t moved on, and R reads what the state it
 * starts from holds. (2) Any run of the step-per-step system that takes R at state C,
 * then steps u1..uk of other threads, then W, is matched by a run that takes
 * u1..uk first (they were enabled with t before R: R wrote nothing they read, and a
 * thread's enabledness depends on the world, not on t's place) and then R;W, which
 * ends in the same state (W sees the same world and the same live locals). (3) The
 * checks R feeds can fire in the step-per-step system only at some state C where t
 * is about to take R; the fused system visits the same states with t before R, and
 * takes R (with W if it can run, alone otherwise) from each, reading the value C
 * holds. So the reachable states (t before R for t between R and W), the deadlocks
 * (R;W runs iff W can), the final states and every check's firing are the same; the
 * explorer's dependence sees R's read in the fused transition's footprint, so a write
 * to what R read is never treated as commuting with it. A step that can block (a
 * wait) is left out: postponing it to the state where W runs would lose the runs
 * where what it waited for changes back in between. Only steps at the start of a
 * transition join forward (Lipton's acquires and the backward fusion of invisible
 * steps already moved steps before them), and only while nothing so far wrote.
 */
export function readsForChecks(thread: Thread): boolean {
  const frame = thread.frames[thread.frames.length - 1];
  const op = frame?.c.ops[frame.pc];
  if (!op) return false;
  if (op.checkRead === undefined) op.checkRead = checkReadAt(thread, frame.c.fn.code[frame.pc], op);
  const kind = op.checkRead;
  if (!kind) return false;
  if (kind === 'dead') return true;
  // the value is returned: it matters as much as the caller's destination does
  for (let i = thread.frames.length - 1; i > 0; i--) {
    const into = thread.frames[i].ret;
    if (into < 0) return true;
    const caller = thread.frames[i - 1];
    const info = checkOnlyOf(caller.c);
    if (info.real[caller.pc + 1]?.has(into) ?? true) return false;
    if (!info.returned[caller.pc + 1]?.has(into)) return true;
  }
  // the bottom frame's return value goes nowhere
  return true;
}

function checkOnlyOf(c: CompiledFunction): CheckOnly {
  return (c.program.checkOnly ??= checkOnly(c.fn, c.slots));
}

/** The static part of readsForChecks, per function and pc. */
function checkReadAt(thread: Thread, instr: Instr | undefined, op: CompiledInstr): 'dead' | 'returned' | null {
  if (instr?.op === 'call') {
    if (typeof instr.callee !== 'string') return null;
    const r = op.target!;
    if (r.kind !== 'prim') return null;
    const p = r.prim;
    // a reader: no stated writes, no spawned I/O, no wait, no out-parameters, no lock
    if (p.pure || p.blocks || p.mover || p.spawns || p.byRef?.length || !p.reads || (p.writes?.length ?? 0) > 0) return null;
    if (instr.args.some((a) => a.k === 'ref')) return null;
  } else if (instr?.op !== 'load') {
    return null;
  }
  if (instr.dst === undefined) return 'dead';
  const frame = thread.frames[thread.frames.length - 1];
  const info = checkOnlyOf(frame.c);
  const slot = dstSlot(instr);
  const after = frame.pc + 1;
  if (info.real[after]?.has(slot) ?? true) return null;
  return info.returned[after]?.has(slot) ? 'returned' : 'dead';
}
