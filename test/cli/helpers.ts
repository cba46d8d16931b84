/** Running the `racelens` CLI as a child process, and small shared checks. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import assert from 'node:assert/strict';

/** /work/main: test/out/cli -> test/out -> test -> root. */
export const ROOT = path.join(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'server', 'bin', 'racelens.js');
export const TIMEOUT_MS = 120_000;

export interface CliRun {
  args: string[];
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** One CLI call: node server/bin/racelens.js ARGS, run from the repository root. */
export function cli(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): CliRun {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`racelens ${args.join(' ')}: ${r.error.message}`);
  return { args, status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/** What to show when an assertion about a run fails. */
export function show(r: CliRun): string {
  const cut = (s: string) => (s.length > 1500 ? s.slice(0, 1500) + '…' : s);
  return `racelens ${r.args.join(' ')} -> exit ${r.status} (signal ${r.signal}) in ${r.ms} ms\n--- stdout\n${cut(r.stdout)}\n--- stderr\n${cut(r.stderr)}`;
}

export function exitCode(r: CliRun, code: number): void {
  assert.equal(r.signal, null, show(r));
  assert.equal(r.status, code, show(r));
}

/** A Node stack frame ("    at fn (file:1:2)") or an uncaught-error banner. */
export function assertNoStack(text: string, context: string): void {
  assert.doesNotMatch(text, /^\s+at .*(\(.*:\d+:\d+\)|:\d+:\d+)$/m, `stack trace in output of ${context}:\n${text.slice(0, 1500)}`);
  assert.doesNotMatch(text, /node:internal|Uncaught|TypeError|RangeError|ReferenceError/, `internal error in output of ${context}:\n${text.slice(0, 1500)}`);
}

export interface JsonTraceRow {
  step: number;
  cpu: string;
  op: string;
  function: string;
  file?: string;
  line?: number;
  state: string;
}

export interface JsonResult {
  scenario: string;
  era: string;
  verdict: string;
  invariant?: string;
  message?: string;
  executions: number;
  states: number;
  ms: number;
  models: { function: string; from: string; file?: string; line?: number; notes?: unknown }[];
  trace?: JsonTraceRow[];
  schedule?: string;
}

/** stdout of `run --json`: exactly one JSON object whose only key is `results`. */
export function parseJson(r: CliRun): JsonResult[] {
  let doc: unknown;
  try {
    doc = JSON.parse(r.stdout);
  } catch (err) {
    assert.fail(`stdout is not one JSON document (${(err as Error).message})\n${show(r)}`);
  }
  assert.ok(doc !== null && typeof doc === 'object' && !Array.isArray(doc), show(r));
  assert.deepEqual(Object.keys(doc as object), ['results'], show(r));
  const results = (doc as { results: unknown }).results;
  assert.ok(Array.isArray(results), show(r));
  return results as JsonResult[];
}

/** The fields of a trace row that a replay must reproduce. */
export function traceKey(rows: readonly JsonTraceRow[]): Pick<JsonTraceRow, 'step' | 'cpu' | 'op' | 'function' | 'file' | 'line' | 'state'>[] {
  return rows.map((t) => ({ step: t.step, cpu: t.cpu, op: t.op, function: t.function, file: t.file, line: t.line, state: t.state }));
}

/** 1-based line and column of the first occurrence of `needle` (after `from`) in `text`. */
export function positionOf(text: string, needle: string, from = 0): { line: number; column: number } {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`positionOf: '${needle}' not in text`);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/** The CPU of each atomic step, in order: what a schedule lists (rows of one step share its number). */
export function stepCpus(rows: readonly { step: number; cpu: string }[]): string[] {
  const out: string[] = [];
  let last = 0;
  for (const r of rows) {
    if (r.step !== last) out.push(r.cpu);
    last = r.step;
  }
  return out;
}
