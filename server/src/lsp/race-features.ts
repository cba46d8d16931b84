/**
 * `.race` documents: diagnostics from the parser and validator, hovers, completion,
 * lenses (the scenario and each expect line), symbols and go-to-definition.
 */
import {
  CompletionItemKind, DiagnosticSeverity, SymbolKind,
  type CodeLens, type CompletionItem, type Diagnostic, type DocumentSymbol, type Hover, type Location, type Position, type Range,
} from 'vscode-languageserver';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseScenarioText } from '../scenario/library.js';
import type { RaceFile, Range as RaceRange } from '../scenario/ast.js';
import { builtinModelSet, checkEraSpec, eraInfo, eraNames, overlayInfo, overlayNames } from '../catalog/models.js';
import { CATALOG, entryByName } from '../catalog/functions.js';
import { FILESYSTEMS, filesystem } from '../catalog/filesystems.js';
import { primitives } from '../sim/ops/index.js';
import { INVARIANTS, INVARIANT_DOCS, type InvariantId } from '../sim/invariants.js';
import { Commands, type RunFileParams, type RunRaceParams } from './protocol.js';
import type { OpenDocument } from './documents.js';
import { newestEra, wordAt } from './c-features.js';
import { hoverMarkdown, verdictLine, type Descriptions } from './function-hover.js';
import { escapeMarkdown as esc, codeSpan as inlineCode } from '../describe/index.js';
import { builtinUri } from './builtin-documents.js';
import type { Verdicts } from './verdicts.js';
import type { WorkspaceFolder } from './workspace-folders.js';
import { URI } from './uri.js';

interface Parsed {
  version: number;
  race: RaceFile | undefined;
  diagnostics: Diagnostic[];
}

const parsedDocs = new WeakMap<OpenDocument, Parsed>();

export function toRange(r: RaceRange): Range {
  return {
    start: { line: Math.max(0, r.start.line - 1), character: Math.max(0, r.start.column - 1) },
    end: { line: Math.max(0, r.end.line - 1), character: Math.max(0, r.end.column - 1) },
  };
}

/** The file name a .race document's messages carry. */
export function raceFileName(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch { /* fall through */ }
  }
  return URI.parse(uri)?.path.split('/').pop() || uri;
}

export function parseRaceDocument(d: OpenDocument): Parsed {
  const cached = parsedDocs.get(d);
  if (cached && cached.version === d.doc.version) return cached;
  const r = parseScenarioText(d.doc.getText(), raceFileName(d.uri));
  const parsed: Parsed = {
    version: d.doc.version,
    race: r.race,
    diagnostics: r.diagnostics.map((x) => ({
      range: toRange(x.range), severity: x.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      code: x.code, source: 'racelens', message: x.message,
    })),
  };
  parsedDocs.set(d, parsed);
  return parsed;
}

/** The era the document names (`era X`), even when the rest does not parse. */
function documentEra(d: OpenDocument): string | undefined {
  const race = parseRaceDocument(d).race;
  if (race) return race.era;
  const m = /^\s*era\s+(\S+)/m.exec(d.doc.getText().slice(0, 64 * 1024));
  return m && !checkEraSpec(m[1]) ? m[1] : undefined;
}

