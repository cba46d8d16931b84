/**
 * A thread's future: the classes its remaining code may still touch (footprint-classes.ts),
 * the union of what each frame can reach from its resume point and of every function
 * queued after them. It depends only on where the thread is, so futures are kept in a
 * trie keyed by each frame's function and resume point, then by the queued functions,
 * shared by every thread at the same place and by every machine over the same programs
 * (program-facts.ts sharedFacts).
 */
import { addAll, emptyClasses, type ClassSet } from './footprint-classes.js';
import type { FunctionClasses } from './function-classes.js';
import type { Thread } from './machine-types.js';

interface FutureNode {
  future?: ClassSet;
  kids?: Map<string, Map<number, FutureNode>>;
}

function child(node: FutureNode, fn: string, pc: number): FutureNode {
  const kids = (node.kids ??= new Map());
  let byPc = kids.get(fn);
  if (!byPc) kids.set(fn, (byPc = new Map()));
  let next = byPc.get(pc);
  if (!next) byPc.set(pc, (next = {}));
  return next;
}

/** The future of a thread, from the trie `root` (an empty object at first) and the functions' classes. */
export function threadFuture(root: object, classes: FunctionClasses, t: Thread): ClassSet {
  let node = root as FutureNode;
  const top = t.frames.length - 1;
  for (let i = 0; i <= top; i++) {
    const f = t.frames[i];
    node = child(node, f.fn, i === top ? f.pc : f.pc + 1);
  }
  for (const q of t.queue) node = child(node, q.fn, -1);
  if (node.future) return node.future;
  const set = emptyClasses();
  // each frame as the call that started it binds its parameters (FunctionClasses.callNode): a path of the trie decides them
  const nodes: string[] = [];
  t.frames.forEach((f, i) => {
    const caller = t.frames[i - 1];
    const id = caller ? classes.callNode(caller.c.fn, nodes[i - 1], caller.pc, f.fn) : f.fn;
    nodes.push(id);
    addAll(set, classes.from(id, i === top ? f.pc : f.pc + 1));
  });
  for (const q of t.queue) addAll(set, classes.of(q.fn));
  return (node.future = set);
}
