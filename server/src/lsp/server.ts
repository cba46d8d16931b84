/**
 * The racelens language server: LSP wiring only. Each handler asks the layers below
 * (index, catalog, scenario, the run process) and turns their answers into LSP.
 */
import { coverageParams } from './run-coverage.js';
import { workspaceRaceFiles } from '../workspace/race-files.js';
import { isPatchDocument, PatchReviews, REVIEW_COMMAND, type PatchReviewParams } from './patch-features.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DidChangeWatchedFilesNotification, FileChangeType, SymbolKind, TextDocumentSyncKind, ResponseError, ErrorCodes,
  type CancellationToken, type CodeLens, type CodeLensParams, type Hover, type HoverParams, type Connection, type InitializeParams, type InitializeResult,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import {
  BuiltinDocumentRequest, Commands, DEFAULT_SETTINGS, IndexProgressNotification, ListRacesRequest, RunCoverageNotification, RunFinishedNotification, type ReviewPatchResult,
  type BuiltinDocumentParams, type PickRaceParams, type BuiltinDocumentResult, type ExplainParams, type ExplainResult, type ListRacesResult,
  type RacelensSettings, type RunFileParams, type RunRaceParams, type RunResultJson,
} from './protocol.js';
import { OpenDocuments, isRaceDocument, type OpenDocument } from './documents.js';
import { WorkspaceFolder, WorkspaceFolders, documentPath } from './workspace-folders.js';
import { SettingsCache, settingsFor } from './settings.js';
import { Verdicts } from './verdicts.js';
import { RunService } from '../runs/run-service.js';
import { planRuns, readScenarioFile, resolveScenario, type ResolvedScenario, type RunOptions, type ScenarioProblem } from '../app/index.js';
import type { RunProgressJson } from '../scenario/result-json.js';
import { bodyItem, bodyItems, cHover, cLenses, describeIn, documentDefinitions, documentTextScan, newestEra, type CContext } from './c-features.js';
import { parseRaceDocument, raceCompletion, raceDefinition, raceFileName, raceHover, raceLenses, raceSymbols } from './race-features.js';
import { builtinRaces } from './races.js';
import { Descriptions } from './function-hover.js';
import { Workspace } from '../workspace/workspace.js';
import { describeMarkdown, describeText } from '../describe/index.js';
import { builtinDocument } from './builtin-documents.js';
import { TextBoundVerdicts } from './text-bound-verdicts.js';
import { pickRace } from './pick-race.js';
import { BackgroundWork } from './background-work.js';
import { BodyDescriber } from './body-describer.js';
import { oldSideOf } from './diff-sides.js';
import { trace, traced, wallMs } from './trace.js';
import { EditPacing } from './edit-pacing.js';
import { StaleMarks } from './stale-marks.js';
import { warmUp } from './warm-up.js';

export class RacelensServer {
  private readonly docs = new OpenDocuments();
  private readonly workspaces = new WorkspaceFolders();
  private readonly verdicts = new Verdicts();
  /** the built-in races' latest verdicts, tied to the text they ran on */
  private readonly textBound: TextBoundVerdicts;
  /** the functions whose lenses show a verdict from before an edit, told to the client at once */
  private readonly staleMarks: StaleMarks;
  /** background work of the main thread (the index's tree-sitter pass) waits for a pause in requests */
  private readonly background = new BackgroundWork();
  /** what lifting says of the bodies of open documents' names, built in a worker thread so that no request waits on a lift */
  private readonly describer: BodyDescriber;
  /** open documents over the disk, for descriptions (runs get the same overlays in their process) */
  private readonly sources = new Workspace();
  private readonly descriptions = new Descriptions();
  /** runs in a child process, which gets the open documents' text with each run */
  private readonly runs = new RunService({ workspace: this.sources });
  private clientHasConfiguration = false;
  /** hover and lenses read settings from here: no round trip to the client on their path */
  private readonly settings: SettingsCache;
  private clientRefreshesLenses = false;
  private clientRegistersWatchers = false;
  private folders: string[] = [];
  /** the version each open document was opened at: its opening is indexed at once, its edits after a pause */
  private readonly openedAt = new Map<string, number>();
  /** the work an edit causes, after the burst of its notifications or a pause in typing */
  private readonly pacing = new EditPacing({
    stale: (d) => {
      if (this.docs.get(d.uri) === d) this.guard(() => traced('staleness', () => this.textBound.edited(d)), undefined);
    },
    reindex: (p) => this.guard(() => this.workspaces.forPath(p)?.index.invalidate(p), undefined),
  });

