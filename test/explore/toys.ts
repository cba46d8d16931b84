/**
 * Toy transition systems for the explorer tests: a tiny machine of threads running
 * straight-line programs over shared integer cells, plus a seeded generator of random
 * programs and an independent brute-force reachability oracle to check the explorer
 * against.
 */
import type { Footprint, StepResult, TransitionSystem, Violation } from 'racelens-server/out/explore/index.js';

export type Instr =
  /** reg := loc */
  | { op: 'read'; loc: string; reg: string }
  /** loc := reg + add (reg absent: add alone) */
  | { op: 'write'; loc: string; reg?: string; add?: number }
  /** loc := loc + 1, atomically */
  | { op: 'inc'; loc: string }
  /** Blocks while loc is non-zero, then sets it to 1. */
  | { op: 'lock'; loc: string }
  | { op: 'unlock'; loc: string }
  /** Blocks until loc == value. */
  | { op: 'await'; loc: string; value: number }
  /** Fires invariant 'assert' when loc == bad. */
  | { op: 'assert'; loc: string; bad: number }
  /**
   * Starts thread `${self}.${name}` running program `program`; blocks while a thread
   * of that id is still live (a loop may spawn it again once it has finished).
   */
  | { op: 'spawn'; name: string; program: string }
  /** Blocks until thread `${self}.${name}` has finished. */
  | { op: 'join'; name: string }
  /** Goes back to instruction `to` when loc == value (makes the state graph cyclic). */
  | { op: 'jumpIf'; loc: string; value: number; to: number };

interface Thread { prog: string; pc: number; regs: Readonly<Record<string, number>> }

export interface PState {
  mem: Readonly<Record<string, number>>;
  threads: Readonly<Record<string, Thread>>;
  /** Threads that ran to completion; join waits on this. */
  done: readonly string[];
}

export interface ProgramSpec {
  programs: Record<string, Instr[]>;
  /** Initial threads: thread id -> program name. */
  start: Record<string, string>;
  mem?: Record<string, number>;
  /** Values wrap around this (keeps looping systems finite). Default: no wrap. */
  modulo?: number;
  /** Final check over memory; see also `finals`. */
  check?: (mem: Readonly<Record<string, number>>) => Violation | undefined;
}

const sortedKeys = (o: object): string[] => Object.keys(o).sort();

/**
 * A TransitionSystem over ProgramSpec. `finals` collects the key of every final
 * state `finish` is asked about; `finishCalls` counts the calls.
 */
export class ProgramSystem implements TransitionSystem<PState, string> {
  readonly finals = new Set<string>();
  finishCalls = 0;

  constructor(readonly spec: ProgramSpec) {}

  private wrap(v: number): number {
    const m = this.spec.modulo;
    return m === undefined ? v : ((v % m) + m) % m;
  }

  private instr(s: PState, tid: string): Instr {
    const t = s.threads[tid]!;
    return this.spec.programs[t.prog]![t.pc]!;
  }

  initial(): PState {
    const threads: Record<string, Thread> = {};
    for (const [tid, prog] of Object.entries(this.spec.start)) threads[tid] = { prog, pc: 0, regs: {} };
    const s = { mem: { ...(this.spec.mem ?? {}) }, threads, done: [] };
    // Threads with empty programs are finished from the start.
    return this.retire(s, Object.keys(threads));
  }

  key(s: PState): string {
    const mem = sortedKeys(s.mem).filter((k) => s.mem[k] !== 0).map((k) => `${k}=${s.mem[k]}`);
    const threads = sortedKeys(s.threads).map((tid) => {
      const t = s.threads[tid]!;
      const regs = sortedKeys(t.regs).map((r) => `${r}=${t.regs[r]}`);
      return `${tid}:${t.prog}@${t.pc}[${regs.join(',')}]`;
    });
    return `${mem.join(',')}|${threads.join(' ')}|${[...s.done].sort().join(',')}`;
  }

  threads(s: PState): readonly string[] {
    return sortedKeys(s.threads);
  }

