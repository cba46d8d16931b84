/**
 * The racelens language server: LSP wiring only. Each handler asks the layers below
 * (index, catalog, scenario, the run process) and turns their answers into LSP.
 */
import { isPatchDocument, PatchReviews, REVIEW_COMMAND, type PatchReviewParams } from './patch-features.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DidChangeWatchedFilesNotification, FileChangeType, SymbolKind, TextDocumentSyncKind, ResponseError, ErrorCodes,
  type CancellationToken, type CodeLens, type Connection, type Diagnostic, type InitializeParams, type InitializeResult,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import {
  BuiltinDocumentRequest, Commands, DEFAULT_SETTINGS, IndexProgressNotification, ListRacesRequest, RunFinishedNotification,
  type BuiltinDocumentParams, type BuiltinDocumentResult, type ExplainParams, type ExplainResult, type ListRacesResult,
  type RacelensSettings, type RunFileParams, type RunRaceParams, type RunResultJson,
} from './protocol.js';
import { OpenDocuments, isRaceDocument, type OpenDocument } from './documents.js';
import { Workspace, Workspaces, documentPath } from './workspaces.js';
import { settingsFor } from './settings.js';
import { Verdicts } from './verdicts.js';
import { RunService } from '../runs/run-service.js';
import type { RunRaceRequest } from '../runs/protocol.js';
import { cHover, cLenses, catalogDefinitions, describeIn, documentDefinitions, newestEra, type CContext } from './c-features.js';
import { parseRaceDocument, raceCompletion, raceDefinition, raceFileName, raceHover, raceLenses, raceSymbols } from './race-features.js';
import { builtinRaces, builtinRaceText } from './races.js';
import { Descriptions } from './describe-markdown.js';
import { Workspace as SourceProvider } from '../workspace/workspace.js';
import { describeMarkdown, describeText } from '../describe/index.js';
import { builtinDocument } from './builtin-documents.js';

/** A run's diagnostics are published per document, one per (function, race). */
type VerdictDiagnostics = Map<string, Diagnostic>;

export class RacelensServer {
  private readonly docs = new OpenDocuments();
  private readonly workspaces = new Workspaces();
  private readonly verdicts = new Verdicts();
  private readonly runDiagnostics = new Map<string, VerdictDiagnostics>();
  /** open documents over the disk, for descriptions (runs get the same overlays in their process) */
  private readonly sources = new SourceProvider();
  private readonly descriptions = new Descriptions();
  /** runs in a child process, which gets the open documents' text with each run */
  private readonly runs = new RunService({ workspace: this.sources });
  private clientHasConfiguration = false;
  private clientRefreshesLenses = false;
  private clientRegistersWatchers = false;
  private folders: string[] = [];

  /** reviews of open patch documents (lsp/patch-features.ts) */
  private readonly patchReviews = new PatchReviews(() => {
    if (this.clientRefreshesLenses) void this.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  });

  constructor(private readonly connection: Connection) {}

  /** A patch is reviewed on the workspace's kernel tree, else on the built-in models of the era setting (6.1 when none). */
  private reviewTarget(uri: string, era: string): { src?: string; era?: string } {
    const ws = this.workspaces.forDocument(uri);
    return ws?.isTree ? { src: ws.folder } : { era: era || '6.1' };
  }

