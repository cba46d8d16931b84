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
import type { Frame, Thread } from './machine-types.js';
import type { Value } from './program.js';

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

/**
 * The objects a frame's parameters hold that a future binds (FunctionClasses.withObjects:
 * buffers and pages), as part of the trie's key: "" when none. A parameter the function assigns
 * is never bound, so its value here is the one it had on entry only when bound.
 */
function objectsKey(values: readonly Value[]): string {
  let out = '';
  for (let j = 0; j < values.length; j++) {
    const v = values[j];
    if (typeof v === 'string' && (v.startsWith('bh:') || v.startsWith('page:'))) out += `${j}=${v};`;
  }
  return out;
}

/** The values of a frame's parameters now (none known: nothing is bound, the future of every object). */
function paramValues(f: Frame): Value[] {
  const slots = f.c.program?.paramSlots;
  return slots && f.locals ? slots.map((s) => f.locals[s]) : [];
}

/** The future of a thread, from the trie `root` (an empty object at first) and the functions' classes. */
export function threadFuture(root: object, classes: FunctionClasses, t: Thread): ClassSet {
  let node = root as FutureNode;
  const top = t.frames.length - 1;
  const params = t.frames.map(paramValues);
  for (let i = 0; i <= top; i++) {
    const f = t.frames[i];
    const objects = objectsKey(params[i]);
    node = child(node, objects ? `${f.fn}\u0002${objects}` : f.fn, i === top ? f.pc : f.pc + 1);
  }
  for (const q of t.queue) {
    const objects = objectsKey(q.args);
    node = child(node, objects ? `${q.fn}\u0002${objects}` : q.fn, -1);
  }
  if (node.future) return node.future;
  const set = emptyClasses();
  // each frame as the call that started it binds its parameters (FunctionClasses.callNode), and the objects
  // its parameters hold (withObjects): a path of the trie decides both
  const nodes: string[] = [];
  t.frames.forEach((f, i) => {
    const caller = t.frames[i - 1];
    const id = classes.withObjects(caller ? classes.callNode(caller.c.fn, nodes[i - 1], caller.pc, f.fn) : f.fn, params[i]);
    nodes.push(id);
    addAll(set, classes.from(id, i === top ? f.pc : f.pc + 1));
  });
  for (const q of t.queue) addAll(set, classes.of(classes.withObjects(q.fn, q.args)));
  return (node.future = set);
}
