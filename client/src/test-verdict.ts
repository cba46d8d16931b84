/**
 * What the Test Explorer makes of a run: passed or failed, and the failure as text
 * (the verdict, the invariant in a sentence, the trace one row per step). Pure, no
 * vscode import.
 */
import type { RunResultJson } from './protocol.js';
import { stepLocation } from './trace/html.js';

/** Passed: the run ended as its expect line says; without one, it holds. */
export function runPassed(r: RunResultJson): boolean {
  if (r.verdict === 'incomplete' || r.verdict === 'error') return false;
  if (r.asExpected !== undefined) return r.asExpected;
  return r.verdict === 'holds';
}

/** The failure message's lines: verdict, explanation, expectation, then the trace as a fenced block. */
export function failureLines(r: RunResultJson): string[] {
  const verdict = `${r.verdict}${r.invariant ? ' ' + r.invariant : ''}${r.budgetHit ? ` (${r.budgetHit})` : ''}`;
  const lines = [`**${r.scenario} ${r.era}: ${verdict}**`, ''];
  if (r.invariantExplanation) lines.push(r.invariantExplanation, '');
  if (r.message) lines.push(r.message, '');
  if (r.expected) lines.push(`expected: ${r.expected.verdict} ${r.expected.invariants.join(' ')}`.trim(), '');
  if (r.trace?.length) {
    lines.push('```');
    for (const s of r.trace) {
      const at = stepLocation(s);
      const where = at ? `   (${at.uri.replace(/^.*\//, '')}:${at.line})` : '';
      lines.push(`${String(s.step).padStart(3)} ${s.cpu.padEnd(6)} ${s.function}: ${s.op}${s.state ? `   [${s.state}]` : ''}${where}${s.violation ? `   <-- ${r.invariant ?? 'violation'}` : ''}`);
    }
    lines.push('```');
  }
  return lines;
}
