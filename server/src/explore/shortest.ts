/**
 * Breadth-first search for a shortest path to the same invariant the depth-first
 * search tripped over. Depth-first counterexamples tend to be long and wander through
 * irrelevant steps; a reader wants the minimal story.
 *
 * No partial-order reduction here: sleep sets preserve reachability but not path
 * length, and the graph is bounded by a states budget anyway.
 */
import { classify, type StateKind } from './classify.js';
import { CHECK_EVERY, Deadline } from './deadline.js';
import type { TransitionSystem, Violation } from './system.js';
import {
  DEFAULT_SHORTEST_MAX_STATES,
  DEFAULT_SHORTEST_TIME_LIMIT_MS,
  type ExploreOptions,
  type TraceStep,
} from './types.js';

/** A node of the BFS tree: how it was reached. States are kept only while queued. */
interface Node<E> { parent: number; tid: string; event: E }

export interface Found<E> { violation: Violation; trace: TraceStep<E>[] }

function traceTo<E>(nodes: readonly Node<E>[], last: number): TraceStep<E>[] {
  const rev: Node<E>[] = [];
  for (let i = last; i >= 0; i = nodes[i]!.parent) rev.push(nodes[i]!);
  return rev.reverse().map((n, index) => ({ index, tid: n.tid, event: n.event }));
}

export function shortestCounterexample<S, E>(
  sys: TransitionSystem<S, E>,
  invariant: string,
  options: Pick<ExploreOptions, 'shortestMaxStates' | 'shortestTimeLimitMs' | 'shouldCancel'> = {},
): Found<E> | undefined {
  const maxStates = options.shortestMaxStates ?? DEFAULT_SHORTEST_MAX_STATES;
  const deadline = new Deadline(options.shortestTimeLimitMs ?? DEFAULT_SHORTEST_TIME_LIMIT_MS, options.shouldCancel);
  const nodes: Node<E>[] = [];

  // Path ends are judged when a state is generated, not when it is dequeued, so that
  // the first hit is at the smallest depth even when it is a final-state violation.
  const wanted = (kind: StateKind): Violation | undefined =>
    kind.kind !== 'running' && kind.violation?.invariant === invariant ? kind.violation : undefined;

  const init = sys.initial();
  const atRoot = classify(sys, init);
  if (atRoot.kind !== 'running') {
    const v = wanted(atRoot);
    return v ? { violation: v, trace: [] } : undefined;
  }

  type Queued = { state: S; node: number; enabled: readonly string[] };
  const visited = new Set<string>([sys.key(init)]);
  let queue: (Queued | undefined)[] = [{ state: init, node: -1, enabled: atRoot.enabled }];
  let head = 0;
  let work = 0;
  while (head < queue.length) {
    const { state, node, enabled } = queue[head]!;
    queue[head++] = undefined;
    if (head > 4096 && head * 2 > queue.length) {
      // Drop the consumed prefix so memory follows the frontier, not the history.
      queue = queue.slice(head);
      head = 0;
    }
    for (const tid of enabled) {
      if (++work % CHECK_EVERY === 0 && deadline.check()) return undefined;
      const r = sys.step(state, tid);
      if (r.violation) {
        if (r.violation.invariant !== invariant) continue;
        nodes.push({ parent: node, tid, event: r.event });
        return { violation: r.violation, trace: traceTo(nodes, nodes.length - 1) };
      }
      const key = sys.key(r.state);
      if (visited.has(key)) continue;
      if (visited.size >= maxStates) return undefined;
      visited.add(key);
      nodes.push({ parent: node, tid, event: r.event });
      const id = nodes.length - 1;
      const kind = classify(sys, r.state);
      if (kind.kind === 'running') {
        // what the system caches for a state (the way back to its parent among it) would keep every state generated alive
        sys.release?.(r.state);
        queue.push({ state: r.state, node: id, enabled: kind.enabled });
        continue;
      }
      const v = wanted(kind);
      if (v) return { violation: v, trace: traceTo(nodes, id) };
    }
    // expanded: what the system cached for it (its steps) goes, so that only the frontier stays
    sys.release?.(state);
  }
  return undefined;
}
