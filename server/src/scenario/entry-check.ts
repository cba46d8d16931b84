/**
 * A race that runs nothing must not say holds. Two checks:
 *  - before the run, every call that a built-in model reachable from the scenario makes
 *    (the harness's operations, an era's models) resolves to a model, a primitive or a
 *    known no-op of this run's set. A built-in is written against names the kernel has;
 *    one the tree and the era do not define (shrink_page_list in 6.1 and later, where it is
 *    shrink_folio_list) would be a silent no-op, so it is an error at the scenario's
 *    call, naming the function, why no model serves it and, where the catalog knows it,
 *    what this release calls it;
 *  - after the run, a CPU (or the final block) that took no step in any interleaving ran
 *    nothing: a holds over it would be vacuous, so the verdict is an error naming it.
 * Lifted source may still call what the model does not know (SetPageError): those are
 * the run's assumptions, said with file and line, not errors.
 */
import type { Call, RaceFile } from './ast.js';
import type { ModelLinker } from '../catalog/linker.js';
import type { ModelSet } from '../catalog/models.js';
import { renamedNote } from '../catalog/era-names.js';
import { entryByName } from '../catalog/functions.js';
import { ModelError } from '../sim/errors.js';
import { references, type FunctionProgram } from '../sim/program.js';
import { forEachExpr } from '../sim/expr-walk.js';
import type { StepResult, TransitionSystem } from '../explore/system.js';

/** The first call of a built-in model, reachable from a scenario call, that nothing in the set serves. */
type Unserved = { from: Call; fn: FunctionProgram; line: number } & ({ name: string } | { op: string });

/**
 * Throws a ModelError placed at the scenario's call when a built-in model it reaches
 * calls a function that has no model in this run, or calls through an entry of the
 * run's a_ops table (`aops`) that the table does not have and the model does not test
 * for first.
 */