  enabled(s: PState, tid: string): boolean {
    const i = this.instr(s, tid);
    const mem = (loc: string): number => s.mem[loc] ?? 0;
    switch (i.op) {
      case 'lock': return mem(i.loc) === 0;
      case 'await': return mem(i.loc) === i.value;
      case 'join': return s.done.includes(`${tid}.${i.name}`);
      case 'spawn': return s.threads[`${tid}.${i.name}`] === undefined;
      default: return true;
    }
  }

  footprint(s: PState, tid: string): Footprint {
    const i = this.instr(s, tid);
    const t = s.threads[tid]!;
    // A thread's last step publishes its completion, which join reads.
    const last = t.pc === this.spec.programs[t.prog]!.length - 1 ? [`done:${tid}`] : [];
    switch (i.op) {
      case 'read': case 'assert': case 'await': case 'jumpIf':
        return { reads: [i.loc], writes: last };
      case 'write':
        return { reads: [], writes: [i.loc, ...last] };
      case 'inc': case 'lock': case 'unlock':
        return { reads: [i.loc], writes: [i.loc, ...last] };
      case 'spawn':
        // Respawning un-finishes the child, which can disable a join.
        return { reads: [], writes: [`done:${tid}.${i.name}`, ...last] };
      case 'join':
        return { reads: [`done:${tid}.${i.name}`], writes: last };
    }
  }

  step(s: PState, tid: string): StepResult<PState, string> {
    const i = this.instr(s, tid);
    const t = s.threads[tid]!;
    const val = (loc: string): number => s.mem[loc] ?? 0;
    let mem = s.mem;
    let regs = t.regs;
    let pc = t.pc + 1;
    const spawned: Record<string, Thread> = {};
    let event: string;
    let violation: Violation | undefined;
    switch (i.op) {
      case 'read':
        regs = { ...regs, [i.reg]: val(i.loc) };
        event = `${i.reg} = ${i.loc} (${val(i.loc)})`;
        break;
      case 'write': {
        const v = this.wrap((i.reg === undefined ? 0 : regs[i.reg] ?? 0) + (i.add ?? 0));
        mem = { ...mem, [i.loc]: v };
        event = `${i.loc} = ${v}`;
        break;
      }
      case 'inc':
        mem = { ...mem, [i.loc]: this.wrap(val(i.loc) + 1) };
        event = `${i.loc}++`;
        break;
      case 'lock':
        mem = { ...mem, [i.loc]: 1 };
        event = `lock ${i.loc}`;
        break;
      case 'unlock':
        mem = { ...mem, [i.loc]: 0 };
        event = `unlock ${i.loc}`;
        break;
      case 'await':
        event = `await ${i.loc} == ${i.value}`;
        break;
      case 'assert':
        event = `assert ${i.loc} != ${i.bad}`;
        if (val(i.loc) === i.bad) violation = { invariant: 'assert', message: `${tid}: ${i.loc} == ${i.bad}` };
        break;
      case 'spawn':
        spawned[`${tid}.${i.name}`] = { prog: i.program, pc: 0, regs: {} };
        event = `spawn ${tid}.${i.name}`;
        break;
      case 'join':
        event = `join ${tid}.${i.name}`;
        break;
      case 'jumpIf':
        if (val(i.loc) === i.value) pc = i.to;
        event = `if ${i.loc} == ${i.value} goto ${i.to}`;
        break;
    }
    const threads = { ...s.threads, ...spawned, [tid]: { prog: t.prog, pc, regs } };
    const done = s.done.filter((d) => spawned[d] === undefined);
    const next = this.retire({ mem, threads, done }, [tid, ...Object.keys(spawned)]);
    return violation ? { state: next, event: `${tid}: ${event}`, violation } : { state: next, event: `${tid}: ${event}` };
  }

  /** Removes the given threads if they ran off the end of their program. */
  private retire(s: PState, tids: readonly string[]): PState {
    const ended = tids.filter((tid) => s.threads[tid]!.pc >= this.spec.programs[s.threads[tid]!.prog]!.length);
    if (ended.length === 0) return s;
    const threads = { ...s.threads };
    for (const tid of ended) delete threads[tid];
    // A set: a thread id can be respawned (in a loop) and finish again.
    return { mem: s.mem, threads, done: [...new Set([...s.done, ...ended])] };
  }

