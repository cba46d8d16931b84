/** Text output of `racelens run`: the verdict table and traces laid out one column per CPU. */
import type { RunResult } from '../scenario/run.js';

function pad(s: string, n: number): string {
  return s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length);
}

function fit(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : pad(s, n);
}

export function verdictText(r: RunResult): string {
  if (r.verdict === 'violated') return `VIOLATED ${r.invariant ?? ''}`.trim();
  if (r.verdict === 'incomplete') return `incomplete (${r.budgetHit ?? 'budget'})`;
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

const CELL = 34;

/** One row per step; the step sits in its CPU's column, its state change on the right. */
export function traceColumns(r: RunResult): string {
  const trace = r.trace ?? [];
  const columns: string[] = [];
  for (const c of r.cpus) columns.push(c.id);
  for (const t of trace) if (!columns.includes(t.cpu)) columns.push(t.cpu);
  const labels = new Map<string, string>(r.cpus.map((c) => [c.id, c.label]));
  for (const t of trace) if (!labels.has(t.cpu)) labels.set(t.cpu, t.label);
  const num = String(trace.length).length + 1;
  const header = ' '.repeat(num) + ' ' + columns.map((c) => fit(`${c} ${c === 'io' || c === 'final' ? '' : labels.get(c) ?? ''}`.trim(), CELL)).join(' │ ') + ' │ state';
  const out = [header, ' '.repeat(num) + ' ' + columns.map(() => '─'.repeat(CELL)).join('─┼─') + '─┼──────'];
  const lastFn = new Map<string, string>();
  const blank = ' '.repeat(CELL);
  let lastStep = 0;
  for (const t of trace) {
    // a function's name gets a row of its own in its CPU's column when it changes
    if (lastFn.get(t.cpu) !== t.function) {
      lastFn.set(t.cpu, t.function);
      out.push(`${' '.repeat(num)} ${columns.map((c) => (c === t.cpu ? fit(t.function, CELL) : blank)).join(' │ ')} │`);
    }
    const op = t.op.replace(/^(load|store) /, '');
    const cells = columns.map((c) => (c === t.cpu ? fit(`  ${op}`, CELL) : blank));
    const remarks = t.remarks.length ? ` (${t.remarks.join('; ')})` : '';
    // the rows of one atomic step (a lock taken or released with its neighbour) share its number
    const number = t.step === lastStep ? '' : String(t.step);
    lastStep = t.step;
    out.push(`${number.padStart(num)} ${cells.join(' │ ')} │ ${t.state}${remarks}`);
  }
  return out.join('\n');
}

/** " · 3 assumptions" when the verdict rests on any (the count is part of the verdict). */
export function assumptionCount(r: RunResult): string {
  const n = (r.assumptions ?? []).length;
  return n === 0 ? '' : ` · ${n} assumption${n === 1 ? '' : 's'}`;
}

/** One line per assumption: `  assumption: file:line:column: message (in function)`. */
export function assumptionLines(r: RunResult): string[] {
  return (r.assumptions ?? []).map((a) => `  assumption: ${a.at ? `${a.at.file}:${a.at.line}:${a.at.column}: ` : ''}${a.message}${a.function ? ` (in ${a.function})` : ''}`);
}

export function runReport(r: RunResult, withTrace: boolean): string {
  if (r.verdict === 'error') return `${r.message ?? 'error'}\n  (running ${r.scenario}, era ${r.era}${r.fs ? `, fs ${r.fs}` : ''})`;
  const lines = [`${r.scenario}, era ${r.era}${r.fs ? `, fs ${r.fs}` : ''}: ${verdictText(r)}${assumptionCount(r)}${r.message ? ` — ${r.message}` : ''}`];
  lines.push(`  ${summaryLine(r)}`, ...assumptionLines(r));
  if (withTrace && r.trace) {
    lines.push('', traceColumns(r), '', `  replay: racelens run ${r.scenario} --era ${r.era}${r.fs ? ` --fs ${r.fs}` : ''} --replay '${r.schedule}'`);
  }
  return lines.join('\n');
}
