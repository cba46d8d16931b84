/**
 * Persistent sets from one question, "may this step conflict with what that thread can
 * still do": the system (sim/machine.ts) answers it with footprint classes, and these
 * functions choose the threads to explore from a state. Threads are numbered by their
 * place in the state (a handful); sets of them are bits.
 */

/** What choosing a persistent set asks of the system, about one state. `M` describes what a step or a thread touches. */
export interface PersistentQuestion<M> {
  /** how many threads the state has */
  count: number;
  /** the enabled threads, in the order they are preferred */
  enabled: readonly number[];
  /** what each thread may still do, whatever the order */
  futures: readonly M[];
  /** what thread i's next step touches, from its instruction alone (no execution); undefined when that cannot be said */
  stated(i: number): M | undefined;
  /** what enabled thread i's next transition really touches (it is executed to find out) */
  taken(i: number): M;
  /** what a thread that cannot move now touches when it does (the step it waits to take) */
  pending(x: number): M;
  /** for a thread about to wait: what it reads on its way to the wait (it writes nothing); undefined otherwise */
  waiting(i: number): M | undefined;
  /** false when `waiting` answers undefined for every thread (the system lets no thread stay outside waiting) */
  readonly waits: boolean;
  /** whether a step touching `step` may conflict with a thread that may touch `future` */
  conflict(step: M, future: M): boolean;
}

/**
 * A persistent set: the first enabled thread whose next step conflicts with no other
 * thread's future, judged first by the instruction's stated classes, then by what the
 * step really touches; failing that, the smallest stubborn set. Undefined: every
 * enabled thread.
 */
export function persistentSet<M>(q: PersistentQuestion<M>): number[] | undefined {
  // the instruction's stated classes first (no execution), the step's real footprint after
  for (const i of q.enabled) {
    const stated = q.stated(i);
    if (stated !== undefined && !clashes(q, i, stated)) return [i];
  }
  // every thread's conflicts in full: the stubborn set starts from the same ones, so none is asked twice
  if (q.count > 30) {
    for (const i of q.enabled) if (!clashes(q, i, q.taken(i))) return [i];
    return undefined;
  }
  reach.fill(UNASKED, 0, q.count);
  for (const i of q.enabled) {
    const step = q.taken(i);
    const bits = conflictBits(q, i, step);
    if (bits === 0) return [i];
    reach[i] = bits;
    steps[i] = step;
  }
  return grow(q);
}

/** Whether thread i's step touching `step` may conflict with another thread's future. */
function clashes<M>(q: PersistentQuestion<M>, i: number, step: M): boolean {
  for (let u = 0; u < q.count; u++) if (u !== i && q.conflict(step, q.futures[u])) return true;
  return false;
}

/** The threads (bits) other than i whose future a step touching `step` may conflict with. */
function conflictBits<M>(q: PersistentQuestion<M>, i: number, step: M): number {
  const { count, futures } = q;
  let bits = 0;
  for (let u = 0; u < count; u++) if (u !== i && q.conflict(step, futures[u])) bits |= 1 << u;
  return bits;
}

/** Not yet asked, in the tables below (bits of at most 30 threads are never negative). */
const UNASKED = -1;
/**
 * What each thread's next step conflicts with and what may let each waiting thread go on,
 * by thread, and the growing set's work list: one table each for every call (a call asks
 * the system only about steps and classes, never for another stubborn set).
 */
const reach = new Int32Array(32);
const freeing = new Int32Array(32);
const work = new Int32Array(32);
/** the enabled threads' next steps, as `reach` was worked out from them (persistentSet); by thread, overwritten by the next call */
const steps: unknown[] = [];

