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

/** Why a run did not pass, in one line: never a red result without it. */
export function whyLine(r: RunResultJson): string {
  const expected = r.expected ? [r.expected.verdict, ...r.expected.invariants].join(' ') : 'holds';
  if (r.verdict === 'error') return `why: the run could not be made: ${(r.message ?? 'no message').split('\n')[0]}`;
  if (r.verdict === 'incomplete') return `why: stopped by ${r.budgetHit ? `the ${r.budgetHit} budget` : 'a budget'} before every interleaving was explored`;
  const fromSource = (r.models ?? []).filter((m) => m.from === 'source').length;
  const source = fromSource ? `; ${fromSource} function${fromSource === 1 ? '' : 's'} ran from the workspace's source in place of the era's built-in models, which the expect line was written for` : '';
  // an overlay's fix or bug lives in its built-in models: over a tree, the tree's own code may run instead
  if (r.verdict === 'violated') return `why: expected ${expected}, but ${r.invariant ?? 'an invariant'} was violated (the trace below)${r.era.includes('+') ? source : ''}`;
  return `why: expected ${expected}, but no interleaving violated it${source}`;
}

/** The failure message's lines: verdict, why, explanation, expectation, then the trace as a fenced block. */
export function failureLines(r: RunResultJson): string[] {
  const verdict = `${r.verdict}${r.invariant ? ' ' + r.invariant : ''}${r.budgetHit ? ` (${r.budgetHit})` : ''}`;
  const lines = [`**${r.scenario} ${r.era}: ${verdict}**`, '', whyLine(r), ''];
  if (r.sourceNote) lines.push(r.sourceNote, '');
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
