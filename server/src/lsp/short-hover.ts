/**
 * The hover of a kernel function in a C document, short: what it is, what it reads and
 * writes, whether this body is what runs, and its one or two most relevant races with
 * their verdicts against the text on screen. The rest (every race with its history,
 * other eras' names, the lifted body, notes and assumptions) is one click away, in the
 * lifted-program view (`racelens.explainFunction`).
 *
 * Built from the catalog and the verdicts only, plus a description when the background
 * preparation has one ready: a hover never lifts a body.
 */
import type { CatalogEntry } from '../catalog/functions.js';
import { bodyRunsLine, type BodyRuns } from '../catalog/boundary-messages.js';
import { codeSpan, escapeMarkdown as esc } from '../describe/index.js';
import type { DescribedBody } from './described-bodies.js';
import type { RaceInfo } from './races.js';
import type { RaceVerdict } from './race-verdicts.js';
import { verdictLine } from './function-hover.js';

/** The races a short hover names; the others are counted. */
const SHOWN_RACES = 2;

export interface ShortHoverInput {
  name: string;
  entry: Pick<CatalogEntry, 'file' | 'kind' | 'description' | 'reads' | 'writes'>;
  body: BodyRuns;
  /** where the body comes from, when the worker has lifted it (its file and line, a lift that fell back) */
  detail?: DescribedBody['detail'];
  /** most relevant first */
  races: readonly RaceInfo[];
  verdictOf: (race: RaceInfo) => RaceVerdict | undefined;
  /** the document, for the link to the rest */
  uri: string;
  /** an absolute path or a document's uri as users see it (relative to the tree) */
  shown: (pathOrUri: string) => string;
}

function raceLine(race: RaceInfo, v: RaceVerdict | undefined): string {
  const head = `${esc(race.name)} (${esc(race.year || race.era)})`;
  // a verdict from before an edit is not shown as the verdict of this text
  if (!v) return `- ${head}: not run against this text`;
  if (v.stale) return `- ${head}: last run before your edit; not yet run against this text`;
  return `- ${head}, era ${esc(v.result.era)}: ${esc(verdictLine(v.result))}`;
}

function bodyDetail(b: DescribedBody['detail'], shown: (abs: string) => string): string | undefined {
  if (!b) return undefined;
  // a body from an editor's document (the old side of a diff: a git: uri) by its path, never its encoded uri
  const fromDocument = !b.file && /^(?!racelens-builtin:)[a-z][\w+.-]*:/.test(b.uri) ? b.uri : undefined;
  const where = codeSpan(`${b.file ? shown(b.file) : fromDocument ? shown(fromDocument) : b.shown}:${b.line}`);
  return b.kind === 'lifted' ? `lifted from ${where}` : `built-in model at ${where}${b.fallback ? ` (${esc(b.fallback)})` : ''}`;
}

export function shortHover(h: ShortHoverInput): string {
  const out: string[] = [];
  out.push(`**${esc(h.name)}** · ${codeSpan(h.entry.file)} · ${h.entry.kind === 'primitive' ? 'simulator primitive' : 'modeled step by step'}`);
  out.push('', esc(h.entry.description));
  out.push('', `**Reads** ${esc(h.entry.reads.join(', ') || '-')} · **Writes** ${esc(h.entry.writes.join(', ') || '-')}`);
  const detail = bodyDetail(h.detail, h.shown);
  out.push('', `**Body** ${esc(bodyRunsLine(h.body))}${detail && h.body.runs !== 'unreached' ? ` · ${detail}` : ''}`);
  if (h.races.length) {
    out.push('', `**Races** ${h.races.length > SHOWN_RACES ? `(${SHOWN_RACES} of ${h.races.length}, most relevant first)` : ''}`.trimEnd(), '');
    for (const r of h.races.slice(0, SHOWN_RACES)) out.push(raceLine(r, h.verdictOf(r)));
  }
  const args = encodeURIComponent(JSON.stringify([{ function: h.name, uri: h.uri }]));
  out.push('', `[All races, history and the lifted body](command:racelens.explainFunction?${args})`);
  return out.join('\n');
}