  /** reviews of open patch documents (lsp/patch-features.ts) */
  private readonly patchReviews = new PatchReviews(() => {
    if (this.clientRefreshesLenses) void this.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  });

  constructor(private readonly connection: Connection) {
    this.settings = new SettingsCache(connection, () => this.clientHasConfiguration);
    const refreshLenses = (): void => {
      if (this.clientRefreshesLenses) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    };
    this.textBound = new TextBoundVerdicts({
      connection, docs: this.docs, refreshLenses,
      extraSource: (uri) => this.extraSource(uri),
      settings: (uri) => settingsFor(connection, uri, this.clientHasConfiguration),
      rerun: (params, signal) => this.rerunAfterEdit(params, signal),
      staleChanged: () => this.guard(() => this.staleMarks.update(), undefined),
    });
    this.staleMarks = new StaleMarks({
      connection, docs: this.docs, anyStale: () => this.textBound.anyStale(),
      // the lens's own verdict: the era of the document's settings, else of its tree, else the race's
      verdictOf: (d, race) => {
        const era = this.settings.peek(d.uri)?.defaultEra || this.workspaces.forDocument(d.uri)?.era;
        return this.textBound.get(race.name, era || race.era, undefined, d.uri);
      },
    });
    this.describer = new BodyDescriber({
      log: (m) => connection.console.error(m), refreshLenses,
      items: async (d) => {
        const ctx = this.cContext(d, await this.settings.get(d.uri));
        return { era: ctx.era || newestEra(), items: bodyItems(d, ctx) };
      },
      overlays: () => this.sources.overlayList(),
      isOpen: (d) => this.docs.get(d.uri) === d,
    });
  }

  /**
   * A patch is reviewed on the workspace's kernel tree; on a kernel-shaped folder that is
   * not a whole tree (it holds mm/ or fs/), on that folder in the era setting; else on the
   * built-in models of the era setting (6.1 when none).
   */
  private reviewTarget(uri: string, era: string): { src?: string; era?: string } {
    // a patch from elsewhere (a mail saved to /tmp, an untitled buffer) is about the workspace's tree
    const ws = this.workspaces.forDocument(uri) ?? this.workspaces.list[0];
    if (ws?.isTree) return { src: ws.folder };
    const kernelShaped = ws && ws.roots.some((r) => path.resolve(r) !== path.resolve(ws.folder));
    return kernelShaped ? { src: ws.folder, era: era || ws.era || '6.1' } : { era: era || '6.1' };
  }

  /** A review of an open patch document, reading the open documents as they are on screen and the workspace's .race files. */
  private async reviewPatch(arg: PatchReviewParams | undefined): Promise<ReviewPatchResult | ResponseError<void>> {
    const d = this.docs.get(arg?.uri ?? '');
    if (!arg || !d) return new ResponseError(ErrorCodes.InvalidParams, 'no open patch document with this uri');
    const target = arg.src || arg.era ? arg : { ...arg, ...this.reviewTarget(d.uri, (await this.settings.get(d.uri)).defaultEra) };
    const buffers = new Map<string, string>();
    for (const o of this.docs.all()) {
      const p = o.uri.startsWith('file:') && !isPatchDocument(o) ? documentPath(o.uri) : undefined;
      if (p) buffers.set(p, o.doc.getText());
    }
    const ws = this.workspaces.forDocument(d.uri) ?? this.workspaces.list[0];
    const races = ws ? workspaceRaceFiles(ws.folder, buffers) : { files: [], skipped: [] };
    const result = await this.patchReviews.review(target, d, { buffers, scenarios: races.files });
    return races.skipped.length ? { ...result, skippedScenarios: races.skipped } : result;
  }