export function raceHover(d: OpenDocument, pos: Position, descriptions: Descriptions): Hover | null {
  const text = d.doc.getText();
  const offset = d.doc.offsetAt(pos);
  // invariants and eras have '-', '.' and '+' in them: the word is wider for those
  const before = /[A-Za-z0-9_.+-]*$/.exec(text.slice(Math.max(0, offset - 64), offset))![0];
  const after = /^[A-Za-z0-9_.+-]*/.exec(text.slice(offset, offset + 64))![0];
  const wide = before + after;
  const range = { start: d.doc.positionAt(offset - before.length), end: d.doc.positionAt(offset + after.length) };
  if ((INVARIANTS as readonly string[]).includes(wide)) {
    return { contents: { kind: 'markdown', value: `**${esc(wide)}** — invariant\n\n${esc(INVARIANT_DOCS[wide as InvariantId])}` }, range };
  }
  const eraSpec = wide.split('+');
  if (eraInfo(eraSpec[0]) && !checkEraSpec(wide)) {
    const info = eraInfo(eraSpec[0])!;
    const extra = eraSpec.slice(1).map((o) => `\n\n+${esc(o)}: ${esc(overlayInfo(o)?.note ?? '')}`).join('');
    return { contents: { kind: 'markdown', value: `**era ${esc(eraSpec[0])}** (released ${esc(info.released)}): ${esc(info.note)}${extra}` }, range };
  }
  const w = wordAt(text, offset);
  if (!w) return null;
  const fsInfo = filesystem(w.word);
  if (fsInfo && /^\s*fs\s/m.test(text.slice(text.lastIndexOf('\n', w.start) + 1, w.end))) {
    return { contents: { kind: 'markdown', value: `**filesystem ${esc(w.word)}**: ${esc('address_space_operations')} ${fsInfo.aops.map(inlineCode).join(', ')}` } };
  }
  const described = descriptions.get(w.word, documentEra(d) ?? newestEra(), undefined, 'builtin');
  const value = described && hoverMarkdown(described);
  if (!value) return null;
  return { contents: { kind: 'markdown', value }, range: { start: d.doc.positionAt(w.start), end: d.doc.positionAt(w.end) } };
}

let operationItems: CompletionItem[] | undefined;

function operations(): CompletionItem[] {
  if (!operationItems) {
    const names = new Map<string, string>();
    for (const e of CATALOG) for (const n of e.names) names.set(n, e.description);
    for (const n of primitives.names()) if (!names.has(n)) names.set(n, primitives.get(n)!.doc);
    for (const era of eraNames()) {
      for (const n of builtinModelSet(era).functions.keys()) if (!names.has(n)) names.set(n, `a built-in model of era ${era}`);
    }
    operationItems = [...names].sort(([a], [b]) => a.localeCompare(b)).map(([label, detail]) => ({
      label, kind: entryByName(label) || !primitives.get(label) ? CompletionItemKind.Function : CompletionItemKind.Operator, detail,
    }));
  }
  return operationItems;
}

export function raceCompletion(d: OpenDocument, pos: Position): CompletionItem[] {
  const line = d.doc.getText({ start: { line: pos.line, character: 0 }, end: pos });
  const eras = (): CompletionItem[] => [
    ...eraNames().map((e) => ({ label: e, kind: CompletionItemKind.EnumMember, detail: eraInfo(e)?.note ?? '' })),
    ...eraNames().flatMap((e) => overlayNames().map((o) => ({ label: `${e}+${o}`, kind: CompletionItemKind.EnumMember, detail: overlayInfo(o)?.note ?? '' }))),
  ];
  const invariants = (): CompletionItem[] => INVARIANTS.map((i) => ({ label: i, kind: CompletionItemKind.Constant, detail: INVARIANT_DOCS[i] }));
  if (/^\s*era\s+\S*$/.test(line) || /^\s*expect\s+\S*$/.test(line)) return eras();
  if (/^\s*expect\s+\S+\s+(fs\s+\S+\s+)?\S*$/.test(line) && !/^\s*expect\s+\S+\s+fs\s*$/.test(line)) {
    return ['holds', 'violated', 'incomplete', 'fs'].map((v) => ({ label: v, kind: CompletionItemKind.Keyword }));
  }
  if (/^\s*expect\s.*\bviolated\b/.test(line) || /^\s*check\b/.test(line)) return invariants();
  if (/\bfs\s+\S*$/.test(line)) return FILESYSTEMS.map((f) => ({ label: f.name, kind: CompletionItemKind.Module, detail: f.aops.join(', ') }));
  return operations();
}

