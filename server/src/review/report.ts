/** The review's answer as a table with traces, as a mail reply (72 columns), or as JSON. */
import { runReport, wrapText } from '../report/run-report.js';
import { toResultJson } from '../scenario/to-result-json.js';
import type { RunResult } from '../scenario/run.js';
import type { StepReport } from './review.js';
import type { HunkReport } from './series.js';

export const REVIEW_JSON_VERSION = 1;

/** 2: no hunk of any patch applied; 1: something breaks; 3: a budget stopped a run; else 0. */
export function reviewExitStatus(steps: readonly StepReport[]): number {
  const races = steps.flatMap((s) => s.races);
  if (!steps.some((s) => s.step.hunks.some((h) => h.applied))) return 2;
  if (races.some((r) => r.change === 'breaks')) return 1;
  if (races.some((r) => r.change === 'incomplete')) return 3;
  return 0;
}

function place(h: HunkReport): string {
  return `${h.at.file}:${h.at.line}`;
}

export function hunkLine(h: HunkReport): string {
  const fn = h.function ? ` ${h.function}()` : '';
  if (h.applied) return `${place(h)}: ${h.file}${fn}: applied (${h.how})${h.target ? ` at ${h.target}` : ''}${h.note ? ` — ${h.note}` : ''}`;
  return `${place(h)}: ${h.file}${fn}: ${h.ambiguous ? 'AMBIGUOUS' : 'not applied'}: ${h.why}`;
}

function table(rows: string[][]): string[] {
  if (!rows.length) return [];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
}

/**
 * A trace as lines of text, one step a line (the CPU, the function, the operation, its
 * source line, what changed): what a mail reply can hold where the column layout cannot.
 */
function linearTrace(r: RunResult, width: number): string[] {
  const out = wrapText(`${r.scenario}, era ${r.era}: ${r.verdict === 'violated' ? `VIOLATED ${r.invariant}` : r.verdict}${r.message ? ` — ${r.message}` : ''}`, width, '  ');
  out.push(`  ${r.executions} executions, ${r.states} distinct states`);
  for (const row of r.trace ?? []) {
    const where = row.file ? ` (${row.file}:${row.line})` : '';
    out.push(...wrapText(`  ${row.step}. ${row.cpu} ${row.function}: ${row.op}${where}${row.state ? ` => ${row.state}` : ''}`, width, '       '));
  }
  return out;
}

export function textReport(steps: readonly StepReport[], width: number, opts: { linear?: boolean } = {}): string {
  const out: string[] = [];
  steps.forEach((s, k) => {
    const p = s.step.patch;
    const quoted = p.quoteDepth ? `, quoted at depth ${p.quoteDepth}` : '';
    out.push(...wrapText(`patch ${k + 1}/${steps.length}: ${p.subject || '(no subject)'} (${p.at.file}:${p.at.line}${quoted}${p.from ? `, from ${p.from}` : ''})`, width, '  '));
    for (const h of s.step.hunks) out.push(...wrapText(`  ${hunkLine(h)}`, width, '      '));
    if (s.races.length) {
      // one block per race, one row per invariant of its check line: narrow enough for a mail
      for (const r of s.races) {
        out.push('', `  ${r.scenario} (${r.era}): ${r.change}  [reaches ${r.reaches.map((f) => f + '()').join(', ')}]`);
        const rows = r.invariants.map((i) => [`    ${i.name}`, `${i.before} -> ${i.after}`, i.change]);
        out.push(...table(rows));
      }
      for (const r of s.races) {
        for (const t of r.traces) {
          out.push('', `  ${t.change === 'breaks' ? 'new violation' : 'violation removed'} of ${t.invariant} in ${r.scenario} (${t.change === 'breaks' ? 'after' : 'before'} the patch):`);
          // the assumptions are the run's, listed by --json; here their count is said
          const n = t.run.assumptions?.length ?? 0;
          const shown = opts.linear ? linearTrace(t.run, width - 2).join('\n') : runReport({ ...t.run, assumptions: [] }, { withTrace: true, width: width - 2 });
          out.push(...shown.split('\n').map((l) => `  ${l}`));
          if (n) out.push(`  (the verdict rests on ${n} assumption${n === 1 ? '' : 's'}: racelens review --json lists them)`);
        }
      }
    } else if (s.step.changed.length && s.notRun.length) {
      out.push('', `  no race that reaches this patch is judged in ${s.notRun[0]!.era}:`);
    } else if (s.step.changed.length) {
      out.push('', '  no race reaches the functions this patch changes:');
    } else {
      out.push('', '  no hunk of this patch changed a function racelens can run');
    }
    // reached, but the era is older than every release the scenario names: no verdict shown
    if (s.notRun.length) {
      if (s.races.length) out.push('', `  not run in ${s.notRun[0]!.era} (older than their scenarios; --json lists them under notRun):`);
      for (const n of s.notRun) out.push(...wrapText(`    ${n.scenario}: ${n.reason}`, width, '      '));
    }
    if ((s.races.length || s.notRun.length) && s.unreached.length) out.push('', '  changed, but no race reaches it:');
    for (const k of s.knows) out.push(...wrapText(`    ${k.function}(): ${k.what}`, width, '      '));
    out.push('');
  });
  return out.join('\n');
}

/** Plain text for a mail reply: 72 columns, traces as text, assumptions said. */
export function replyReport(steps: readonly StepReport[]): string {
  const body = textReport(steps, 72, { linear: true }).split('\n').flatMap((l) => (l.length > 72 ? wrapText(l, 72, '    ') : [l]));
  const assumed = new Set<string>();
  for (const s of steps) for (const r of s.races) for (const a of r.after.assumptions ?? []) assumed.add(a.message);
  const tail = assumed.size ? ['', 'What this rests on (racelens could not follow it in the source):', ...[...assumed].slice(0, 20).flatMap((m) => wrapText(`- ${m}`, 72, '  '))] : [];
  return ['racelens review of the patch' + (steps.length > 1 ? ` series (${steps.length} patches)` : ''), '', ...body, ...tail].join('\n') + '\n';
}

function resultJson(r: RunResult, sources: string[]) {
  return toResultJson(r, { scenario: r.scenario, era: r.era, sources, reduction: 'full' });
}

export function jsonReport(steps: readonly StepReport[], sources: string[]): object {
  return {
    version: REVIEW_JSON_VERSION,
    patches: steps.map((s) => ({
      subject: s.step.patch.subject,
      at: `${s.step.patch.at.file}:${s.step.patch.at.line}`,
      hunks: s.step.hunks.map((h) => ({
        file: h.file, function: h.function ?? null, applied: h.applied, how: h.how ?? null,
        at: `${h.at.file}:${h.at.line}`, ...(h.target ? { target: h.target } : {}), ...(h.why ? { why: h.why } : {}), ...(h.note ? { note: h.note } : {}),
      })),
    })),
    races: steps.flatMap((s, k) => s.races.map((r) => ({
      patch: k + 1, scenario: r.scenario, era: r.era, change: r.change, reaches: r.reaches,
      invariants: r.invariants,
      before: resultJson(r.before, sources), after: resultJson(r.after, sources),
    }))),
    notRun: steps.flatMap((s, k) => s.notRun.map((n) => ({ patch: k + 1, ...n }))),
    unreached: [...new Set(steps.flatMap((s) => s.unreached))],
    known: steps.flatMap((s) => s.knows),
  };
}
