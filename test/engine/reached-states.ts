/**
 * The states a machine reaches from its initial one by stepping every enabled thread, for
 * tests that check something at each of them: breadth-first (the first states of a race)
 * or depth-first (deep in a run, where I/O is submitted), up to `limit` states, violating
 * steps left out.
 */
import type { Machine, SimState } from 'racelens-server/out/sim/machine.js';

export function reachedStates(m: Machine, limit: number, order: 'breadth' | 'depth'): SimState[] {
  const first = m.initial();
  const seen = new Set([m.key(first)]);
  const out: SimState[] = [first];
  const todo: SimState[] = [first];
  while (todo.length > 0 && out.length < limit) {
    const s = order === 'breadth' ? todo.shift()! : todo.pop()!;
    for (const tid of m.threads(s)) {
      if (!m.enabled(s, tid)) continue;
      const r = m.step(s, tid);
      if (r.violation || seen.has(m.key(r.state))) continue;
      seen.add(m.key(r.state));
      out.push(r.state);
      todo.push(r.state);
    }
  }
  return out;
}
