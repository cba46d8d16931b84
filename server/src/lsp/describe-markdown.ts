/**
 * What a hover says about a kernel function: the catalog's description, what it reads
 * and writes, its names in other eras, the races it takes part in (with a line of
 * history each and the latest verdict against this body), and where its model comes
 * from. Adapter over the catalog until describeFunction (server/src/describe/) lands.
 * Every piece of text is escaped: none of it may become a link or HTML.
 */
import { entryByName } from '../catalog/functions.js';
import { primitives } from '../sim/ops/index.js';
import { racesOf } from './function-races.js';
import { escapeMarkdown as esc, inlineCode } from './markdown.js';
import type { RunResultJson } from '../scenario/result-json.js';

export interface BodyInfo {
  /** 'document': this document defines it; 'workspace': a file of the workspace; 'builtin': the era's model */
  from: 'document' | 'workspace' | 'builtin';
  /** shown path and line */
  where?: string;
  era?: string;
}

export function verdictLine(r: RunResultJson): string {
  if (r.verdict === 'holds') return `✓ holds · ${r.executions.toLocaleString('en-US')} executions`;
  if (r.verdict === 'violated') {
    const steps = r.trace?.length ? r.trace[r.trace.length - 1].step : 0;
    return `✗ ${r.invariant ?? 'violated'} in ${steps} steps`;
  }
  if (r.verdict === 'incomplete') return `… incomplete (${r.budgetHit ?? 'budget'}) · ${r.executions.toLocaleString('en-US')} executions`;
  return `⚠ error: ${(r.message ?? '').split('\n')[0]}`;
}

/** Markdown for `name`, or undefined when it is no catalog function and no primitive. */
export function describeMarkdown(name: string, body: BodyInfo, latest: (race: string) => RunResultJson | undefined): string | undefined {
  const entry = entryByName(name);
  const prim = primitives.get(name);
  if (!entry && !prim) return undefined;
  const out: string[] = [];
  if (entry) {
    const op = entry.kind === 'primitive' ? 'simulator primitive (one atomic step)' : 'kernel function, run step by step';
    out.push(`**${esc(name)}** — ${esc(op)} · ${inlineCode(entry.file)}`, '');
    out.push(esc(entry.description), '');
    out.push(`Reads: ${esc(entry.reads.join(', ') || '-')}  `);
    out.push(`Writes: ${esc(entry.writes.join(', ') || '-')}`);
    const others = entry.names.filter((n) => n !== name);
    if (others.length) out.push('', `Other eras' names: ${others.map(inlineCode).join(', ')}`);
  } else if (prim) {
    out.push(`**${esc(name)}** — simulator primitive (one atomic step)`, '', esc(prim.doc));
    if (prim.reads?.length) out.push('', `Reads: ${esc(prim.reads.join(', '))}  `);
    if (prim.writes?.length) out.push(`Writes: ${esc(prim.writes.join(', '))}`);
  }
  const races = racesOf(name);
  if (races.length) {
    out.push('', '**Races**', '');
    for (const r of races) {
      const fix = r.fixedBy.length ? ` — fixed by ${r.fixedBy.map((f) => `${inlineCode(f.commit)} in ${esc(f.version)}`).join(', ')}` : '';
      out.push(`- **${esc(r.name)}** (${esc(r.year || r.era)}): ${esc(r.title)}${fix}`);
      const last = latest(r.name);
      if (last) out.push(`  - last run here, era ${esc(last.era)}: ${esc(verdictLine(last))}`);
    }
  }
  if (entry?.history.length) {
    out.push('', '**History**', '');
    for (const h of entry.history) {
      out.push(`- ${esc(h.version)}${h.commit ? ` (${inlineCode(h.commit)})` : ''}: ${esc(h.what)}`);
    }
  }
  out.push('');
  if (entry?.lift) out.push(`Model: always the built-in model — ${esc(entry.lift.why)}.`);
  else if (entry?.kind === 'primitive' || (!entry && prim)) out.push('Model: a primitive of the simulator.');
  else if (body.from === 'document') out.push(`Model: lifted from this document${body.where ? ` (${esc(body.where)})` : ''}.`);
  else if (body.from === 'workspace') out.push(`Model: lifted from the workspace, ${esc(body.where ?? '')}.`);
  else out.push(`Model: built-in${body.era ? `, era ${esc(body.era)}` : ''} (no definition in the workspace).`);
  return out.join('\n');
}
