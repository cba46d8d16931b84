/**
 * C documents: where catalog functions are defined and called (from the document's
 * own tree), the hover on those names and the lenses above definitions.
 */
import type { CodeLens, Hover, Position } from 'vscode-languageserver';
import { entryByName } from '../catalog/functions.js';
import { eraNames } from '../catalog/models.js';
import { compareReleases } from '../catalog/tree.js';
import { functionDefinitions, type DefinitionSite } from '../index/c-definitions.js';
import { scanText } from '../index/scan.js';
import { Commands, type RunRaceParams } from './protocol.js';
import type { OpenDocument } from './documents.js';
import { racesOf } from './races.js';
import { hoverMarkdown, verdictLineFor, type Descriptions } from './function-hover.js';
import type { DescribeSource, FunctionDescription } from '../describe/index.js';
import type { Workspace } from '../workspace/workspace.js';
import type { Verdicts } from './verdicts.js';
import type { WorkspaceFolder } from './workspace-folders.js';

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
  verdicts: Verdicts;
  workspace: WorkspaceFolder | undefined;
  /** the source provider: open documents over the disk */
  sources: Workspace;
  descriptions: Descriptions;
  era: string | undefined;
}

/** Era of a description when neither the tree nor the settings say: the newest the built-ins model. */
export function newestEra(): string {
  return [...eraNames()].sort(compareReleases).pop()!;
}

/**
 * The description of `name` as this document sees it: lifted from the document when it
 * defines it, else from the workspace file that does (the index knows which), else the
 * era's built-in model.
 */
export function describeIn(d: OpenDocument, name: string, ctx: CContext): FunctionDescription | undefined {
  const era = ctx.era || newestEra();
  const own = documentDefinitions(d).some((s) => s.name === name);
  let source: DescribeSource | undefined;
  let id = 'builtin';
  if (own) {
    source = { sources: [d.uri], workspace: ctx.sources };
    id = `${d.uri}@${d.doc.version}`;
  } else {
    const there = ctx.workspace?.index.definitionsOf(name)[0];
    if (there) {
      source = { sources: [there.path], workspace: ctx.sources };
      id = there.path;
    }
  }
  return ctx.descriptions.get(name, era, source, id);
}

export function cHover(d: OpenDocument, pos: Position, ctx: CContext): Hover | null {
  const text = d.doc.getText();
  const offset = d.doc.offsetAt(pos);
  const w = wordAt(text, offset);
  if (!w || !entryByName(w.word)) return null;
  const tree = d.tree.get(text);
  if (tree) {
    const node = tree.rootNode.descendantForIndex(w.start);
    if (node && (node.type === 'comment' || node.type === 'string_literal' || node.type === 'string_content')) return null;
  }
  const enclosing = documentDefinitions(d).find((s) => pos.line >= s.startLine && pos.line <= s.endLine);
  const described = describeIn(d, w.word, ctx);
  if (!described) return null;
  const latest = (race: string) => ctx.verdicts.get(d.uri, w.word, race) ?? (enclosing ? ctx.verdicts.get(d.uri, enclosing.name, race) : undefined);
  const value = hoverMarkdown(described, latest);
  if (!value) return null;
  return {
    contents: { kind: 'markdown', value },
    range: { start: d.doc.positionAt(w.start), end: d.doc.positionAt(w.end) },
  };
}

export function cLenses(d: OpenDocument, ctx: CContext): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const def of catalogDefinitions(d)) {
    for (const race of racesOf(def.name)) {
      const args: RunRaceParams = { scenario: race.name, uri: d.uri, function: def.name, ...(ctx.era ? { era: ctx.era } : {}) };
      const last = ctx.verdicts.get(d.uri, def.name, race.name);
      const title = last ? `${verdictLineFor(last, def.name)} · ${race.name} (era ${last.era})` : `▶ Run ${race.name} (${race.year || race.era})`;
      lenses.push({
        range: { start: { line: def.line, character: def.column }, end: { line: def.line, character: def.endColumn } },
        command: { title, command: Commands.runRace, arguments: [args] },
      });
    }
  }
  return lenses;
}