  register(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => void this.initialized());
    c.onShutdown(() => this.shutdown());
    c.onDidOpenTextDocument((p) => {
      const d = this.docs.open(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text);
      this.documentChanged(d);
    });
    c.onDidChangeTextDocument((p) => {
      const d = this.guard(() => this.docs.change(p.textDocument.uri, p.textDocument.version ?? 0, p.contentChanges), undefined);
      if (d) this.documentChanged(d);
    });
    c.onDidCloseTextDocument((p) => {
      this.docs.close(p.textDocument.uri);
      this.patchReviews.forget(p.textDocument.uri);
      this.sources.removeOverlay(p.textDocument.uri);
      this.descriptions.clear();
      this.verdicts.forget(p.textDocument.uri);
      this.runDiagnostics.delete(p.textDocument.uri);
      void c.sendDiagnostics({ uri: p.textDocument.uri, diagnostics: [] });
    });
    c.onHover(async (p) => {
      const d = this.docs.get(p.textDocument.uri);
      if (!d) return null;
      if (isRaceDocument(d)) return this.guard(() => raceHover(d, p.position, this.descriptions), null);
      // the era of the description is the document's setting, else the tree's
      const settings = await settingsFor(c, d.uri, this.clientHasConfiguration);
      return this.guard(() => cHover(d, p.position, this.cContext(d, settings)), null);
    });
    c.onCodeLens(async (p) => {
      const d = this.docs.get(p.textDocument.uri);
      if (!d) return [];
      const settings = await settingsFor(c, d.uri, this.clientHasConfiguration);
      if (!settings.codeLens) return [];
      if (isPatchDocument(d)) return this.guard(() => this.patchReviews.lenses(d, this.reviewTarget(d.uri, settings.defaultEra)), []);
      return this.guard((): CodeLens[] => (isRaceDocument(d) ? raceLenses(d, this.verdicts) : cLenses(d, this.cContext(d, settings))), []);
    });
    c.onDefinition((p) => this.guard(() => {
      const d = this.docs.get(p.textDocument.uri);
      if (!d) return [];
      return raceDefinition(d, p.position, this.workspaces.forDocument(d.uri));
    }, []));
    c.onCompletion((p) => this.guard(() => {
      const d = this.docs.get(p.textDocument.uri);
      return d && isRaceDocument(d) ? raceCompletion(d, p.position) : [];
    }, []));
    c.onDocumentSymbol((p) => this.guard(() => {
      const d = this.docs.get(p.textDocument.uri);
      if (!d) return [];
      if (isRaceDocument(d)) return raceSymbols(d);
      return documentDefinitions(d).slice(0, 5000).map((f) => ({
        name: f.name, kind: SymbolKind.Function,
        range: { start: { line: f.startLine, character: 0 }, end: { line: f.endLine + 1, character: 0 } },
        selectionRange: { start: { line: f.line, character: f.column }, end: { line: f.line, character: f.endColumn } },
      }));
    }, []));
    c.onDidChangeWatchedFiles((p) => {
      for (const ch of p.changes) {
        let file: string;
        try {
          file = fileURLToPath(ch.uri);
        } catch {
          continue;
        }
        const ws = this.workspaces.forPath(file);
        if (!ws) continue;
        if (ch.type === FileChangeType.Deleted || ch.type === FileChangeType.Changed || ch.type === FileChangeType.Created) {
          ws.index.invalidate(file);
          this.sources.invalidate(file);
        }
      }
      this.descriptions.clear();
    });
    c.onExecuteCommand((p, token, progress) => {
      const arg = (p.arguments ?? [])[0] as unknown;
      switch (p.command) {
        case Commands.runRace:
          return this.runRace(arg as RunRaceParams, token, progress);
        case Commands.runFile:
          return this.runFile(arg as RunFileParams, token, progress);
        case Commands.explain:
          return this.explain(arg as ExplainParams);
        case REVIEW_COMMAND: {
          const d = this.docs.get((arg as PatchReviewParams | undefined)?.uri ?? '');
          return d ? this.patchReviews.review(arg as PatchReviewParams, d) : new ResponseError(ErrorCodes.InvalidParams, 'no open patch document with this uri');
        }
        default:
          return new ResponseError(ErrorCodes.InvalidParams, `unknown command ${p.command}`);
      }
    });
    c.onRequest(ListRacesRequest, () => this.listRaces());
    c.onRequest(BuiltinDocumentRequest, (p: BuiltinDocumentParams): BuiltinDocumentResult | ResponseError<void> =>
      builtinDocument(p?.uri ?? '') ?? new ResponseError(ErrorCodes.InvalidParams, `no built-in document ${String(p?.uri)}`));
  }

  /** A handler that fails answers with its empty answer; the server goes on. */
  private guard<T>(f: () => T, empty: T): T {
    try {
      return f();
    } catch (err) {
      this.connection.console.error(`racelens: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return empty;
    }
  }

  private initialize(p: InitializeParams): InitializeResult {
    this.clientHasConfiguration = !!p.capabilities.workspace?.configuration;
    this.clientRefreshesLenses = !!p.capabilities.workspace?.codeLens?.refreshSupport;
    this.clientRegistersWatchers = !!p.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    const folders = p.workspaceFolders?.map((f) => f.uri) ?? (p.rootUri ? [p.rootUri] : p.rootPath ? [pathToFileURL(p.rootPath).href] : []);
    this.folders = folders.flatMap((u) => {
      try {
        return [fileURLToPath(u)];
      } catch {
        return [];
      }
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        definitionProvider: true,
        documentSymbolProvider: true,
        completionProvider: { triggerCharacters: [' ', '('] },
        executeCommandProvider: { commands: [Commands.runRace, Commands.runFile, Commands.explain, REVIEW_COMMAND] },
      },
      serverInfo: { name: 'racelens' },
    };
  }

  private async initialized(): Promise<void> {
    // clients that watch files on request (Neovim, Helix) learn here which ones the index needs
    if (this.clientRegistersWatchers) {
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{c,h}' }] }).catch(() => undefined);
    }
    for (const folder of this.folders) {
      const settings = await settingsFor(this.connection, pathToFileURL(folder).href, this.clientHasConfiguration);
      const ws = new Workspace(folder, settings.indexRoots, (p) => this.readForIndex(p));
      this.workspaces.add(ws);
      void ws.start((progress) => {
        void this.connection.sendNotification(IndexProgressNotification, progress);
      }).catch((err) => this.connection.console.error(`racelens: index of ${folder}: ${String(err)}`));
    }
    this.runs.warm(DEFAULT_SETTINGS.maxMemoryMb);
    // a kernel tree as the workspace: index it and lift the built-in races' functions now,
    // in the run process, so that the first lens run does not pay for a cold tree
    for (const ws of this.workspaces.list) {
      if (ws.isTree) void this.runs.prepare([...ws.sources]).then((answer) => {
        for (const p of answer.problems) this.connection.console.warn(`racelens: preparing ${ws.sources.join(', ')}: ${p}`);
      });
    }
  }

  /** The index reads an open document's text rather than the file on disk. */
  private readForIndex(p: string): string | undefined {
    const open = this.docs.get(pathToFileURL(p).href);
    if (open) return open.doc.getText();
    try {
      if (fs.statSync(p).size > 16 * 1024 * 1024) return undefined;
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  }

  private shutdown(): void {
    for (const ws of this.workspaces.list) ws.stop();
    this.runs.dispose();
  }

  private cContext(d: OpenDocument, settings?: RacelensSettings): CContext {
    const ws = this.workspaces.forDocument(d.uri);
    const era = settings?.defaultEra || ws?.era;
    return { verdicts: this.verdicts, workspace: ws, sources: this.sources, descriptions: this.descriptions, era };
  }

  private documentChanged(d: OpenDocument): void {
    // runs read every open document through the overlays (a .race one too)
    this.guard(() => this.sources.setOverlay(d.uri, d.doc.getText(), d.doc.version), undefined);
    if (!isRaceDocument(d)) {
      this.descriptions.clear();
      // the index follows the text on screen too (a big generated file waits for its save)
      const p = documentPath(d.uri);
      if (p && d.uri.startsWith('file:') && d.doc.getText().length < 1024 * 1024) this.workspaces.forPath(p)?.index.invalidate(p);
    }
    if (isRaceDocument(d)) {
      const diagnostics = this.guard(() => parseRaceDocument(d).diagnostics, []);
      void this.connection.sendDiagnostics({ uri: d.uri, diagnostics: [...diagnostics, ...this.runDiagnostics.get(d.uri)?.values() ?? []] });
    }
  }

  private publishRunDiagnostics(uri: string): void {
    const d = this.docs.get(uri);
    const parse = d && isRaceDocument(d) ? parseRaceDocument(d).diagnostics : [];
    void this.connection.sendDiagnostics({ uri, diagnostics: [...parse, ...this.runDiagnostics.get(uri)?.values() ?? []] });
  }

  /** The scenario of a run: a built-in's name, or a .race document (open, or on disk). */
  private scenarioOf(name: string): { text: string; file: string; uri: string; era: string } | undefined {
    const builtin = builtinRaces().get(name);
    if (builtin) return { text: builtinRaceText(name)!, file: builtin.file, uri: builtin.uri, era: builtin.era };
    const open = this.docs.get(name);
    const text = open?.doc.getText() ?? (() => {
      try {
        return fs.readFileSync(fileURLToPath(name), 'utf8');
      } catch {
        return undefined;
      }
    })();
    if (text === undefined) return undefined;
    const era = /^\s*era\s+(\S+)/m.exec(text)?.[1] ?? '';
    return { text, file: raceFileName(name), uri: name, era };
  }

  private async runRace(params: RunRaceParams, token: CancellationToken, progress: WorkDoneProgressReporter): Promise<RunResultJson | ResponseError<void>> {
    if (!params || typeof params.scenario !== 'string') return new ResponseError(ErrorCodes.InvalidParams, 'racelens.runRace takes [{scenario, uri?, function?, era?}]');
    const settings = await settingsFor(this.connection, params.uri, this.clientHasConfiguration);
    const ws = params.uri ? this.workspaces.forDocument(params.uri) : this.workspaces.list[0];
    // the scenario's own era is the runner's default too; named here for the progress title
    const era = params.era || settings.defaultEra || ws?.era || this.scenarioOf(params.scenario)?.era || undefined;
    // the workspace's roots, then the document itself when no root holds it (untitled:, git:, a file elsewhere)
    const sources = ws ? [...ws.sources] : [];
    const doc = params.uri ? this.docs.get(params.uri) : undefined;
    if (doc && !isRaceDocument(doc)) {
      const p = documentPath(doc.uri);
      const held = doc.uri.startsWith('file:') && p !== undefined && sources.some((r) => p.startsWith(r.endsWith('/') ? r : `${r}/`));
      if (!held) sources.push(doc.uri);
    }
    const maxExecutions = params.maxExecutions ?? (settings.maxExecutions || undefined);
    const maxStates = params.maxStates ?? (settings.maxStates || undefined);
    const timeLimitMs = params.timeLimitMs ?? (settings.timeLimitMs || undefined);
    const req: RunRaceRequest = {
      scenario: params.scenario, ...(era ? { era } : {}), ...(params.fs ? { fs: params.fs } : {}), sources,
      ...(maxExecutions ? { maxExecutions } : {}), ...(maxStates ? { maxStates } : {}), ...(timeLimitMs ? { timeLimitMs } : {}),
      maxMemoryMb: settings.maxMemoryMb, ...(params.replay ? { replay: params.replay } : {}),
      // racelens.config, relative to the workspace folder; '' leaves Debian's own for the release
      ...(settings.config ? { configFile: path.resolve(ws?.folder ?? process.cwd(), settings.config) } : {}),
    };
    const title = `racelens: ${builtinRaces().get(params.scenario)?.name ?? params.scenario.split('/').pop()}${era ? ` (era ${era})` : ''}`;
    progress.begin(title, undefined, 'starting', true);
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    const result = await this.runs.run(req, {
      signal: abort.signal,
      onProgress: (p) => progress.report(`${p.executions.toLocaleString('en-US')} executions, ${p.states.toLocaleString('en-US')} states, ${(p.elapsedMs / 1000).toFixed(1)} s`),
    });
    cancelled.dispose();
    progress.done();
    this.recordRun(params, result);
    return result;
  }

  /** Keeps the verdict for lenses and hovers, puts it on the function's name, tells the client. */
  private recordRun(params: RunRaceParams, result: RunResultJson): void {
    const d = params.uri ? this.docs.get(params.uri) : this.docs.get(params.scenario);
    if (d && isRaceDocument(d) && d.uri === params.scenario) {
      const race = parseRaceDocument(d).race;
      if (race) this.verdicts.set(d.uri, '', `${race.name}@${params.era ?? race.era}${params.fs ? `/${params.fs}` : ''}`, result);
    } else if (d && params.function) {
      this.verdicts.set(d.uri, params.function, params.scenario, result);
      const def = catalogDefinitions(d).find((x) => x.name === params.function);
      let diags = this.runDiagnostics.get(d.uri);
      if (!diags) this.runDiagnostics.set(d.uri, (diags = new Map()));
      const key = `${params.function}\u0000${params.scenario}`;
      if (result.verdict === 'violated' && def) diags.set(key, this.violationDiagnostic(d, def, result));
      else if (result.verdict === 'holds') diags.delete(key);
      this.publishRunDiagnostics(d.uri);
    }
    if (this.clientRefreshesLenses) void this.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    void this.connection.sendNotification(RunFinishedNotification, { params, result });
  }

  private violationDiagnostic(d: OpenDocument, def: { line: number; column: number; endColumn: number; name: string }, r: RunResultJson): Diagnostic {
    const steps = (r.trace ?? []).filter((t) => t.at);
    // the steps in this body and the one that broke the invariant are the ones to show
    const key = steps.filter((t, i) => t.violation || t.at!.uri === d.uri || i === steps.length - 1);
    const chosen = (key.length ? key : steps).slice(-12);
    return {
      range: { start: { line: def.line, character: def.column }, end: { line: def.line, character: def.endColumn } },
      severity: 2, source: 'racelens', code: r.invariant ?? 'violated',
      message: `${r.scenario} (era ${r.era}): ${r.invariant ?? 'violated'} — ${r.message ?? ''}${r.invariantExplanation ? ` (${r.invariantExplanation})` : ''}`,
      relatedInformation: chosen.map((t) => ({
        location: { uri: t.at!.uri, range: { start: { line: t.at!.line - 1, character: Math.max(0, t.at!.column - 1) }, end: { line: t.at!.line - 1, character: Math.max(0, t.at!.column - 1) } } },
        message: `step ${t.step} ${t.cpu} ${t.function}: ${t.text ?? t.op}${t.state ? ` → ${t.state}` : ''}`,
      })),
    };
  }

  private async runFile(params: RunFileParams, token: CancellationToken, progress: WorkDoneProgressReporter): Promise<RunResultJson[] | ResponseError<void>> {
    const scenario = params && typeof params.scenario === 'string' ? this.scenarioOf(params.scenario) : undefined;
    if (!scenario) return new ResponseError(ErrorCodes.InvalidParams, `no built-in scenario or .race document '${String(params?.scenario)}'`);
    const expects = [...scenario.text.matchAll(/^\s*expect\s+(\S+)(?:\s+fs\s+(\S+))?/gm)].map((m) => ({ era: m[1], fs: m[2] }));
    const runs = expects.length ? expects : [{ era: scenario.era, fs: undefined }];
    const out: RunResultJson[] = [];
    for (const r of runs) {
      if (token.isCancellationRequested) break;
      const res = await this.runRace({ scenario: params.scenario, era: r.era, ...(r.fs ? { fs: r.fs } : {}) }, token, progress);
      if (res instanceof ResponseError) return res;
      out.push(res);
    }
    return out;
  }

  private async explain(params: ExplainParams): Promise<ExplainResult | ResponseError<void>> {
    if (!params || typeof params.function !== 'string') return new ResponseError(ErrorCodes.InvalidParams, 'racelens.explain takes [{function, era?, uri?}]');
    const d = params.uri ? this.docs.get(params.uri) : undefined;
    const settings = await settingsFor(this.connection, params.uri, this.clientHasConfiguration);
    const ws = params.uri ? this.workspaces.forDocument(params.uri) : this.workspaces.list[0];
    const ctx: CContext = { ...this.cContext(d ?? this.docs.all()[0] ?? { uri: '' } as OpenDocument, settings), workspace: ws, ...(params.era ? { era: params.era } : {}) };
    const described = this.guard(() => (d && !isRaceDocument(d) ? describeIn(d, params.function, ctx) : this.descriptions.get(params.function, ctx.era || newestEra(), undefined, 'builtin')), undefined);
    if (!described) return { function: params.function, text: `no model, primitive or catalog entry named '${params.function}'`, markdown: '' };
    return { function: params.function, text: describeText(described, { program: true }), markdown: describeMarkdown(described, { program: true }) };
  }

  private listRaces(): ListRacesResult {
    const races: ListRacesResult['races'] = [];
    for (const info of builtinRaces().values()) {
      races.push({
        name: info.name, title: info.title, uri: info.uri, line: info.race.range.start.line,
        runs: info.race.expects.map((e) => ({ era: e.eraSpec, ...(e.fs ? { fs: e.fs } : {}), expect: e.verdict + (e.invariants.length ? ` ${e.invariants.join(' ')}` : ''), line: e.range.start.line })),
      });
    }
    for (const d of this.docs.all()) {
      if (!isRaceDocument(d)) continue;
      const race = parseRaceDocument(d).race;
      if (!race) continue;
      races.push({
        name: race.name, title: race.title, uri: d.uri, line: race.range.start.line,
        runs: race.expects.map((e) => ({ era: e.eraSpec, ...(e.fs ? { fs: e.fs } : {}), expect: e.verdict + (e.invariants.length ? ` ${e.invariants.join(' ')}` : ''), line: e.range.start.line })),
      });
    }
    return { races };
  }
}
