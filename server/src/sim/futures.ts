/**
 * A thread's future: the classes its remaining code may still touch (footprint-classes.ts),
 * the union of what each frame can reach from its resume point and of every function
 * queued after them. It depends only on where the thread is, so futures are kept in a
 * trie keyed by each frame's function, resume point and the objects its parameters
 * hold, then by the queued functions and their objects,
 * shared by every thread at the same place and by every machine over the same programs
 * (program-facts.ts sharedFacts), which share their compiled functions too: a frame's
 * function is its compiled form (an object, found by identity), its resume point an
 * index, a parameter a place in a list.
 */
import { addAll, emptyClasses, type ClassSet } from './footprint-classes.js';
import type { FunctionClasses } from './function-classes.js';
import type { Frame, Thread } from './machine-types.js';
import type { Value } from './program.js';

/** A node of the trie (the root is an empty object the machine holds: its fields come when first needed). */
interface FutureNode {
  future?: ClassSet;
  /** by the next frame's compiled function, then its resume point */
  frames?: Map<object, FutureNode[]>;
  /** by the next queued function's name */
  queued?: Map<string, FutureNode>;
  /** under a frame's node: by the place of a parameter holding an object, then the object */
  objects?: (Map<string, FutureNode> | undefined)[];
}

/** Every node made with every field: nodes of one shape keep the walk's property loads monomorphic. */
function newNode(): FutureNode {
  return { future: undefined, frames: undefined, queued: undefined, objects: undefined };
}

/** The node under `node` for the object `v` held by parameter `j` of the frame `node` stands for. */
function objectChild(node: FutureNode, j: number, v: string): FutureNode {
  const byPlace = (node.objects ??= []);
  let byObject = byPlace[j];
  if (!byObject) byPlace[j] = byObject = new Map();
  let next = byObject.get(v);
  if (!next) byObject.set(v, (next = newNode()));
  return next;
}

/** Below a frame's node, the nodes of the objects its parameters hold: no key string is made for them. */
function withFrameObjects(node: FutureNode, f: Frame): FutureNode {
  const slots = f.c.program?.paramSlots;
  const locals = f.locals;
  if (!slots || !locals) return node;
  for (let j = 0; j < slots.length; j++) {
    const v = locals[slots[j]];
    if (isObjectRef(v)) node = objectChild(node, j, v);
  }
  return node;
}

function withArgObjects(node: FutureNode, args: readonly Value[]): FutureNode {
  for (let j = 0; j < args.length; j++) {
    const v = args[j];
    if (isObjectRef(v)) node = objectChild(node, j, v);
  }
  return node;
}

/** The node of frame `f` resumed at `pc`, under the node of the frames below it. */
function child(node: FutureNode, f: Frame, pc: number): FutureNode {
  const byFunction = (node.frames ??= new Map());
  let byPc = byFunction.get(f.c);
  if (!byPc) byFunction.set(f.c, (byPc = []));
  return (byPc[pc] ??= newNode());
}

/** The node of a queued function, under the node of what runs before it. */
function queuedChild(node: FutureNode, fn: string): FutureNode {
  const byName = (node.queued ??= new Map());
  let next = byName.get(fn);
  if (!next) byName.set(fn, (next = newNode()));
  return next;
}

/**
 * The objects a frame's parameters hold that a future binds (FunctionClasses.withObjects:
 * buffers and pages) are part of the trie's path. A parameter the function assigns is
 * never bound, so its value here is the one it had on entry only when bound.
 */
function isObjectRef(v: Value): v is string {
  return typeof v === 'string' && (v.startsWith('bh:') || v.startsWith('page:'));
}

/** The values of a frame's parameters now (none known: nothing is bound, the future of every object). */
function paramValues(f: Frame): Value[] {
  const slots = f.c.program?.paramSlots;
  return slots && f.locals ? slots.map((s) => f.locals[s]) : [];
}

/**
 * The node of frames[0..i], frame i resumed after its call: kept on the frame, which
 * below the top no longer changes, and stands for the frames under it (a frame object
 * is made on one stack and never moved to another).
 */
function belowNode(root: FutureNode, frames: readonly Frame[], i: number): FutureNode {
  const f = frames[i];
  const kept = f.below as FutureNode | undefined;
  if (kept) return kept;
  const node = withFrameObjects(child(i > 0 ? belowNode(root, frames, i - 1) : root, f, f.pc + 1), f);
  f.below = node;
  return node;
}

/** The future of a thread, from the trie `root` (an empty object at first) and the functions' classes. */
export function threadFuture(root: object, classes: FunctionClasses, t: Thread): ClassSet {
  const frames = t.frames;
  const top = frames.length - 1;
  let node = top > 0 ? belowNode(root as FutureNode, frames, top - 1) : root as FutureNode;
  if (top >= 0) node = withFrameObjects(child(node, frames[top], frames[top].pc), frames[top]);
  const queue = t.queue;
  for (let i = 0; i < queue.length; i++) {
    const q = queue[i];
    node = withArgObjects(queuedChild(node, q.fn), q.args);
  }
  if (node.future) return node.future;
  const params = frames.map(paramValues);
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
