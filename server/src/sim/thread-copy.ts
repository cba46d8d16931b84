/**
 * Threads copied for a successor state. A thread is shared by every state it did not
 * step in, and carries what depends on it alone (its hash, future, memo list, stated
 * classes, whether it can step): a copy keeps or leaves behind each of those.
 */
import type { Thread } from './machine-types.js';

/** A thread as `t` but with another step count: what is cached on it does not depend on the count, and comes along. */
export function withSteps(t: Thread, steps: number): Thread {
  const u: Thread = { id: t.id, label: t.label, frames: t.frames, steps, spawned: t.spawned, queue: t.queue };
  if (t.hash) u.hash = t.hash;
  if (t.future) u.future = t.future;
  if (t.memo) u.memo = t.memo;
  if (t.stated !== undefined) u.stated = t.stated;
  if (t.canStep) u.canStep = t.canStep;
  return u;
}

/**
 * A thread changed by a step, as a new object: the old one stays with the state it
 * belongs to. Field by field, so that what is cached on a thread (hash, future) stays
 * behind with it.
 */
export function copyThread(t: Thread, changed: Partial<Pick<Thread, 'frames' | 'steps' | 'queue'>>): Thread {
  return { id: t.id, label: t.label, frames: changed.frames ?? t.frames, steps: changed.steps ?? t.steps, spawned: t.spawned, queue: changed.queue ?? t.queue };
}
