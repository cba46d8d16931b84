/**
 * Diagnostics for `.race` files: the record every phase reports into, a collector
 * that keeps a bad file from flooding the editor, and the one-line CLI format.
 */

import type { Position, Range } from './ast.js';

export type Severity = 'error' | 'warning';

/**
 * Stable codes, so tests, the language server's quick fixes and users' grep can key
 * on them without depending on message wording.
 */
export type DiagnosticCode =
  | 'binary-data'
  | 'unterminated-string'
  | 'unexpected-token'
  | 'unclosed-block'
  | 'bad-name'
  | 'bad-number'
  | 'bad-commit'
  | 'unknown-word'
  | 'conflicting-words'
  | 'missing-race'
  | 'missing-era'
  | 'missing-check'
  | 'missing-setup'
  | 'missing-label'
  | 'missing-index'
  | 'missing-verdict'
  | 'missing-invariant'
  | 'no-files'
  | 'no-cpu-blocks'
  | 'missing-cpu-block'
  | 'duplicate-cpu-block'
  | 'bad-cpu-block'
  | 'duplicate-header'
  | 'duplicate-name'
  | 'duplicate-option'
  | 'duplicate-expect'
  | 'duplicate-invariant'
  | 'unknown-operation'
  | 'wrong-arity'
  | 'unknown-invariant'
  | 'unknown-era'
  | 'unknown-overlay'
  | 'unknown-filesystem'
  | 'undefined-object'
  | 'wrong-object-kind'
  | 'page-not-in-file'
  | 'expect-not-checked'
  | 'empty-block'
  | 'too-many-diagnostics'
  | 'too-large'
  | 'internal-error';

export interface Diagnostic {
  file: string;
  range: Range;
  severity: Severity;
  code: DiagnosticCode | string;
  message: string;
}

/** Past this many, more diagnostics only bury the first (usually causal) one. */
export const MAX_DIAGNOSTICS = 50;

export function formatPosition(p: Position): string {
  return `${p.line}:${p.column}`;
}

/** `file:line:col: error: message`, the shape compilers use so editors link it. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${formatPosition(d.range.start)}: ${d.severity}: ${d.message}`;
}

export function compareRanges(a: Range, b: Range): number {
  return a.start.line - b.start.line || a.start.column - b.start.column;
}

/**
 * Collects diagnostics up to the cap; the last slot says that the rest were dropped.
 * `full` lets the parser stop early, which also bounds the time spent on garbage.
 */
export class DiagnosticSink {
  private readonly items: Diagnostic[] = [];
  private overflow: Diagnostic | undefined;
  private errorCount = 0;

  constructor(readonly file: string, private readonly cap: number = MAX_DIAGNOSTICS) {}

  get full(): boolean {
    return this.overflow !== undefined;
  }

  get errors(): number {
    return this.errorCount;
  }

  error(range: Range, code: DiagnosticCode, message: string): void {
    this.add(range, 'error', code, message);
  }

  warning(range: Range, code: DiagnosticCode, message: string): void {
    this.add(range, 'warning', code, message);
  }

  private add(range: Range, severity: Severity, code: DiagnosticCode, message: string): void {
    if (this.overflow) return;
    if (severity === 'error') this.errorCount++;
    if (this.items.length >= this.cap - 1) {
      this.errorCount++;
      this.overflow = {
        file: this.file, range, severity: 'error', code: 'too-many-diagnostics',
        message: `too many diagnostics; stopped after ${this.cap - 1}`,
      };
      return;
    }
    this.items.push({ file: this.file, range, severity, code, message });
  }

  /** Sorted by position so the list reads top to bottom; the overflow note stays last. */
  result(): Diagnostic[] {
    const sorted = this.items.slice().sort((a, b) => compareRanges(a.range, b.range));
    if (this.overflow) sorted.push(this.overflow);
    return sorted;
  }
}
