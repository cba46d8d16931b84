/**
 * C documents: where catalog functions are defined and called (from the document's
 * own tree), the hover on those names and the lenses above definitions.
 */
import type { CodeLens, Hover, Position } from 'vscode-languageserver';
import { entryByName } from '../catalog/functions.js';
import { eraNames } from '../catalog/models.js';
import { compareReleases } from '../catalog/tree.js';
import { functionDefinitions, type DefinitionSite } from '../index/c-definitions.js';
import { scanText, type ScanResult } from '../index/scan.js';
import type { OpenDocument } from './documents.js';
import type { Descriptions } from './function-hover.js';
import { shortHover } from './short-hover.js';
import { racesByRelevance, type RaceInfo } from './races.js';
import type { OldSide } from './diff-sides.js';
import { bodyRuns, type DescribeSource, type FunctionDescription } from '../describe/index.js';
import type { DescribedBodies, DescribedBody, DescribeItem } from './described-bodies.js';
import type { BodyRuns } from '../catalog/boundary-messages.js';
import type { Workspace } from '../workspace/workspace.js';
import { documentPath, type WorkspaceFolder } from './workspace-folders.js';
import type { RaceVerdict } from './race-verdicts.js';
import { functionLens } from './function-lens.js';

interface Analysis {
  version: number;
  definitions: DefinitionSite[];
}

const analyses = new WeakMap<OpenDocument, Analysis>();

/** Every function defined at file scope (from the tree; from the text pass for a document too large to parse). */
export function documentDefinitions(d: OpenDocument): DefinitionSite[] {
  const cached = analyses.get(d);
  if (cached && cached.version === d.doc.version) return cached.definitions;
  const text = d.doc.getText();
  const tree = d.tree.get(text);
  let definitions: DefinitionSite[];
  if (tree) {
    definitions = functionDefinitions(tree);
  } else {
    definitions = scanText(text).definitions.map((s) => ({
      name: s.name, line: s.line, column: s.column, endColumn: s.column + s.name.length, startLine: s.line, endLine: s.line,
    }));
  }
  analyses.set(d, { version: d.doc.version, definitions });
  return definitions;
}

export function catalogDefinitions(d: OpenDocument): DefinitionSite[] {
  return documentDefinitions(d).filter((s) => entryByName(s.name));
}

/** The identifier at a position, with its range on the line. */
export function wordAt(text: string, offset: number): { word: string; start: number; end: number } | undefined {
  const isWord = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  let s = offset;
  let e = offset;
  while (s > 0 && isWord(text.charCodeAt(s - 1))) s--;
  while (e < text.length && isWord(text.charCodeAt(e))) e++;
  if (s === e || (s - offset > 200)) return undefined;
  return { word: text.slice(s, e), start: s, end: e };
}

export interface CContext {
  /** the verdict of a built-in race for this document's text (`raceEra`: the race's own, when the context has none) */
  verdictOf: (race: string, raceEra: string) => RaceVerdict | undefined;
  workspace: WorkspaceFolder | undefined;
  /** the source provider: open documents over the disk */
  sources: Workspace;
  descriptions: Descriptions;
  /** what lifting says of a body, built off the main thread */
  bodies: DescribedBodies;
  era: string | undefined;
  /** the old side of a diff the document is the new side of (lsp/diff-sides.ts), with its verdicts */
  old?: { side: OldSide; verdictOf: (race: string, raceEra: string) => RaceVerdict | undefined };
}

/** Era of a description when neither the tree nor the settings say: the newest the built-ins model. */
export function newestEra(): string {
  return [...eraNames()].sort(compareReleases).pop()!;
}

/** A document's catalog names from the text pass (comments skipped): cheap, cached per version. */
const scans = new WeakMap<OpenDocument, { version: number; sites: Set<number>; defined: Set<string>; names: Set<string> }>();
const textScans = new WeakMap<OpenDocument, { version: number; scan: ScanResult }>();

/** The text pass over a document's text, once per version: the index takes it too, for an opened file. */
export function documentTextScan(d: OpenDocument): ScanResult {
  const cached = textScans.get(d);
  if (cached && cached.version === d.doc.version) return cached.scan;
  const scan = scanText(d.doc.getText());
  textScans.set(d, { version: d.doc.version, scan });
  return scan;
}

export function documentScan(d: OpenDocument): { sites: Set<number>; defined: Set<string>; names: Set<string> } {
  const cached = scans.get(d);
  if (cached && cached.version === d.doc.version) return cached;
  const r = documentTextScan(d);
  const scan = {
    version: d.doc.version,
    sites: new Set([...r.definitions, ...r.calls].map((x) => x.offset)),
    defined: new Set(r.definitions.map((x) => x.name)),
    names: new Set([...r.definitions, ...r.calls].map((x) => x.name)),
  };
  scans.set(d, scan);
  return scan;
}

/**
 * Where `name`'s body comes from as this document sees it: the document when it defines
 * it, else the workspace file that does (the index knows which), else the era's
 * built-in model; `id` names that text for the description cache.
 */
function describeSourceOf(d: OpenDocument, name: string, ctx: CContext): { source: DescribeSource | undefined; id: string } {
  if (documentScan(d).defined.has(name)) return { source: { sources: [d.uri], workspace: ctx.sources }, id: `${d.uri}@${d.doc.version}` };
  const there = ctx.workspace?.index.definitionsOf(name)[0];
  if (there) return { source: { sources: [there.path], workspace: ctx.sources }, id: there.path };
  return { source: undefined, id: 'builtin' };
}

