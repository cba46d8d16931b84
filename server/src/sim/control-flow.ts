/**
 * The control flow of a program, for every analysis over it (liveness, check-only
 * slots, footprint classes): one definition of where an instruction goes next.
 */
import type { Instr } from './program.js';

/**
 * The instructions control may reach next from `pc`. `taken`, when given, may say that
 * the branch at `pc` always goes one way (true: to `t`; false: to `f`).
 */
export function successors(code: readonly Instr[], pc: number, taken?: (pc: number) => boolean | undefined): number[] {
  const i = code[pc];
  if (i.op === 'jmp') return [i.to];
  if (i.op === 'br') {
    const way = taken?.(pc);
    return way === undefined ? [i.t, i.f] : [way ? i.t : i.f];
  }
  if (i.op === 'ret') return [];
  return [pc + 1];
}

/** The instructions some jump or branch goes to. */
export function branchTargets(code: readonly Instr[]): Set<number> {
  const out = new Set<number>();
  for (const i of code) {
    if (i.op === 'jmp') out.add(i.to);
    if (i.op === 'br') { out.add(i.t); out.add(i.f); }
  }
  return out;
}
