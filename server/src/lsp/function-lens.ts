/**
 * One lens above each kernel function the catalog knows: whether its body is what runs
 * (before any run), its races with their verdicts against the text on screen, the most
 * relevant race first. One race runs on click; several open a choice
 * (`racelens.pickRace`). A verdict from before an edit says so and counts apart.
 */
import type { CodeLens } from 'vscode-languageserver';
import { bodyRunsLine, type BodyRuns } from '../catalog/boundary-messages.js';
import type { DefinitionSite } from '../index/c-definitions.js';
import { Commands, type PickRaceParams, type RunRaceParams, type RunResultJson } from './protocol.js';
import { racesByRelevance, type RaceInfo } from './races.js';
import type { RaceVerdict } from './race-verdicts.js';
import { verdictLine } from './function-hover.js';
import type { OldSide } from './diff-sides.js';

export interface LensContext {
  era: string | undefined;
  /** the verdict of `race` for the document's text, if it has run */
  verdictOf(race: RaceInfo): RaceVerdict | undefined;
  /** whether `name`'s body on screen is what the next run follows */
  bodyRunsOf(name: string): BodyRuns;
  /** the old side of a diff this document is the new side of, with its verdicts */
  old?: { side: OldSide; verdictOf(race: RaceInfo): RaceVerdict | undefined };
}

const SYMBOLS: Record<RunResultJson['verdict'], string> = { holds: '✓', violated: '✗', incomplete: '…', error: '⚠' };

/** A verdict in a few words: its line, or `✓ holds · before your edit` when the text changed since. */
export function verdictWords(v: RaceVerdict): string {
  if (!v.stale) return verdictLine(v.result);
  return `${SYMBOLS[v.result.verdict]} ${v.result.verdict === 'violated' ? v.result.invariant ?? 'violated' : v.result.verdict} · before your edit`;
}

/** `▶ 5 races · ✓ 4 · ✗ 1`, with the verdicts from before an edit counted apart. */
function summary(races: readonly RaceInfo[], verdicts: (RaceVerdict | undefined)[]): string {
  const counts = new Map<string, number>();
  let stale = 0;
  for (const v of verdicts) {
    if (!v) continue;
    if (v.stale) stale++;
    else counts.set(SYMBOLS[v.result.verdict], (counts.get(SYMBOLS[v.result.verdict]) ?? 0) + 1);
  }
  const parts = [`▶ ${races.length} races`, ...['✓', '✗', '…', '⚠'].filter((s) => counts.has(s)).map((s) => `${s} ${counts.get(s)}`)];
  if (stale) parts.push(`${stale} before your edit`);
  return parts.join(' · ');
}

export function raceLabel(race: RaceInfo, v: RaceVerdict | undefined): string {
  return v ? `${verdictWords(v)} · ${race.name} (era ${v.result.era})` : `▶ Run ${race.name} (${race.year || race.era})`;
}

/** A verdict's words without its era: `✓ holds`, `✗ lost-write`, `… incomplete`. */
function shortVerdict(r: RunResultJson): string {
  return `${SYMBOLS[r.verdict]} ${r.verdict === 'violated' ? r.invariant ?? 'violated' : r.verdict}`;
}

/**
 * The lens on the new side of a diff, above a function the diff changes: before → after
 * for the races run on both sides (the first whose verdict changed, else the most
 * relevant), and a choice that runs a race on both sides.
 */
function compareLens(uri: string, def: DefinitionSite, races: readonly RaceInfo[], prefix: string, ctx: LensContext, old: NonNullable<LensContext['old']>): CodeLens {
  const range = { start: { line: def.line, character: def.column }, end: { line: def.line, character: def.endColumn } };
  const pairs = races.map((r) => {
    const b = old.verdictOf(r);
    const a = ctx.verdictOf(r);
    return b && a && !b.stale && !a.stale ? { race: r, before: b.result, after: a.result } : undefined;
  });
  const words = (p: NonNullable<(typeof pairs)[number]>): string => `${shortVerdict(p.before)} → ${shortVerdict(p.after)}`;
  const params = races.map((r): RunRaceParams => ({ scenario: r.name, uri, function: def.name, before: old.side.uri, ...(ctx.era ? { era: ctx.era } : {}) }));
  const label = (i: number): string => (pairs[i] ? `${races[i].name}: ${words(pairs[i]!)} (era ${pairs[i]!.after.era}, ${old.side.label} → this text)` : `▶ Run ${races[i].name} before → after (${old.side.label} → this text)`);
  const done = pairs.filter((p) => !!p);
  const shown = done.find((p) => shortVerdict(p!.before) !== shortVerdict(p!.after)) ?? done[0];
  const title = prefix + (shown
    ? `${shown.race.name} ${words(shown)}${done.length > 1 ? ` · ${done.length - 1} more before → after` : ''}${races.length > done.length ? ` · ▶ ${races.length - done.length} to run` : ''}`
    : `▶ ${races.length === 1 ? races[0].name : `${races.length} races`} before → after (${old.side.label} → this text)`);
  if (races.length === 1) return { range, command: { title, command: Commands.runRace, arguments: [params[0]] } };
  const pick: PickRaceParams = { uri, function: def.name, choices: races.map((_, i) => ({ label: label(i), params: params[i] })) };
  return { range, command: { title, command: Commands.pickRace, arguments: [pick] } };
}

export function functionLens(uri: string, def: DefinitionSite, ctx: LensContext): CodeLens {
  const range = { start: { line: def.line, character: def.column }, end: { line: def.line, character: def.endColumn } };
  const races = racesByRelevance(def.name);
  const body = ctx.bodyRunsOf(def.name);
  if (!races.length) return { range, command: { title: bodyRunsLine({ runs: 'unreached' }), command: '' } };
  // said first when the body on screen is not what runs, so that no clipping hides it
  const prefix = body.runs === 'source' ? '' : `${bodyRunsLine(body)} · `;
  if (ctx.old?.side.changed(def.name)) return compareLens(uri, def, races, prefix, ctx, ctx.old);
  const verdicts = races.map((r) => ctx.verdictOf(r));
  const params = races.map((r): RunRaceParams => ({ scenario: r.name, uri, function: def.name, ...(ctx.era ? { era: ctx.era } : {}) }));
  if (races.length === 1) {
    return { range, command: { title: prefix + raceLabel(races[0], verdicts[0]), command: Commands.runRace, arguments: [params[0]] } };
  }
  const pick: PickRaceParams = { uri, function: def.name, choices: races.map((r, i) => ({ label: raceLabel(r, verdicts[i]), params: params[i] })) };
  return { range, command: { title: prefix + summary(races, verdicts), command: Commands.pickRace, arguments: [pick] } };
}