/** The description of `name` as this document sees it (built when not cached: a lift). */
export function describeIn(d: OpenDocument, name: string, ctx: CContext): FunctionDescription | undefined {
  const { source, id } = describeSourceOf(d, name, ctx);
  return ctx.descriptions.get(name, ctx.era || newestEra(), source, id);
}

/** `name` as `d` sees it, for the worker: its cache key and the sources its body comes from. */
export function bodyItem(d: OpenDocument, name: string, ctx: CContext): DescribeItem {
  const { source, id } = describeSourceOf(d, name, ctx);
  return { key: `${name}\u0000${ctx.era || newestEra()}\u0000${id}`, name, ...(source?.sources ? { sources: [...source.sources] } : {}) };
}

/** What lifting said of `name`'s body as `d` sees it, when the worker has answered; never lifts. */
function describedIfReady(d: OpenDocument, name: string, ctx: CContext): DescribedBody | undefined {
  return ctx.bodies.peek(bodyItem(d, name, ctx).key);
}

/** The bodies a hover or lens of `d` will want described (by the worker). */
export function bodyItems(d: OpenDocument, ctx: CContext): DescribeItem[] {
  return [...documentScan(d).names].map((name) => bodyItem(d, name, ctx));
}

/** Not in a comment or a string: from the text pass when it saw the name, else from the tree. */
function isCode(d: OpenDocument, start: number): boolean {
  if (documentScan(d).sites.has(start)) return true;
  const tree = d.tree.get(d.doc.getText());
  const node = tree?.rootNode.descendantForIndex(start);
  return !node || !(node.type === 'comment' || node.type === 'string_literal' || node.type === 'string_content');
}

/** Where each line starts, per document version: found with indexOf, which costs the first hover of a big document no warm-up. */
const lineStarts = new WeakMap<OpenDocument, { version: number; starts: number[] }>();

/** The offset of `pos` (its character clamped to the line) and of its line's start; TextDocument's own for a text with lone CRs. */
function offsetOf(d: OpenDocument, text: string, pos: Position): { at: number; lineStart: number } {
  if (text.includes('\r')) return { at: d.doc.offsetAt(pos), lineStart: d.doc.offsetAt({ line: pos.line, character: 0 }) };
  let known = lineStarts.get(d);
  if (!known || known.version !== d.doc.version) {
    const starts = [0];
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) starts.push(nl + 1);
    lineStarts.set(d, (known = { version: d.doc.version, starts }));
  }
  const { starts } = known;
  if (pos.line >= starts.length) return { at: text.length, lineStart: text.length };
  const lineStart = starts[Math.max(0, pos.line)];
  const end = pos.line + 1 < starts.length ? starts[pos.line + 1] - 1 : text.length;
  return { at: Math.min(lineStart + Math.max(0, pos.character), end), lineStart };
}

export function cHover(d: OpenDocument, pos: Position, ctx: CContext): Hover | null {
  const text = d.doc.getText();
  const { at, lineStart } = offsetOf(d, text, pos);
  const w = wordAt(text, at);
  const entry = w && entryByName(w.word);
  if (!w || !entry || !isCode(d, w.start)) return null;
  const described = describedIfReady(d, w.word, ctx);
  const value = shortHover({
    name: w.word, entry, uri: d.uri, ...(described?.detail ? { detail: described.detail } : {}),
    shown: (p) => {
      const abs = p.startsWith('/') ? p : documentPath(p) ?? p;
      return ctx.workspace?.shown(abs) ?? abs;
    },
    body: described?.runs ?? catalogBodyRuns(w.word),
    races: racesByRelevance(w.word),
    verdictOf: (race) => ctx.verdictOf(race.name, race.era),
  });
  return {
    contents: { kind: 'markdown', value },
    // a word never spans lines
    range: { start: { line: pos.line, character: w.start - lineStart }, end: { line: pos.line, character: w.end - lineStart } },
  };
}

/** The catalog's rules and the library are fixed once loaded: each name's answer is worked out once. */
const bodyRunsByName = new Map<string, BodyRuns>();

function catalogBodyRuns(name: string): BodyRuns {
  let b = bodyRunsByName.get(name);
  if (!b) bodyRunsByName.set(name, (b = bodyRuns(name)));
  return b;
}

/** Whether `name`'s body in `d` is what runs: from its description when one is ready, else from the catalog's rules. */
export function bodyRunsIn(d: OpenDocument, name: string, ctx: CContext): BodyRuns {
  return describedIfReady(d, name, ctx)?.runs ?? catalogBodyRuns(name);
}

export function cLenses(d: OpenDocument, ctx: CContext): CodeLens[] {
  return catalogDefinitions(d).map((def) => functionLens(d.uri, def, {
    era: ctx.era,
    verdictOf: (race) => ctx.verdictOf(race.name, race.era),
    bodyRunsOf: (name) => bodyRunsIn(d, name, ctx),
    ...(ctx.old ? { old: { side: ctx.old.side, verdictOf: (race: RaceInfo) => ctx.old!.verdictOf(race.name, race.era) } } : {}),
  }));
}
