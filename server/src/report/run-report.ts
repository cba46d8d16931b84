/** Text output of `racelens run`: the verdict table and traces laid out one column per CPU. */
import { allAssumptionLines, assumptionSummaryLines } from './assumption-summary.js';
import { fixOnBuiltinLines } from './fix-on-builtin.js';
import type { RunResult } from '../scenario/run.js';

function pad(s: string, n: number): string {
  return s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length);
}

export function verdictText(r: RunResult): string {
  if (r.verdict === 'violated') return `VIOLATED ${r.invariant ?? ''}`.trim();
  if (r.verdict === 'incomplete') return r.budgetHit ? `incomplete (${r.budgetHit})` : 'incomplete';
  if (r.verdict === 'error') return 'ERROR';
  return 'holds';
}

function expectedText(r: RunResult): string {
  if (r.asExpected === undefined) return '';
  return r.asExpected ? 'as expected' : `EXPECTED ${r.expected?.verdict}${r.expected?.invariants.length ? ' ' + r.expected.invariants.join('|') : ''}`;
}

export function verdictTable(results: readonly RunResult[]): string {
  const rows = results.map((r) => [
    r.scenario, r.era + (r.fs ? ` fs=${r.fs}` : ''), verdictText(r) + assumptionCount(r), expectedText(r),
    String(r.executions), String(r.states), String(r.ms),
  ]);
  const head = ['scenario', 'era', 'verdict', 'expected', 'executions', 'states', 'ms'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const right = new Set([4, 5, 6]);
  const line = (cells: string[]) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : pad(c, widths[i]))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function summaryLine(r: RunResult): string {
  const budget = r.budgetHit ? `, stopped by the ${r.budgetHit} budget` : '';
  return `${r.executions} executions, ${r.states} distinct states, ${r.violations} violating, ${r.ms} ms${budget}`;
}

/**
 * Breaks `s` into lines of at most `width` characters, after a comma, a space or an
 * opening parenthesis where one is near enough, so an argument, a tag or a result is
 * moved to the next line whole rather than cut; `indent` starts the continuation lines.
 */
export function wrapText(s: string, width: number, indent = ''): string[] {
  // a result stays with its call: ` = 1` is glued with no-break spaces while wrapping
  return wrapGlued(s.replace(/ = /g, '\u00a0=\u00a0'), width, indent).map((l) => l.replace(/\u00a0/g, ' '));
}

function wrapGlued(s: string, width: number, indent: string): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let rest = s;
  let prefix = '';
  while (prefix.length + rest.length > w) {
    const room = Math.max(1, w - prefix.length);
    // a break between arguments first, then inside a long identifier after an underscore
    const after = (chars: string): number => {
      for (let i = room; i > room / 3; i--) if (chars.includes(rest[i - 1]!)) return i;
      return -1;
    };
    let cut = after(' ,;→');
    if (cut < 0) cut = after('(');
    if (cut < 0) cut = after('_.');
    if (cut < 0) cut = room;
    lines.push((prefix + rest.slice(0, cut)).trimEnd());
    rest = rest.slice(cut).trimStart();
    prefix = indent.length < w - 1 ? indent : '';
  }
  lines.push(prefix + rest);
  return lines;
}

const MIN_CELL = 8;
const MIN_STATE = 4;
const SEP = ' │ ';
const FIRES = '✗';
const LOST = '◆';
const WINDOW = '↔';

interface TraceLayout { num: number; cells: number[]; state: number }

/**
 * Widths that fill `width`: the state column about a share of its own, each CPU column
 * as wide as its longest text when everything fits, else a part of the room in
 * proportion to that text, and the state column whatever is left. Below MIN_CELL per
 * CPU the trace cannot fit and goes past `width`.
 */
function layout(width: number, naturals: readonly number[], num: number, longestState: number): TraceLayout {
  const fixed = num + 1 + SEP.length * naturals.length;
  const share = Math.min(Math.max(longestState, 5), Math.max(16, Math.floor((width - fixed) / (naturals.length + 1))));
  const room = width - fixed - share;
  const total = naturals.reduce((a, b) => a + b, 0);
  const cells = total <= room ? [...naturals] : naturals.map((n) => Math.max(MIN_CELL, Math.floor((room * n) / total)));
  return { num, cells, state: Math.max(MIN_STATE, width - fixed - cells.reduce((a, b) => a + b, 0)) };
}

