/**
 * Tasks as data: each CPU of a scenario runs one task, whose `state` (TASK_RUNNING,
 * TASK_UNINTERRUPTIBLE, TASK_KILLABLE, ...) and pending fatal signal are locations of
 * their own. set_current_state(), schedule() and try_to_wake_up() act on them as the
 * scheduler does: a sleeper runs again once a waker (or a fatal signal, for a
 * TASK_WAKEKILL sleep) put it back to TASK_RUNNING, and a wake-up of a task that is
 * already running reports that it woke nobody. The one signal modeled is SIGKILL,
 * delivered by the scenario's `kill(Pn)`.
 */
import type { Primitive, StepContext } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import type { Value } from '../program.js';
import { key } from '../world.js';
import { shownValue } from './args.js';
import { queuedTask, wokenEntryOfTask } from './waitlist.js';

/** include/linux/sched.h (6.1): the bits of a task's state the model tells apart. */
export const TASK_INTERRUPTIBLE = 0x1;
export const TASK_UNINTERRUPTIBLE = 0x2;
export const TASK_WAKEKILL = 0x100;
export const TASK_NORMAL = TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE;

/** The thread id of a task value ("task:P1"). */
export function taskArg(_c: StepContext, v: Value): string {
  if (typeof v === 'string' && v.startsWith('task:')) return v.slice(5);
  throw new PrimitiveError(`expected a task (current, or a CPU named by kill), got ${shownValue(v)}`);
}

function stateOf(c: StepContext, tid: string): number {
  const s = c.get(key.taskState(tid));
  return typeof s === 'number' ? s : 0;
}

/** signal_pending_state(): whether a sleep in `state` is cut short by what is pending (SIGKILL only). */
function interrupts(c: StepContext, tid: string, state: number): boolean {
  return (state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)) !== 0 && c.get(key.taskSigkill(tid)) === 1;
}

/** try_to_wake_up(): 1 when the task slept in a state `mask` covers and now runs, 0 when it was running. */
export function tryToWakeUp(c: StepContext, tid: string, mask: number): number {
  if ((stateOf(c, tid) & mask) === 0) return 0;
  c.set(key.taskState(tid), 0);
  return 1;
}

const setState = (names: string[], doc: string): Primitive => ({
  names, doc,
  reads: ['task state'], writes: ['task state'],
  // (and TASK_RUNNING set on a running task: only the task itself changes a running task's state)
  localWhen: (c, [s]) => queuedTask(c) || (s === 0 && (c.peek ? c.peek(key.taskState(c.tid)) : 1) === 0),
  run: (c, [s]) => { c.set(key.taskState(c.tid), typeof s === 'number' ? s : 0); return 0; },
});

export const schedPrimitives: Primitive[] = [
  {
    names: ['get_current'],
    doc: 'the task running on this CPU (`current`)',
    pure: true,
    run: (c) => `task:${c.tid}`,
  },
  setState(['set_current_state', 'set_special_state'], 'sets the current task\'s state (a store followed by a full barrier)'),
  setState(['__set_current_state'], 'sets the current task\'s state'),
  {
    names: ['io_schedule', 'schedule', 'schedule_timeout_uninterruptible'],
    doc: 'sleeps until the task is TASK_RUNNING again (a wake-up, or SIGKILL for a TASK_WAKEKILL sleep); __schedule() does not sleep at all when a signal the state lets in is pending',
    reads: ['task state', 'fatal signal'], writes: ['task state'],
    blocks: (c) => stateOf(c, c.tid) !== 0 && !interrupts(c, c.tid, stateOf(c, c.tid)),
    run: (c) => { c.set(key.taskState(c.tid), 0); return 0; },
  },
  {
    names: ['fatal_signal_pending', '__fatal_signal_pending', 'signal_pending'],
    doc: 'whether SIGKILL is pending for the task',
    reads: ['fatal signal'],
    run: (c, [p]) => (c.get(key.taskSigkill(taskArg(c, p))) === 1 ? 1 : 0),
  },
  {
    names: ['wake_up_state', 'try_to_wake_up'],
    doc: 'wakes the task if its state is one the mask names; returns whether it woke it (0 for a task already running)',
    reads: ['task state'], writes: ['task state'],
    // a page waker's wake-up of a task whose queued entry it has marked woken (ops/waitlist.ts)
    localWhen: (c, [p]) => wokenEntryOfTask(c, p),
    run: (c, [p, mask]) => tryToWakeUp(c, taskArg(c, p), typeof mask === 'number' ? mask : TASK_NORMAL),
  },
  {
    names: ['wake_up_process'],
    doc: 'wakes the task if it sleeps (TASK_NORMAL); returns whether it woke it',
    reads: ['task state'], writes: ['task state'],
    run: (c, [p]) => tryToWakeUp(c, taskArg(c, p), TASK_NORMAL),
  },
  {
    names: ['kill'],
    doc: 'SIGKILL to a CPU\'s task (send_sig → signal_wake_up(t, true)): the fatal signal is pending, and a TASK_WAKEKILL or TASK_INTERRUPTIBLE sleep ends',
    reads: ['task state', 'fatal signal'], writes: ['task state', 'fatal signal'],
    run: (c, [p]) => {
      const tid = taskArg(c, p);
      c.set(key.taskSigkill(tid), 1);
      if (tryToWakeUp(c, tid, TASK_WAKEKILL | TASK_INTERRUPTIBLE)) c.remark(`${tid} woken by SIGKILL`);
      return 0;
    },
  },
];
