/**
 * A step's stated classes narrowed to the object it is handed: a primitive that touches
 * its kind of object only through its object argument (Primitive.objectArg: a buffer's
 * flag bits) touches that object's classes alone ("bh.async_write@P.1"), which a future
 * bound to another buffer ("bh.async_write@P.0", futures.ts) does not overlap. The
 * runner asks it for a thread's pending step (the argument a local of the top frame, its
 * value there) and for the development check of what a step really touched, so a
 * primitive that touched another object of the kind is an error under
 * RACELENS_CHECK_CLASSES.
 */
import { boundObject, qualifyClasses, type ClassSet } from './footprint-classes.js';
import type { Primitive } from './primitive.js';
import type { Instr, Value } from './program.js';
import type { Frame } from './machine-types.js';

const narrowed = new WeakMap<ClassSet, Map<string, ClassSet>>();

/** The object a value names, as a future binds it (footprint-classes.ts boundObject), worked out once per value. */
const boundValues = new Map<string, ReturnType<typeof boundObject> | null>();

function boundValue(value: string): ReturnType<typeof boundObject> {
  let b = boundValues.get(value);
  if (b === undefined) {
    b = boundObject({ k: 'sym', name: `@${value}` }) ?? null;
    // values are object names and a few numbers turned strings: bounded, but kept so
    if (boundValues.size < 100_000) boundValues.set(value, b);
  }
  return b ?? undefined;
}

/** `stated` with the classes of the object `value` is narrowed to it, when the primitive says it touches that one alone. */
export function withObjectArg(stated: ClassSet, prim: Primitive, value: Value | undefined): ClassSet {
  if (prim.objectArg === undefined || typeof value !== 'string') return stated;
  let byValue = narrowed.get(stated);
  if (!byValue) narrowed.set(stated, (byValue = new Map()));
  let out = byValue.get(value);
  if (!out) {
    const obj = boundValue(value);
    // a value that names no object narrows nothing: `stated` itself, remembered as the answer
    byValue.set(value, (out = obj ? { r: qualifyClasses(stated.r, obj), w: qualifyClasses(stated.w, obj) } : stated));
  }
  return out;
}

/** The pending step's stated classes at `frame`, narrowed by the value its object argument has there (a local). */
export function pendingWithObject(stated: ClassSet, prim: Primitive, instr: Instr | undefined, frame: Frame): ClassSet {
  if (prim.objectArg === undefined || instr?.op !== 'call') return stated;
  const a = instr.args[prim.objectArg];
  // a local, or a bit operation's word `&x->flags` of a local (its value the page, as the operation takes it)
  const l = a?.k === 'local' ? a : a?.k === 'addr' && (a.field === 'flags' || a.field === 'b_state') && a.obj.k === 'local' ? a.obj : undefined;
  if (!l) return stated;
  const slot = frame.c.slots.get(l.name);
  return slot === undefined ? stated : withObjectArg(stated, prim, frame.locals[slot]);
}