/**
 * One row per step, laid out in `width` columns: the step sits in its CPU's column, its
 * state change on the right; text too long for its column wraps. The step where the
 * invariant fired is marked, and a legend says what the marks and merged rows mean.
 */
export function traceColumns(r: RunResult, width = 80): string {
  const trace = r.trace ?? [];
  const columns: string[] = [];
  for (const c of r.cpus) columns.push(c.id);
  for (const t of trace) if (!columns.includes(t.cpu)) columns.push(t.cpu);
  const labels = new Map<string, string>(r.cpus.map((c) => [c.id, c.label]));
  for (const t of trace) if (!labels.has(t.cpu)) labels.set(t.cpu, t.label);
  const lastStep = trace.length ? trace[trace.length - 1]!.step : 0;
  const num = String(lastStep).length + 1;
  const heads = columns.map((c) => `${c} ${c === 'io' || c === 'final' ? '' : labels.get(c) ?? ''}`.trim());
  const ops = trace.map((t) => `  ${t.op.replace(/^(load|store) /, '')}`);
  const states = trace.map((t) => `${t.state}${t.remarks.length ? ` (${t.remarks.join('; ')})` : ''}`);
  // each column's longest text: its heading, its steps, the functions it runs
  const naturals = columns.map((c, i) => Math.max(MIN_CELL, heads[i]!.length,
    ...trace.flatMap((t, k) => (t.cpu === c ? [ops[k]!.length, t.function.length] : []))));
  const L = layout(width, naturals, num, Math.max(...states.map((x) => x.length), 5));
  const out: string[] = [];
  /** One logical row: each column's text wrapped, then laid side by side. */
  const row = (numText: string, cells: Map<string, string>, state: string): void => {
    // continuation lines sit two columns in from where the text starts
    const wrapped = columns.map((c, i) => {
      const text = cells.get(c);
      return text === undefined ? [] : wrapText(text, L.cells[i]!, ' '.repeat(text.length - text.trimStart().length + 2));
    });
    const stateLines = state ? wrapText(state, L.state, '  ') : [];
    const height = Math.max(1, stateLines.length, ...wrapped.map((w) => w.length));
    for (let i = 0; i < height; i++) {
      const n = i === 0 ? numText : '';
      const line = `${n.padStart(L.num)} ${wrapped.map((w, k) => pad(w[i] ?? '', L.cells[k]!)).join(SEP)}${SEP}${stateLines[i] ?? ''}`;
      out.push(line.trimEnd());
    }
  };
  row('', new Map(columns.map((c, i) => [c, heads[i]!])), 'state');
  out.push(`${' '.repeat(L.num)} ${L.cells.map((w) => '─'.repeat(w)).join('─┼─')}─┼─${'─'.repeat(Math.min(L.state, 8))}`);
  const lost = lostWrite(r);
  const inWindow = new Set(r.window?.rows ?? []);
  const lastFn = new Map<string, string>();
  let prevStep = 0;
  let merged = false;
  trace.forEach((t, i) => {
    // a function's name gets a row of its own in its CPU's column when it changes
    if (lastFn.get(t.cpu) !== t.function) {
      lastFn.set(t.cpu, t.function);
      row('', new Map([[t.cpu, t.function]]), '');
    }
    // the rows of one transition (a lock taken or released with its neighbour) share its number
    const first = t.step !== prevStep;
    if (!first) merged = true;
    prevStep = t.step;
    const fires = r.verdict === 'violated' && i === trace.length - 1;
    const mark = fires ? FIRES : i === lost?.row ? LOST : inWindow.has(i) ? WINDOW : '';
    row(`${first ? t.step : ''}${mark}`, new Map([[t.cpu, ops[i]!]]), states[i]!);
  });
  const legend: string[] = [];
  const at = checkPlace(r);
  if (r.verdict === 'violated' && trace.length) {
    legend.push(`${FIRES} ${r.invariant ?? 'the invariant'} ${atEnd(r) ? 'is checked once every CPU has finished, after' : 'fires at'} step ${lastStep}${at ? ` (${at})` : ''}`);
  }
  if (r.window?.pairs.length) {
    legend.push(`${WINDOW} the race window, steps ${r.window.steps.join(', ')}: ${r.window.sentence}`);
  } else if (r.window) {
    legend.push(`no race window found: ${r.window.sentence}`);
  } else if (r.verdict === 'violated' && trace.length) {
    legend.push('no race window: reversing any one pair of conflicting steps of different CPUs leaves the violation in place');
  }
  if (lost) {
    legend.push(`${LOST} the write to block ${lost.block} of page ${lost.page} (memory ${lost.value}) that never reaches the disk`);
  }
  if (merged) {
    legend.push('a row without a number belongs to the step above it: one transition (a spin lock taken with the step after it, or released with the step before it) and one entry of the replay schedule');
  }
  if (legend.length) {
    out.push('');
    for (const l of legend) out.push(...wrapText(l, width - 2, '  ').map((x) => `  ${x}`));
  }
  return out.join('\n');
}