export function raceLenses(d: OpenDocument, verdicts: Verdicts): CodeLens[] {
  const race = parseRaceDocument(d).race;
  if (!race) return [];
  const file: RunFileParams = { scenario: d.uri };
  const lenses: CodeLens[] = [{ range: toRange(race.nameRange), command: { title: `▶ Run ${race.name}`, command: Commands.runFile, arguments: [file] } }];
  for (const e of race.expects) {
    const args: RunRaceParams = { scenario: d.uri, era: e.eraSpec, ...(e.fs ? { fs: e.fs } : {}) };
    const last = verdicts.get(d.uri, '', `${race.name}@${e.eraSpec}${e.fs ? `/${e.fs}` : ''}`);
    const title = last ? `${verdictLine(last)}${last.asExpected === false ? ' (not as expected)' : ''}` : `▶ Run ${e.eraSpec}${e.fs ? ` fs ${e.fs}` : ''}`;
    lenses.push({ range: toRange(e.range), command: { title, command: Commands.runRace, arguments: [args] } });
  }
  return lenses;
}

export function raceSymbols(d: OpenDocument): DocumentSymbol[] {
  const race = parseRaceDocument(d).race;
  if (race) {
    const children: DocumentSymbol[] = [
      { name: 'setup', kind: SymbolKind.Struct, range: toRange(race.setup.range), selectionRange: toRange(race.setup.range) },
      ...race.cpus.map((c) => ({
        name: `${c.name} ${c.label}`, kind: SymbolKind.Function, range: toRange(c.range), selectionRange: toRange(c.nameRange),
        detail: c.calls.map((x) => x.name).join(', '),
      })),
      ...(race.finalRange ? [{ name: 'final', kind: SymbolKind.Function, range: toRange(race.finalRange), selectionRange: toRange(race.finalRange) }] : []),
    ];
    const whole = { start: toRange(race.range).start, end: d.doc.positionAt(d.doc.getText().length) };
    return [{ name: race.name, detail: race.title, kind: SymbolKind.Module, range: whole, selectionRange: toRange(race.nameRange), children }];
  }
  // a file with errors still gets its blocks, found line by line
  const out: DocumentSymbol[] = [];
  const lines = d.doc.getText().slice(0, 1024 * 1024).split('\n');
  lines.forEach((l, i) => {
    const m = /^\s*(setup|final|P\d+\s+\w+)\s*\{/.exec(l);
    if (!m) return;
    const r = { start: { line: i, character: 0 }, end: { line: i, character: l.length } };
    out.push({ name: m[1].replace(/\s+/, ' '), kind: m[1] === 'setup' ? SymbolKind.Struct : SymbolKind.Function, range: r, selectionRange: r });
  });
  return out.slice(0, 200);
}

export function raceDefinition(d: OpenDocument, pos: Position, workspace: WorkspaceFolder | undefined): Location[] {
  const w = wordAt(d.doc.getText(), d.doc.offsetAt(pos));
  if (!w) return [];
  const entry = entryByName(w.word);
  const defs = workspace?.index.definitionsOf(w.word) ?? [];
  if (defs.length) {
    return defs.map((x) => ({
      uri: pathToFileURL(x.path).href,
      range: { start: { line: x.site.line, character: x.site.column }, end: { line: x.site.line, character: x.site.column + x.site.name.length } },
    }));
  }
  const era = documentEra(d) ?? newestEra();
  let set;
  try {
    set = builtinModelSet(era);
  } catch {
    return [];
  }
  for (const n of [w.word, ...(entry?.names ?? [])]) {
    const m = set.functions.get(n);
    if (!m) continue;
    const uri = builtinUri(m.file);
    if (!uri) continue;
    const line = Math.max(0, m.line - 1);
    return [{ uri, range: { start: { line, character: 0 }, end: { line, character: 0 } } }];
  }
  return [];
}