  finish(s: PState): Violation | undefined {
    this.finishCalls++;
    this.finals.add(this.key(s));
    return this.spec.check?.(s.mem);
  }
}

/** (a) n threads P0..P(n-1), each incrementing its own counter k times. */
export function independentCounters(n: number, k: number): ProgramSystem {
  const programs: Record<string, Instr[]> = {};
  const start: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    programs[`p${i}`] = Array.from({ length: k }, () => ({ op: 'inc', loc: `c${i}` }) as Instr);
    start[`P${i}`] = `p${i}`;
  }
  return new ProgramSystem({ programs, start });
}

/** (b) Two threads doing a non-atomic c = c + 1; the final check wants c == 2. */
export function racyIncrement(): ProgramSystem {
  const inc: Instr[] = [{ op: 'read', loc: 'c', reg: 'r' }, { op: 'write', loc: 'c', reg: 'r', add: 1 }];
  return new ProgramSystem({
    programs: { inc },
    start: { P0: 'inc', P1: 'inc' },
    check: (mem) => (mem['c'] === 2 ? undefined : { invariant: 'lost-update', message: `c == ${mem['c']}, expected 2` }),
  });
}

/** (c) n threads doing c = c + 1 under a blocking lock; the final check wants c == n. */
export function lockedIncrement(n: number): ProgramSystem {
  const inc: Instr[] = [
    { op: 'lock', loc: 'm' },
    { op: 'read', loc: 'c', reg: 'r' },
    { op: 'write', loc: 'c', reg: 'r', add: 1 },
    { op: 'unlock', loc: 'm' },
  ];
  const start: Record<string, string> = {};
  for (let i = 0; i < n; i++) start[`P${i}`] = 'inc';
  return new ProgramSystem({
    programs: { inc },
    start,
    check: (mem) => (mem['c'] === n ? undefined : { invariant: 'lost-update', message: `c == ${mem['c']}` }),
  });
}

/** (d) P0 takes a then b, P1 takes b then a. */
export function lockInversion(): ProgramSystem {
  return new ProgramSystem({
    programs: {
      ab: [{ op: 'lock', loc: 'a' }, { op: 'lock', loc: 'b' }, { op: 'unlock', loc: 'b' }, { op: 'unlock', loc: 'a' }],
      ba: [{ op: 'lock', loc: 'b' }, { op: 'lock', loc: 'a' }, { op: 'unlock', loc: 'a' }, { op: 'unlock', loc: 'b' }],
    },
    start: { P0: 'ab', P1: 'ba' },
  });
}

/**
 * (e) P0 spawns P0.w, which sets x = 2, while P0 sets x = 1, joins the child and
 * asserts x != 1; P1 independently bumps y.
 */
export function spawnAndJoin(): ProgramSystem {
  return new ProgramSystem({
    programs: {
      parent: [
        { op: 'spawn', name: 'w', program: 'child' },
        { op: 'write', loc: 'x', add: 1 },
        { op: 'join', name: 'w' },
        { op: 'read', loc: 'x', reg: 'r' },
      ],
      child: [{ op: 'write', loc: 'x', add: 2 }],
      bump: [{ op: 'inc', loc: 'y' }],
    },
    start: { P0: 'parent', P1: 'bump' },
  });
}

/** Deterministic PRNG (mulberry32) so a failing random system can be rebuilt from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * (h) A small random system: 2-3 threads of 1-4 instructions over 2-3 cells holding
 * values mod 3, with blocking locks and awaits, assertions, backward jumps (cycles)
 * and the odd spawned thread. The final check fails when all cells are equal and
 * non-zero, so final violations occur in some systems and not others.
 */