/** Invariants judged on the final state (sim/invariants.ts finalViolation), not by a check in a step. */
const END_STATE_INVARIANTS = new Set(['lost-write', 'no-progress', 'deadlock', 'update-lost-to-migration']);

function atEnd(r: RunResult): boolean {
  return END_STATE_INVARIANTS.has(r.invariant ?? '');
}

/**
 * file:line of the check that fired: the trace's last row, where a BUG_ON or a
 * primitive's check ran. An end-state invariant has no line of its own: undefined.
 */
export function checkPlace(r: RunResult): string | undefined {
  const last = r.trace?.[r.trace.length - 1];
  if (r.verdict !== 'violated' || !last?.file || atEnd(r)) return undefined;
  return `${last.file}${last.line !== undefined ? `:${last.line}` : ''}`;
}

/**
 * For a violation about a block that never reached the disk (lost-write, and any
 * invariant whose message names "block N of page P"): that block, and the trace row of
 * its last write to memory.
 */
function lostWrite(r: RunResult): { block: string; page: string; value: string; row: number } | undefined {
  if (r.verdict !== 'violated') return undefined;
  const m = /block (\d+) of page (\S+?):/.exec(r.message ?? '');
  if (!m) return undefined;
  const [, block, page] = m as unknown as [string, string, string];
  const trace = r.trace ?? [];
  const wrote = `mem ${page}[${block}] =`;
  for (let i = trace.length - 1; i >= 0; i--) {
    const state = trace[i]!.state;
    const at = state.indexOf(wrote);
    if (at >= 0) return { block, page, value: state.slice(at + wrote.length).split(/[;\s]/)[0] ?? '', row: i };
  }
  return undefined;
}

function assumptionsOf(r: RunResult): NonNullable<RunResult['assumptions']> {
  return r.assumptions ?? [];
}

/** " · 3 assumptions" when the verdict rests on any (the count is part of the verdict). */
export function assumptionCount(r: RunResult): string {
  const n = assumptionsOf(r).length;
  return n === 0 ? '' : ` · ${n} assumption${n === 1 ? '' : 's'}`;
}

export interface ReportOptions {
  withTrace: boolean;
  /** the trace's width in columns */
  width?: number;
  /** the command line that replays this run's schedule */
  replay?: string;
  /** every assumption on its own line (`--assumptions`), not a summary by kind */
  allAssumptions?: boolean;
  /** the run's source roots: paths inside them are shown relative to them */
  roots?: readonly string[];
}

export function runReport(r: RunResult, opts: ReportOptions): string {
  if (r.verdict === 'error') return `${r.message ?? 'error'}\n  (running ${r.scenario}, era ${r.era}${r.fs ? `, fs ${r.fs}` : ''})`;
  const width = opts.width ?? 80;
  const lines = wrapText(`${r.scenario}, era ${r.era}${r.fs ? `, fs ${r.fs}` : ''}: ${verdictText(r)}${assumptionCount(r)}${r.message ? ` — ${r.message}` : ''}`, width, '  ');
  const at = checkPlace(r);
  if (at) lines.push(`  checked at ${at}`);
  else if (r.verdict === 'violated' && atEnd(r)) lines.push(`  checked on the final state, once every CPU has finished`);
  lines.push(...wrapText(summaryLine(r), width - 2, '  ').map((x) => `  ${x}`));
  for (const l of fixOnBuiltinLines(r.scenario, assumptionsOf(r), opts.roots ?? [])) lines.push(...wrapText(l.trim(), width - 2, '  ').map((x) => `  ${x}`));
  // an assumption's file:line:column stays whole on its line, so an editor can follow it
  const roots = opts.roots ?? [];
  lines.push(...(opts.allAssumptions ? allAssumptionLines(assumptionsOf(r), roots) : assumptionSummaryLines(assumptionsOf(r), roots, width)));
  if (opts.withTrace && r.trace) {
    lines.push('', traceColumns(r, width));
    if (opts.replay) lines.push('', `  replay: ${opts.replay}`);
  }
  return lines.join('\n');
}
