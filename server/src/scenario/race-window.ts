/**
 * The race window of a violated run in the words of its trace: the explorer finds the
 * pairs of steps whose order decides the verdict (explore/window.ts); this names each
 * step by what it did and joins them into one sentence ("P1's TestSetPageWriteback()
 * (step 8) lands after P0's TestClearPageWriteback() (step 3) and before its
 * wake_up_page_bit() (step 25)").
 */
import { MAX_CANDIDATES, raceWindow } from '../explore/window.js';
import type { TransitionSystem } from '../explore/system.js';
import type { TraceRow } from './run.js';

export interface RaceWindowPair {
  /** transition numbers (TraceRow.step): `first` ran before `then` */
  first: number;
  then: number;
  /** the trace rows (0-based indices into `trace`) of the two steps */
  rows: [number, number];
  /** what both touch, as a reader names it ("P.writeback", "pte U/P.dirty") */
  on: string[];
}

export interface RaceWindow {
  /** the transition numbers in the window, ascending */
  steps: number[];
  /** the trace rows in the window (0-based), ascending */
  rows: number[];
  pairs: RaceWindowPair[];
  sentence: string;
}

/**
 * The window of a counterexample, or undefined when no single reordering removes the
 * violation. `rows`: the same machine taking one primitive per transition (no fused
 * steps), whose schedule is the trace's rows: a fused transition is a reduction's
 * choice, and a reversal in it must move the one primitive that conflicts, not the
 * transition around it. When that machine cannot follow the rows, the transitions of
 * `steps` are reversed instead.
 */
export function windowOf<S, E, S2, E2>(systems: { rows?: TransitionSystem<S, E>; steps: TransitionSystem<S2, E2> }, schedule: string, invariant: string, trace: readonly TraceRow[]): RaceWindow | undefined {
  let pairs: RaceWindowPair[] | undefined;
  let capped = false;
  const byRows = systems.rows ? raceWindow(systems.rows, trace.map((t) => t.cpu).join(' '), invariant) : undefined;
  if (byRows) {
    capped = byRows.capped;
    pairs = byRows.pairs.map((p) => ({ first: trace[p.first]!.step, then: trace[p.then]!.step, rows: [p.first, p.then], on: p.on.map(locationName) }));
  } else {
    const bySteps = raceWindow(systems.steps, schedule, invariant);
    if (bySteps) {
      capped = bySteps.capped;
      const rowOf = (step: number, on: readonly string[]): number => pickRow(trace, step + 1, on);
      pairs = bySteps.pairs.map((p) => ({ first: p.first + 1, then: p.then + 1, rows: [rowOf(p.first, p.on), rowOf(p.then, p.on)], on: p.on.map(locationName) }));
    }
  }
  if (!pairs?.length) {
    // none found among the pairs tried: said, when not every pair was tried
    return capped ? { steps: [], rows: [], pairs: [], sentence: `No reversal among the first ${MAX_CANDIDATES} conflicting pairs of the trace removes the violation; the later pairs were not tried.` } : undefined;
  }
  const steps = [...new Set(pairs.flatMap((p) => [p.first, p.then]))].sort((a, b) => a - b);
  const rows = [...new Set(pairs.flatMap((p) => p.rows))].sort((a, b) => a - b);
  // a long trace has more pairs than are tried: the window is of the earlier ones, and says so
  const note = capped ? ` (Only the first ${MAX_CANDIDATES} conflicting pairs of the trace were tried.)` : '';
  return { steps, rows, pairs, sentence: sentence(pairs, trace, invariant) + note };
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
 * The row of transition `step` that did what the window is about: the row whose changes
 * touch the contested locations (a location other than a lock first), else the row whose
 * operation names one of their objects, else its first row that is not only a lock.
 */
function pickRow(trace: readonly TraceRow[], step: number, keys: readonly string[]): number {
  const idx = trace.map((t, i) => (t.step === step ? i : -1)).filter((i) => i >= 0);
  if (!idx.length) return 0;
  const touches = (i: number, ks: readonly string[]): boolean => (trace[i]!.changes ?? []).some((c) => ks.includes(c[0]));
  const objects = keys.map(objectOf);
  return idx.find((i) => touches(i, keys.filter((k) => !k.startsWith('lock:'))))
    ?? idx.find((i) => touches(i, keys))
    ?? idx.find((i) => objects.some((o) => o !== '' && mentions(trace[i]!.op, o)))
    ?? idx.find((i) => !(trace[i]!.changes ?? []).length || (trace[i]!.changes ?? []).some((c) => !c[0].startsWith('lock:')))
    ?? idx[0]!;
}

/** A row by what it did: `name()` for a call, `read of X->f` / `write to X->f` for a field. */
function rowName(row: TraceRow): string {
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

/** The pairs in words: a step of one CPU between two of another first, the latest such first. */
function sentence(pairs: readonly RaceWindowPair[], trace: readonly TraceRow[], invariant: string): string {
  const cpuOf = (row: number): string => trace[row]?.cpu ?? '?';
  const name = (row: number): string => `${rowName(trace[row]!)} (step ${trace[row]!.step})`;
  const used = new Set<number>();
  const clauses: string[] = [];
  const latestFirst = pairs.map((p, i) => ({ p, i })).sort((x, y) => y.p.rows[1] - x.p.rows[1] || y.p.rows[0] - x.p.rows[0]);
  for (const { p: out, i: o } of latestFirst) {
    if (used.has(o)) continue;
    const owner = cpuOf(out.rows[1]);
    if (cpuOf(out.rows[0]) === owner) continue;
    const into = latestFirst.find(({ p, i }) => !used.has(i) && i !== o && cpuOf(p.rows[0]) === owner
      && cpuOf(p.rows[1]) !== owner && p.rows[1] <= out.rows[0]);
    if (!into) continue;
    used.add(o).add(into.i);
    const x = into.p.rows[1];
    const y = out.rows[0];
    const middle = x === y ? `${whose(cpuOf(x))} ${name(x)} lands`
      : cpuOf(x) === cpuOf(y) ? `${whose(cpuOf(x))} steps from ${name(x)} to ${name(y)} land`
        : `${whose(cpuOf(x))} ${name(x)} and ${whose(cpuOf(y))} ${name(y)} land`;
    clauses.push(`${middle} after ${whose(owner)} ${name(into.p.rows[0])} and before its ${name(out.rows[1])}`);
  }
  for (const { p, i } of latestFirst) {
    if (used.has(i)) continue;
    clauses.push(`${whose(cpuOf(p.rows[1]))} ${name(p.rows[1])} comes after ${whose(cpuOf(p.rows[0]))} ${name(p.rows[0])}`);
  }
  const shown = clauses.slice(0, MAX_CLAUSES);
  const more = clauses.length - shown.length;
  const one = pairs.length === 1;
  return `${shown.join('; ')}${more ? `; and ${more} more` : ''}. With ${one ? 'that order' : 'any one of these orders'} reversed, the same schedule no longer ends in ${invariant}.`;
}