export function randomSystem(seed: number): ProgramSystem {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const locs = ['x', 'y', 'z'].slice(0, 2 + Math.floor(r() * 2));
  const locks = ['m', 'n'];
  const programs: Record<string, Instr[]> = {};

  const program = (len: number, mayNest: boolean): Instr[] => {
    const out: Instr[] = [];
    while (out.length < len) {
      const roll = r();
      if (roll < 0.2) out.push({ op: 'read', loc: pick(locs), reg: pick(['r', 's']) });
      else if (roll < 0.4) out.push({ op: 'write', loc: pick(locs), reg: pick(['r', 's']), add: Math.floor(r() * 3) });
      else if (roll < 0.5) out.push({ op: 'inc', loc: pick(locs) });
      else if (roll < 0.6) out.push({ op: 'lock', loc: pick(locks) }, { op: 'inc', loc: pick(locs) }, { op: 'unlock', loc: pick(locks) });
      else if (roll < 0.68) out.push({ op: 'await', loc: pick(locs), value: Math.floor(r() * 3) });
      else if (roll < 0.76) out.push({ op: 'assert', loc: pick(locs), bad: 1 + Math.floor(r() * 2) });
      else if (roll < 0.84 && out.length > 0) out.push({ op: 'jumpIf', loc: pick(locs), value: Math.floor(r() * 3), to: Math.floor(r() * out.length) });
      else if (roll < 0.9 && mayNest) {
        const name = `k${out.length}`;
        programs[`${name}_${seed}`] = program(1 + Math.floor(r() * 2), false);
        out.push({ op: 'spawn', name, program: `${name}_${seed}` });
        if (r() < 0.5) out.push({ op: 'join', name });
      } else out.push({ op: 'inc', loc: pick(locs) });
    }
    return out;
  };

  const start: Record<string, string> = {};
  const n = 2 + Math.floor(r() * 2);
  for (let i = 0; i < n; i++) {
    programs[`t${i}`] = program(1 + Math.floor(r() * 4), true);
    start[`P${i}`] = `t${i}`;
  }
  return new ProgramSystem({
    programs,
    start,
    modulo: 3,
    check: (mem) => {
      const vs = locs.map((l) => mem[l] ?? 0);
      return vs.every((v) => v !== 0 && v === vs[0]) ? { invariant: 'final', message: `all cells == ${vs[0]}` } : undefined;
    },
  });
}

export interface GroundTruth {
  states: number;
  finals: Set<string>;
  invariants: Set<string>;
}

/**
 * Brute-force reachability, written independently of the explorer (no POR, no
 * shared code) so it can serve as the oracle. Uses a fresh system so `finals` of the
 * systems under test are not polluted.
 */
export function groundTruth(sys: ProgramSystem): GroundTruth {
  const fresh = new ProgramSystem(sys.spec);
  const seen = new Map<string, PState>();
  const invariants = new Set<string>();
  const start = fresh.initial();
  seen.set(fresh.key(start), start);
  const work = [start];
  // the one successor of each state where exactly one thread can run (a livelock is a cycle of these)
  const only = new Map<string, string>();
  while (work.length > 0) {
    const s = work.pop()!;
    const live = fresh.threads(s);
    if (live.length === 0) {
      const v = fresh.finish(s);
      if (v) invariants.add(v.invariant);
      continue;
    }
    const runnable = live.filter((t) => fresh.enabled(s, t));
    if (runnable.length === 0) invariants.add('deadlock');
    for (const t of runnable) {
      const r = fresh.step(s, t);
      if (r.violation) {
        invariants.add(r.violation.invariant);
        continue;
      }
      const k = fresh.key(r.state);
      if (runnable.length === 1) only.set(fresh.key(s), k);
      if (!seen.has(k)) {
        seen.set(k, r.state);
        work.push(r.state);
      }
    }
  }
  if (hasCycle(only)) invariants.add('deadlock');
  return { states: seen.size, finals: fresh.finals, invariants };
}

/** Whether following `next` from some state comes back to a state already on the way. */
function hasCycle(next: ReadonlyMap<string, string>): boolean {
  const done = new Set<string>();
  for (const start of next.keys()) {
    const onWay = new Set<string>();
    for (let k: string | undefined = start; k !== undefined && !done.has(k); k = next.get(k)) {
      if (onWay.has(k)) return true;
      onWay.add(k);
    }
    for (const k of onWay) done.add(k);
  }
  return false;
}