export function checkEntries(race: RaceFile, file: string, linker: ModelLinker, models: ModelSet, aops: string, fsName: string): void {
  const bad = firstUnserved(race, linker, models, aops);
  if (!bad) return;
  const model = models.functions.get(bad.fn.name);
  const where = model ? `${model.file}:${bad.line}` : `${file}:${bad.line}`;
  let message: string;
  if ('op' in bad) {
    const table = models.tableAt?.get(aops);
    message = `${bad.fn.name} (${where}) calls mapping->a_ops->${bad.op}(), but ${fsName}'s table ${aops}`
      + `${table ? ` (${table})` : ` (era ${models.spec}'s built-ins)`} has no .${bad.op}, and the filesystem names no stand-in for it (catalog/filesystems.ts). `
      + 'The call would go through a NULL pointer, so the run is not started';
  } else {
    const names = entryByName(bad.name)?.names ?? [bad.name];
    const why = names.map((n) => models.notRun?.get(n)).find((w) => w !== undefined)
      ?? (models.release
        ? `no compiled source of the linux ${models.release} tree defines it, and era ${models.spec}'s built-ins have no model of it`
        : `era ${models.spec}'s built-ins have no model of it`);
    const renamed = models.release ? renamedNote(bad.name, models.release) : undefined;
    message = `${bad.fn.name} (${where}) calls ${bad.name}(), which has no model in this run: ${why}${renamed ? `; ${renamed}` : ''}. `
      + 'The run would take it as a no-op, so it is not run';
  }
  const error = new ModelError(message, bad.fn.name, file);
  error.call = { line: bad.from.range.start.line, column: bad.from.range.start.column };
  throw error;
}

function firstUnserved(race: RaceFile, linker: ModelLinker, models: ModelSet, aops: string): Unserved | undefined {
  const builtin = (fn: FunctionProgram): boolean => models.functions.get(fn.name)?.from !== 'source';
  const table = models.ops.get(aops);
  const tableEntries = [...(table?.values() ?? [])];
  for (const call of [...race.cpus.flatMap((c) => c.calls), ...race.final]) {
    const seen = new Set<FunctionProgram>();
    const queue: string[] = [call.name];
    while (queue.length) {
      const r = linker.resolve(queue.shift()!);
      if (r.kind !== 'func' || seen.has(r.fn)) continue;
      seen.add(r.fn);
      const { calls, values } = references(r.fn);
      for (const c of calls) {
        if (builtin(r.fn) && linker.resolve(c.name).kind === 'unknown') return { from: call, fn: r.fn, name: c.name, line: c.line };
        queue.push(c.name);
      }
      queue.push(...values);
      const ops = opsCalls(r.fn);
      if (ops.length) queue.push(...tableEntries);
      const missing = builtin(r.fn) && table ? ops.find((o) => !table.has(o.op) && !testedFields(r.fn).has(o.op)) : undefined;
      if (missing) return { from: call, fn: r.fn, op: missing.op, line: missing.line };
    }
  }
  return undefined;
}

/** Calls through an a_ops entry (`mapping->a_ops->direct_IO(...)`): the entry and the line. */
function opsCalls(fn: FunctionProgram): { op: string; line: number }[] {
  return fn.code.flatMap((i) => i.op === 'call' && typeof i.callee !== 'string' && i.callee.k === 'field'
    && i.callee.obj.k === 'field' && i.callee.obj.field === 'a_ops' ? [{ op: i.callee.field, line: i.at?.line ?? fn.line ?? 0 }] : []);
}

/** Fields a program reads other than as the function it calls: `if (mapping->a_ops->writepages)` tests the entry first. */
function testedFields(fn: FunctionProgram): Set<string> {
  const out = new Set<string>();
  for (const i of fn.code) {
    if (i.op === 'load') out.add(i.field);
    if (i.op === 'call') continue;
    forEachExpr(i, (e) => { if (e.k === 'field') out.add(e.field); });
  }
  return out;
}

/**
 * The explored system with a record of which threads took a step: the explorer calls
 * `step` (or `stepAt`) for every transition it takes, so a thread absent from the record took none in
 * any interleaving; and which of the `watched` functions took one (by `fnsOf` of the
 * step's event), for assumptions that hold only where a run reaches them. Every other
 * method is the machine's own.
 */
export function recordingSteps<S, E>(sys: TransitionSystem<S, E>, watched: ReadonlySet<string> = new Set(), fnsOf?: (e: E) => readonly string[]): { sys: TransitionSystem<S, E>; stepped: Set<string>; reached: Set<string> } {
  const stepped = new Set<string>();
  const reached = new Set<string>();
  const methods: Record<string, unknown> = {};
  for (let proto = Object.getPrototypeOf(sys); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const k of Object.getOwnPropertyNames(proto)) {
      // methods only: an accessor is not called here
      const v = Object.getOwnPropertyDescriptor(proto, k)?.value as unknown;
      if (k !== 'constructor' && !(k in methods) && typeof v === 'function') methods[k] = (v as (...a: unknown[]) => unknown).bind(sys);
    }
  }
  const record = (tid: string, r: StepResult<S, E>): StepResult<S, E> => {
    stepped.add(tid);
    // only the few functions a run's assumptions hang on are looked for
    if (watched.size && fnsOf) for (const fn of fnsOf(r.event)) if (watched.has(fn)) reached.add(fn);
    return r;
  };
  methods.step = (s: S, tid: string) => record(tid, sys.step(s, tid));
  // a system that answers by thread place is stepped by place (explore/system.ts): the same record
  const { stepAt, threadId, successorKey } = sys;
  if (stepAt && threadId) methods.stepAt = (s: S, i: number) => record(threadId.call(sys, s, i), stepAt.call(sys, s, i));
  // a step the explorer asks the key after of (and takes without stepAt when that state is
  // pruned) is recorded too: stepped (which makes the state after) only while the record
  // can still learn something from it, a thread not yet seen or a watched function not yet reached
  if (stepAt && threadId && successorKey) {
    methods.successorKey = (s: S, i: number) => {
      const key = successorKey.call(sys, s, i);
      if (key !== undefined && (watched.size > reached.size || !stepped.has(threadId.call(sys, s, i)))) record(threadId.call(sys, s, i), stepAt.call(sys, s, i));
      return key;
    };
  }
  // the search's livelock walks of a thread that cannot come back are skipped; while a watched
  // function is still to be reached they are walked, and their steps recorded, as before
  const { mayReturnAt } = sys;
  if (mayReturnAt) methods.mayReturnAt = (s: S, i: number) => watched.size > reached.size || mayReturnAt.call(sys, s, i);
  return { sys: methods as unknown as TransitionSystem<S, E>, stepped, reached };
}

/** The message for a holds in which some CPU (or the final block) took no step, or undefined. */
export function ranNothing(race: RaceFile, stepped: ReadonlySet<string>): string | undefined {
  const idle = [
    ...race.cpus.filter((c) => c.calls.length && !stepped.has(c.name)).map((c) => ({ who: `CPU ${c.name} (${c.label})`, calls: c.calls })),
    ...(race.final.length && !stepped.has('final') ? [{ who: 'the final block', calls: race.final }] : []),
  ];
  if (!idle.length) return undefined;
  return idle.map(({ who, calls }) => `${who} took no step in any interleaving (${calls.map((c) => `${c.name}()`).join(', ')} ran no kernel code that touches shared state)`).join('; ')
    + ': the run checked nothing on its side, so it does not say holds';
}
