/**
 * The race window of a violated run in the words of its trace: the explorer finds the
 * pairs of steps whose order decides the verdict (explore/window.ts); this names each
 * step by what it did and joins them into one sentence ("P1's TestSetPageWriteback()
 * (step 8) lands after P0's TestClearPageWriteback() (step 3) and before its
 * wake_up_page_bit() (step 25)").
 */
import { raceWindow } from '../explore/window.js';
import type { TransitionSystem } from '../explore/system.js';
import type { TraceRow } from './run.js';

export interface RaceWindowPair {
  /** transition numbers (TraceRow.step): `first` ran before `then` */
  first: number;
  then: number;
  /** what both touch, as a reader names it ("P.writeback", "pte U/P.dirty") */
  on: string[];
}

export interface RaceWindow {
  /** the transition numbers in the window, ascending */
  steps: number[];
  pairs: RaceWindowPair[];
  sentence: string;
}

/** The window of a counterexample, or undefined when no single reordering removes the violation. */
export function windowOf<S, E>(sys: TransitionSystem<S, E>, schedule: string, invariant: string, trace: readonly TraceRow[]): RaceWindow | undefined {
  const found = raceWindow(sys, schedule, invariant);
  if (!found?.pairs.length) return undefined;
  const pairs = found.pairs.map((p) => ({ first: p.first + 1, then: p.then + 1, on: p.on.map(locationName) }));
  const steps = [...new Set(pairs.flatMap((p) => [p.first, p.then]))].sort((a, b) => a - b);
  return { steps, pairs, sentence: sentence(pairs, found.pairs.map((p) => p.on), trace, invariant) };
}

/** "pg:P.dirty" → "P.dirty", "pte:U/P.dirty" → "pte U/P.dirty", "mem:P.2" → "mem P[2]". */
export function locationName(key: string): string {
  const colon = key.indexOf(':');
  if (colon < 0) return key;
  const space = key.slice(0, colon);
  const rest = key.slice(colon + 1);
  const dot = rest.lastIndexOf('.');
  switch (space) {
    case 'pg': case 'fld': return rest;
    case 'mem': return `mem ${rest.slice(0, dot)}[${rest.slice(dot + 1)}]`;
    case 'lock': return `lock ${rest}`;
    case 'wq': return `waitq ${rest}`;
    default: return `${space} ${rest}`;
  }
}

/** Who a thread is in a sentence. */
function who(cpu: string): string {
  if (cpu === 'final') return 'the final block';
  if (cpu === 'io') return 'the I/O completion';
  return cpu;
}

function whose(cpu: string): string {
  return `${who(cpu)}'s`;
}

/**
 * A transition by what it did to the contested locations: the row whose changes touch
 * them, else the row whose operation names one of their objects, else its first row
 * that is not only a lock taken or released.
 */
function stepName(step: number, keys: readonly string[], trace: readonly TraceRow[]): string {
  const rows = trace.filter((t) => t.step === step);
  if (!rows.length) return `step ${step}`;
  const objects = keys.map(objectOf);
  const row = rows.find((r) => (r.changes ?? []).some((c) => keys.includes(c[0])))
    ?? rows.find((r) => objects.some((o) => o !== '' && mentions(r.op, o)))
    ?? rows.find((r) => !(r.changes ?? []).length || (r.changes ?? []).some((c) => !c[0].startsWith('lock:')))
    ?? rows[0]!;
  const call = /^(\w+)\(/.exec(row.op);
  if (call) return `${call[1]}()`;
  const access = /^(load|store) (\S+?)->(\w+)/.exec(row.op);
  if (access) return `${access[1] === 'load' ? 'read of' : 'write to'} ${access[2]}->${access[3]}`;
  return row.op;
}

/** "pg:P.dirty" → "P"; "pte:U/P.dirty" → "P"; "lock:F.i_pages" → "F". */
function objectOf(key: string): string {
  const rest = key.slice(key.indexOf(':') + 1);
  const obj = rest.includes('.') ? rest.slice(0, rest.lastIndexOf('.')) : rest;
  return obj.slice(obj.lastIndexOf('/') + 1).split('.')[0] ?? '';
}

function mentions(op: string, object: string): boolean {
  return new RegExp(`[(, ]${object.replace(/[^\w]/g, '\\$&')}[,).]`).test(op);
}

const MAX_CLAUSES = 3;


function sentence(pairs: readonly RaceWindowPair[], keys: readonly string[][], trace: readonly TraceRow[], invariant: string): string {
  const cpuOf = (step: number): string => trace.find((t) => t.step === step)?.cpu ?? '?';
  const keysOf = (step: number): string[] => [...new Set(pairs.flatMap((p, i) => (p.first === step || p.then === step ? keys[i]! : [])))];
  const name = (step: number): string => `${stepName(step, keysOf(step), trace)} (step ${step})`;
  const used = new Set<number>();
  const clauses: string[] = [];
  // the classic window: steps of other CPUs that land between two steps of one CPU,
  // the latest such pair of that CPU first (it is nearest to where the run went wrong)
  const latestFirst = pairs.map((p, i) => ({ p, i })).sort((x, y) => y.p.then - x.p.then || y.p.first - x.p.first);
  for (const { p: out, i: o } of latestFirst) {
    if (used.has(o)) continue;
    const owner = cpuOf(out.then);
    if (cpuOf(out.first) === owner) continue;
    const into = latestFirst.find(({ p, i }) => !used.has(i) && i !== o && cpuOf(p.first) === owner
      && cpuOf(p.then) !== owner && p.first < p.then && p.then <= out.first);
    if (!into) continue;
    used.add(o).add(into.i);
    const x = into.p.then;
    const y = out.first;
    const middle = x === y ? `${whose(cpuOf(x))} ${name(x)} lands`
      : cpuOf(x) === cpuOf(y) ? `${whose(cpuOf(x))} steps from ${name(x)} to ${name(y)} land`
        : `${whose(cpuOf(x))} ${name(x)} and ${whose(cpuOf(y))} ${name(y)} land`;
    clauses.push(`${middle} after ${whose(owner)} ${name(into.p.first)} and before its ${name(out.then)}`);
  }
  for (const { p, i } of latestFirst) {
    if (used.has(i)) continue;
    clauses.push(`${whose(cpuOf(p.then))} ${name(p.then)} comes after ${whose(cpuOf(p.first))} ${name(p.first)}`);
  }
  const shown = clauses.slice(0, MAX_CLAUSES);
  const more = clauses.length - shown.length;
  const one = pairs.length === 1;
  return `${shown.join('; ')}${more ? `; and ${more} more` : ''}. With ${one ? 'that order' : 'any one of these orders'} reversed, the same schedule no longer ends in ${invariant}.`;
}