/**
 * A stubborn set: grow a set of threads until no thread outside it may conflict with
 * the next step of one inside (for a blocked thread, the step it waits to take).
 * Steps outside the set then commute with every step the set can take. Threads are
 * numbered by their place in the state (a handful), sets of them are bits.
 *
 * A thread about to wait (`waiting`: on its own it writes nothing and then blocks, a
 * trylock that finds the lock taken before the slow path's wait) may stay outside
 * while nothing can let it go on: no step of the set writes what it reads on its way
 * to the wait or what the wait reads, and no other thread outside may ever write
 * those (else it joins the set). Outside the set it then only takes steps that write
 * nothing and read nothing the set's next steps write: independent of them, which is
 * what a persistent set asks of every step outside it (Godefroid). Two such threads
 * outside wait for what neither writes before it goes on, so neither goes on.
 */
export function stubbornSet<M>(q: PersistentQuestion<M>): number[] | undefined {
  if (q.count > 30) return undefined;
  reach.fill(UNASKED, 0, q.count);
  return grow(q);
}

/** The stubborn set, with `reach` filled for the enabled threads whose steps are in `steps` (UNASKED elsewhere). */
function grow<M>(q: PersistentQuestion<M>): number[] | undefined {
  const { count, enabled: on, futures } = q;
  let enabledBits = 0;
  for (const i of on) enabledBits |= 1 << i;
  // made only when some thread is about to wait (never unless the machine lets waiters stay out)
  let waiting: (M | undefined)[] | undefined;
  let waitingBits = 0;
  if (q.waits && on.length > 1) {
    for (const i of on) {
      const w = q.waiting(i);
      if (w) {
        (waiting ??= new Array(count))[i] = w;
        waitingBits |= 1 << i;
      }
    }
  }
  // the conflicts worked out against futures: against what a waiting thread reads instead, for those
  if (waitingBits !== 0) {
    for (const x of on) {
      if (reach[x] === UNASKED) continue;
      let bits = reach[x] & ~waitingBits;
      for (let rest = waitingBits; rest !== 0; rest &= rest - 1) {
        const u = 31 - Math.clz32(rest & -rest);
        if (u !== x && q.conflict(steps[x] as M, waiting![u]!)) bits |= 1 << u;
      }
      reach[x] = bits;
    }
  }
  // asked once here, not again for every thread the growing starts from
  freeing.fill(UNASKED, 0, count);
  let best = 0;
  let bestCount = on.length;
  for (const start of on) {
    let inside = 1 << start;
    let top = 0;
    work[top++] = start;
    for (;;) {
      while (top > 0) {
        const x = work[--top];
        let bits = reach[x];
        if (bits === UNASKED) {
          const next = enabledBits & (1 << x) ? q.taken(x) : q.pending(x);
          bits = 0;
          for (let u = 0; u < count; u++) if (u !== x && q.conflict(next, waiting?.[u] ?? futures[u])) bits |= 1 << u;
          reach[x] = bits;
        }
        // in order of thread number, as the stack takes them
        for (let add = bits & ~inside; add !== 0; add &= add - 1) {
          const u = 31 - Math.clz32(add & -add);
          inside |= 1 << u;
          work[top++] = u;
        }
      }
      // a waiting thread left outside must stay waiting: any other thread outside that may write what it waits on brings it in
      for (let rest = waitingBits; rest !== 0; rest &= rest - 1) {
        const t = 31 - Math.clz32(rest & -rest);
        if (inside & (1 << t)) continue;
        let bits = freeing[t];
        if (bits === UNASKED) {
          bits = 0;
          for (let w = 0; w < count; w++) if (w !== t && !(waitingBits & (1 << w)) && q.conflict(waiting![t]!, futures[w])) bits |= 1 << w;
          freeing[t] = bits;
        }
        if (bits & ~inside) {
          inside |= 1 << t;
          work[top++] = t;
        }
      }
      if (top === 0) break;
    }
    let n = 0;
    for (const i of on) if (inside & (1 << i)) n++;
    if (n < bestCount) {
      best = inside;
      bestCount = n;
    }
  }
  if (best === 0) return undefined;
  const chosen: number[] = [];
  for (const i of on) if (best & (1 << i)) chosen.push(i);
  return chosen;
}