  register(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => void this.initialized());
    c.onShutdown(() => this.shutdown());
    c.onDidOpenTextDocument((p) => {
      this.background.busy();
      traced('didOpen', () => {
        const d = this.docs.open(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text);
        this.openedAt.set(d.uri, d.doc.version);
        // asked now, so that the first hover and lens do not wait for the client's answer
        void this.settings.get(d.uri);
        this.documentChanged(d);
      });
    });
    c.onDidChangeTextDocument((p) => {
      this.background.busy();
      traced('didChange', () => {
        const d = this.guard(() => this.docs.change(p.textDocument.uri, p.textDocument.version ?? 0, p.contentChanges), undefined);
        if (d) this.documentChanged(d);
      }, { version: p.textDocument.version });
    });
    c.onDidCloseTextDocument((p) => {
      this.docs.close(p.textDocument.uri);
      this.openedAt.delete(p.textDocument.uri);
      this.settings.clear(p.textDocument.uri);
      this.patchReviews.forget(p.textDocument.uri);
      this.sources.removeOverlay(p.textDocument.uri);
      this.descriptions.clear();
      this.verdicts.forget(p.textDocument.uri);
      this.staleMarks.forget(p.textDocument.uri);
      void c.sendDiagnostics({ uri: p.textDocument.uri, diagnostics: [] });
      this.textBound.closed(p.textDocument.uri);
    });
    c.onHover(async (p) => {
      this.background.busy();
      const t = trace && wallMs();
      try {
        return await this.hover(p);
      } finally {
        if (trace) trace.event('hover', { at: t, ms: wallMs() - t!, line: p.position.line });
      }
    });
    c.onCodeLens(async (p) => {
      this.background.busy();
      const t = trace && wallMs();
      try {
        return await this.codeLens(p);
      } finally {
        if (trace) trace.event('codeLens', { at: t, ms: wallMs() - t!, version: this.docs.get(p.textDocument.uri)?.doc.version });
      }
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
    c.onDidChangeConfiguration(() => {
      this.settings.clear();
      for (const d of this.docs.all()) void this.settings.get(d.uri);
      if (this.clientRefreshesLenses) void c.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    });
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
      this.describer.bodies.clear();
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
        case Commands.pickRace:
          return pickRace(this.connection, arg as PickRaceParams, (params) => this.runRace(params, token, progress));
        case REVIEW_COMMAND:
          return this.reviewPatch(arg as PatchReviewParams | undefined);
        default:
          return new ResponseError(ErrorCodes.InvalidParams, `unknown command ${p.command}`);
      }
    });
    c.onRequest(ListRacesRequest, () => this.listRaces());
    c.onRequest(BuiltinDocumentRequest, (p: BuiltinDocumentParams): BuiltinDocumentResult | ResponseError<void> =>
      builtinDocument(p?.uri ?? '') ?? new ResponseError(ErrorCodes.InvalidParams, `no built-in document ${String(p?.uri)}`));
  }

  private async hover(p: HoverParams): Promise<Hover | null> {
    this.pacing.flush();
    const d = this.docs.get(p.textDocument.uri);
    if (!d) return null;
    if (isRaceDocument(d)) return this.guard(() => raceHover(d, p.position, this.descriptions), null);
    // the era of the description is the document's setting, else the tree's
    const settings = await this.settings.get(d.uri);
    return this.guard(() => cHover(d, p.position, this.cContext(d, settings)), null);
  }

  private async codeLens(p: CodeLensParams): Promise<CodeLens[]> {
    this.pacing.flush();
    const d = this.docs.get(p.textDocument.uri);
    if (!d) return [];
    const settings = await this.settings.get(d.uri);
    if (!settings.codeLens) return [];
    if (isPatchDocument(d)) return this.guard(() => this.patchReviews.lenses(d, this.reviewTarget(d.uri, settings.defaultEra)), []);
    return this.guard((): CodeLens[] => (isRaceDocument(d) ? raceLenses(d, this.verdicts) : cLenses(d, this.cContext(d, settings))), []);
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
        executeCommandProvider: { commands: [Commands.runRace, Commands.runFile, Commands.explain, Commands.pickRace, REVIEW_COMMAND] },
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
      const ws = new WorkspaceFolder(folder, settings.indexRoots, (p) => this.readForIndex(p));
      this.workspaces.add(ws);
      void ws.start((progress) => {
        void this.connection.sendNotification(IndexProgressNotification, progress);
      }, () => this.background.quiet()).catch((err) => this.connection.console.error(`racelens: index of ${folder}: ${String(err)}`));
    }
    this.runs.warm(DEFAULT_SETTINGS.maxMemoryMb);
    // which races reach which function: derived once from the library, and the hover's code run
    // once, before the first lens or hover needs them
    traced('warm-up', () => this.guard(() => warmUp((d) => this.cContext(d)), 0));
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

  private async shutdown(): Promise<void> {
    this.textBound.dispose();
    const described = this.describer.dispose();
    this.pacing.dispose();
    this.runs.dispose();
    // both workers end between two parses, before the exit notification ends the process
    await Promise.all([described, ...this.workspaces.list.map((ws) => ws.stop())]);
  }

  private cContext(d: OpenDocument, settings?: RacelensSettings): CContext {
    const ws = this.workspaces.forDocument(d.uri);
    const era = settings?.defaultEra || ws?.era;
    const old = oldSideOf(d, this.docs.all());
    return {
      verdictOf: (race, raceEra) => this.textBound.get(race, era || raceEra, undefined, d.uri),
      workspace: ws, sources: this.sources, descriptions: this.descriptions, bodies: this.describer.bodies, era,
      ...(old ? { old: { side: old, verdictOf: (race: string, raceEra: string) => this.textBound.get(race, era || raceEra, undefined, old.uri) } } : {}),
    };
  }

  /** The document a run adds to the workspace's sources: one no root holds (untitled:, git:, a file elsewhere); '' for none. */
  private extraSource(uri: string | undefined): string {
    const doc = uri ? this.docs.get(uri) : undefined;
    if (!doc || isRaceDocument(doc)) return '';
    const ws = this.workspaces.forDocument(doc.uri);
    const p = documentPath(doc.uri);
    const held = doc.uri.startsWith('file:') && p !== undefined && !!ws && ws.sources.some((r) => p.startsWith(r.endsWith('/') ? r : `${r}/`));
    return held ? '' : doc.uri;
  }

  private documentChanged(d: OpenDocument): void {
    // runs read every open document through the overlays (a .race one too)
    this.guard(() => this.sources.setOverlay(d.uri, d.doc.getText(), d.doc.version), undefined);
    if (!isRaceDocument(d)) {
      this.descriptions.clear();
      // the index follows the text on screen too (a big generated file waits for its save)
      const p = documentPath(d.uri);
      if (p && d.uri.startsWith('file:') && d.doc.getText().length < 1024 * 1024) {
        if (d.doc.version > (this.openedAt.get(d.uri) ?? 0)) this.pacing.reindexLater(p);
        // an opened file: the text pass the hover needs anyway serves the index too
        else this.workspaces.forPath(p)?.index.scanned(p, documentTextScan(d));
      }
      this.describer.changed(d, p);
    }
    if (isRaceDocument(d)) {
      const diagnostics = this.guard(() => parseRaceDocument(d).diagnostics, []);
      void this.connection.sendDiagnostics({ uri: d.uri, diagnostics });
    } else {
      this.pacing.edited(d);
    }
  }

  /** The scenario of a run: a built-in's name, or a .race document (open, or on disk), parsed. */
  private scenarioOf(name: string): ResolvedScenario | ScenarioProblem {
    return resolveScenario(name, (key) => {
      const open = this.docs.get(name);
      if (open) return open.doc.getText();
      return readScenarioFile(key, name);
    }, raceFileName(name));
  }

  private async runRace(params: RunRaceParams, token: CancellationToken, progress: WorkDoneProgressReporter): Promise<RunResultJson | ResponseError<void>> {
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    try {
      return await this.runWith(params, abort, progress);
    } finally {
      cancelled.dispose();
    }
  }

  /** A run; `progress` absent for one the server starts itself (a re-run after an edit). */
  private async runWith(params: RunRaceParams, abort: AbortController, progress?: WorkDoneProgressReporter): Promise<RunResultJson | ResponseError<void>> {
    this.pacing.flush();
    if (!params || typeof params.scenario !== 'string') return new ResponseError(ErrorCodes.InvalidParams, 'racelens.runRace takes [{scenario, uri?, function?, era?}]');
    if (params.before) {
      // the old side of a diff first, unless its text has a verdict already (a re-run after an edit of the new side)
      const { before, ...rest } = params;
      const oldDoc = this.docs.get(before);
      const oldEra = params.era || (await this.settings.get(before)).defaultEra || this.workspaces.forDocument(before)?.era;
      const known = oldEra ? this.textBound.get(params.scenario, oldEra, params.fs, before) : undefined;
      if (oldDoc && (!known || known.stale)) {
        const old = await this.runWith({ ...rest, uri: before }, abort);
        if (old instanceof ResponseError || abort.signal.aborted) return old;
      }
      params = rest;
    }
    const settings = await settingsFor(this.connection, params.uri, this.clientHasConfiguration);
    const ws = params.uri ? this.workspaces.forDocument(params.uri) : this.workspaces.list[0];
    // the scenario's own era is the runner's default too; named here for the progress title
    const ownEra = (): string | undefined => {
      const scenario = this.scenarioOf(params.scenario);
      return 'race' in scenario ? scenario.race.era : undefined;
    };
    const era = params.era || settings.defaultEra || ws?.era || ownEra();
    // the workspace's roots, then the document itself when no root holds it (untitled:, git:, a file elsewhere)
    const sources = ws ? [...ws.sources] : [];
    const extra = this.extraSource(params.uri);
    if (extra) sources.push(extra);
    // a built-in race's expect line of another release than the tree's (the Testing view,
    // Run All): its era's built-in models, said so, rather than a mix the runner refuses
    const treeEra = ws?.isTree ? ws.era : undefined;
    const otherRelease = !params.uri && builtinRaces().has(params.scenario) && treeEra && era && era.split('+')[0] !== treeEra;
    if (otherRelease) sources.length = 0;
    const maxExecutions = params.maxExecutions ?? (settings.maxExecutions || undefined);
    const maxStates = params.maxStates ?? (settings.maxStates || undefined);
    const timeLimitMs = params.timeLimitMs ?? (settings.timeLimitMs || undefined);
    const req: RunOptions = {
      scenario: params.scenario, era, fs: params.fs || undefined, sources,
      maxExecutions: maxExecutions || undefined, maxStates: maxStates || undefined, timeLimitMs: timeLimitMs || undefined,
      maxMemoryMb: settings.maxMemoryMb, replay: params.replay || undefined,
      // racelens.config, relative to the workspace folder; '' leaves Debian's own for the release
      configFile: settings.config ? path.resolve(ws?.folder ?? process.cwd(), settings.config) : undefined,
    };
    const title = `racelens: ${builtinRaces().get(params.scenario)?.name ?? params.scenario.split('/').pop()}${era ? ` (era ${era})` : ''}`;
    progress?.begin(title, undefined, 'starting', true);
    const onProgress = progress && ((p: RunProgressJson) => progress.report(`${p.executions.toLocaleString('en-US')} executions, ${p.states.toLocaleString('en-US')} states, ${(p.elapsedMs / 1000).toFixed(1)} s`));
    const result = await this.textBound.track(params, abort, () => this.runs.run(req, { signal: abort.signal, ...(onProgress ? { onProgress } : {}) }));
    this.recordRun(params, result);
    progress?.done();
    if (otherRelease) result.sourceNote = `ran on the built-in models of era ${era}: the workspace is the Linux ${treeEra} tree, not ${era!.split('+')[0]}`;
    return result;
  }

  /** A re-run after an edit: no progress to show, cancelled by the next edit. */
  private async rerunAfterEdit(params: RunRaceParams, signal: AbortSignal): Promise<void> {
    const abort = new AbortController();
    if (signal.aborted) return;
    signal.addEventListener('abort', () => abort.abort(), { once: true });
    await this.runWith(params, abort);
  }

  /** A .race document's run goes on its own lenses; every run is told to the client. */
  private recordRun(params: RunRaceParams, result: RunResultJson): void {
    const d = this.docs.get(params.scenario);
    if (d && isRaceDocument(d)) {
      const race = parseRaceDocument(d).race;
      if (race) this.verdicts.set(d.uri, '', `${race.name}@${params.era ?? race.era}${params.fs ? `/${params.fs}` : ''}`, result);
    }
    if (this.clientRefreshesLenses) void this.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    void this.connection.sendNotification(RunFinishedNotification, { params, result });
    void this.connection.sendNotification(RunCoverageNotification, coverageParams(result));
  }

  private async runFile(params: RunFileParams, token: CancellationToken, progress: WorkDoneProgressReporter): Promise<RunResultJson[] | ResponseError<void>> {
    if (!params || typeof params.scenario !== 'string') return new ResponseError(ErrorCodes.InvalidParams, 'racelens.runFile takes [{scenario}]');
    const scenario = this.scenarioOf(params.scenario);
    if ('problem' in scenario && !scenario.found) return new ResponseError(ErrorCodes.InvalidParams, scenario.problem);
    // a scenario that does not parse runs once: its result carries the parse errors
    const runs: { era?: string; fs?: string }[] = 'race' in scenario ? planRuns(scenario.race) : [{}];
    const out: RunResultJson[] = [];
    for (const r of runs) {
      if (token.isCancellationRequested) break;
      const res = await this.runRace({ scenario: params.scenario, era: r.era, fs: r.fs }, token, progress);
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
    // built in the describe worker: a first lift takes seconds, which would hold up every lens and hover here
    const sources = d && !isRaceDocument(d) ? this.guard(() => bodyItem(d, params.function, ctx).sources, undefined) : undefined;
    const inWorker = this.describer.bodies.explain({ era: ctx.era || newestEra(), name: params.function, ...(sources ? { sources } : {}), overlays: this.sources.overlayList() });
    if (inWorker) {
      const explained = await inWorker;
      return explained ? { function: params.function, ...explained } : { function: params.function, text: `no model, primitive or catalog entry named '${params.function}'`, markdown: '' };
    }
    // no worker (the log said why): built here
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
