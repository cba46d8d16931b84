/**
 * A function's description as plain text (`racelens explain`) and as markdown (the
 * editor's hover). Text that comes from source files (notes, assumptions, paths,
 * program listings) is escaped in markdown, so that no file can make a link, HTML or a
 * `command:` uri appear in a hover.
 */
import { bodyRuns, bodyRunsOf } from './body-runs.js';
import { bodyRunsLine } from '../catalog/boundary-messages.js';
import * as path from 'node:path';
import { formatProgram } from '../lift/index.js';
import { primitives } from '../sim/ops/index.js';
import { noopReason } from '../catalog/noops.js';
import { primitiveReason } from '../catalog/primitive-reasons.js';
import type { FunctionDescription, RaceDescription } from './function-description.js';

/**
 * Escapes what a markdown renderer could turn into markup: emphasis, code, links and
 * images (brackets), raw HTML and entities, tables, strikethrough, and the autolinks of
 * GFM (`scheme:`, `www.`, `a@b`). Line breaks become spaces, so no text starts a block.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>&|~:@!#]/g, (c) => `\\${c}`)
    .replace(/(www)\./gi, '$1\\.')
    .replace(/\r?\n/g, ' ');
}

/** A code span that no backtick in `text` can close early. */
export function codeSpan(text: string): string {
  const clean = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${clean.startsWith('`') || clean.endsWith('`') ? ` ${clean} ` : clean}${fence}`;
}

/** A fenced block that no line of `text` can close early. */
function fenced(text: string, lang: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

function raceLine(r: RaceDescription): string {
  const fixed = r.fixedBy.length
    ? `fixed by ${r.fixedBy.map((f) => `${f.commit} in ${f.version}`).join(', ')}`
    : r.fix ? (r.fix.version === 'none' ? r.fix.what : `fixed in ${r.fix.version}: ${r.fix.what}`) : 'no fix recorded';
  // seed threads are named NNN_hash.txt: the number is how the catalog's history cites them
  const seeds = r.from.map((f) => /^(\d{3})_/.exec(f)?.[1] ?? f);
  return `${r.scenario}${r.year ? ` (${r.year})` : ''}: ${r.broke ?? r.title}; ${fixed}. Runs that reach it: ${r.eras.join(', ')}.${seeds.length ? ` [seed ${seeds.join(', ')}]` : ''}`;
}

/** A location as the CLI shows files: relative to the working directory; the body's file as the body shows it. */
function shownFile(at: { uri: string; file?: string }, body: { file: string; at: { uri: string } }): string {
  if (at.uri === body.at.uri) return body.file;
  return at.file ? path.relative(process.cwd(), at.file) || at.file : at.uri;
}

/**
 * Whether the body the source gives is what runs, in the words of the editor's lens and
 * hover; nothing when the description was built without source and the catalog's rules
 * alone do not decide it.
 */
function bodyRunsSaid(d: FunctionDescription): string | undefined {
  const withSource = d.body.kind === 'lifted' || (d.body.kind === 'builtin' && !!d.body.fallback);
  if (!withSource && bodyRuns(d.name).runs === 'source') return undefined;
  return bodyRunsLine(bodyRunsOf(d));
}

function bodyHeadline(d: FunctionDescription): string {
  const b = d.body;
  switch (b.kind) {
    case 'primitive': {
      const why = primitiveReason(b.name) ?? primitiveReason(d.name);
      return `${d.name} is a simulator primitive: one atomic step. ${b.doc}${why ? `. The kernel's body is not run: ${why}.` : ''}`;
    }
    case 'noop': return `${d.name} is a known no-op for the simulator: ${noopReason(d.name) ?? 'statistics, tracing, barriers or memcg bookkeeping'}.`;
    case 'unknown': return `no model, primitive or catalog entry named '${d.name}' in era ${d.era}`;
    default:
      return `${b.function}: ${b.kind === 'lifted' ? 'lifted from source' : `built-in model, era ${d.era}`}, ${b.file}:${b.at.line} (${b.status})`;
  }
}

/** Plain text; `program: true` adds the listing of the steps the simulator runs. */
export function describeText(d: FunctionDescription, opts: { program?: boolean } = {}): string {
  const out: string[] = [];
  const e = d.entry;
  if (!e && d.body.kind === 'unknown') return bodyHeadline(d);
  if (e) {
    out.push(`${e.names.join(' / ')} (${e.file}): ${e.description}`);
    out.push(`Reads: ${e.reads.join(', ') || '-'}. Writes: ${e.writes.join(', ') || '-'}.`);
  }
  if (d.otherNames.length) {
    out.push(`Other names: ${d.otherNames.map((o) => `${o.name}${o.eras.length ? ` (${o.eras.join(', ')})` : ''}`).join('; ')}.`);
  }
  out.push(d.races.length ? 'Races:' : 'Races: none of the built-in scenarios reaches it.');
  for (const r of d.races) out.push(`  ${raceLine(r)}`);
  if (d.history.length) out.push('History:');
  for (const h of d.history) out.push(`  ${h.version}${h.commit ? ` (${h.commit})` : ''}${h.seed ? ` [seed ${h.seed}]` : ''}: ${h.what}`);
  if (d.alwaysBuiltin) out.push(`Always the built-in model: ${d.alwaysBuiltin}.`);
  out.push('');
  const runs = bodyRunsSaid(d);
  if (runs) out.push(`Body: ${runs}`);
  out.push(bodyHeadline(d));
  const b = d.body;
  if (b.kind === 'lifted' || b.kind === 'builtin') {
    if (b.fallback) out.push(`(${b.fallback})`);
    if (opts.program) out.push(formatProgram(b.program, { isPrimitive: (n: string) => { const p = primitives.get(n); return !!p && !p.pure; } }));
    out.push('', b.notes.length ? 'Notes:' : 'Notes: none');
    for (const n of b.notes) out.push(`  line ${n.line}: ${n.what}`);
    // what a run of this body would rest on: calls and names the simulator does not know
    out.push('', b.assumptions.length ? 'Assumptions:' : 'Assumptions: none');
    for (const a of b.assumptions) out.push(`  ${a.at ? `${shownFile(a.at, b)}:${a.at.line}:${a.at.column}: ` : ''}${a.message}`);
  }
  return out.join('\n');
}

/** Markdown for a hover: everything but catalog identifiers escaped. */
export function describeMarkdown(d: FunctionDescription, opts: { program?: boolean } = {}): string {
  const out: string[] = [];
  const e = d.entry;
  const esc = escapeMarkdown;
  if (e) {
    out.push(`**${esc(d.name)}** · ${codeSpan(e.file)} · ${e.kind === 'primitive' ? 'simulator primitive' : 'modeled step by step'}`);
    out.push('', esc(e.description));
    out.push('', `**Reads** ${esc(e.reads.join(', ') || '-')} · **Writes** ${esc(e.writes.join(', ') || '-')}`);
  } else {
    out.push(`**${esc(d.name)}**`);
  }
  if (d.otherNames.length) {
    out.push('', `**Other eras** ${d.otherNames.map((o) => `${codeSpan(o.name)}${o.eras.length ? ` (${esc(o.eras.join(', '))})` : ''}`).join(' · ')}`);
  }
  if (d.races.length) {
    out.push('', '**Races**', '');
    for (const r of d.races) out.push(`- ${esc(raceLine(r))}`);
  }
  if (d.alwaysBuiltin) out.push('', `Always the built-in model: ${esc(d.alwaysBuiltin)}.`);
  const runs = bodyRunsSaid(d);
  if (runs) out.push('', `**Body** ${esc(runs)}`);
  out.push('', esc(bodyHeadline(d)));
  const b = d.body;
  if (b.kind === 'lifted' || b.kind === 'builtin') {
    if (b.fallback) out.push('', esc(b.fallback));
    if (opts.program) out.push('', fenced(formatProgram(b.program), 'text'));
    if (b.notes.length) {
      out.push('', '**Notes**', '');
      for (const n of b.notes) out.push(`- line ${n.line}: ${esc(n.what)}`);
    }
    if (b.assumptions.length) {
      out.push('', '**Assumptions**', '');
      for (const a of b.assumptions) out.push(`- ${a.at ? `line ${a.at.line}: ` : ''}${esc(a.message)}`);
    }
  }
  return out.join('\n');
}
