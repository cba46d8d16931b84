/**
 * The parts of the extension and the wires between them: the language client, the
 * run service, the status bar, the trace view, the Test Explorer, the built-in
 * document provider and the command table.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands.js';
import { BuiltinDocuments } from './builtin-documents.js';
import { createLanguageClient } from './language-client.js';
import { Log } from './output.js';
import { IndexProgressNotification, RunFinishedNotification, StaleFunctionsNotification, VerdictsStaleNotification, type IndexProgressParams, type RunFinishedParams, type RunRaceParams, type StaleFunctionsParams, type VerdictsStaleParams } from './protocol.js';
import { Runs, type RunRecord } from './runs.js';
import { StatusBar } from './status-bar.js';
import { RaceTests } from './test-explorer.js';
import { TracePanel } from './trace/panel.js';
import { ExplainDocuments } from './explain-documents.js';
import { ReviewPanel } from './review/panel.js';
import { reviewAndShow, reviewPatchCommand } from './review/command.js';
import { StaleMarks } from './stale-marks.js';

export class RacelensClient implements vscode.Disposable {
  readonly log = new Log();
  readonly status = new StatusBar();
  readonly runs: Runs;
  readonly trace: TracePanel;
  readonly tests: RaceTests;
  readonly explained = new ExplainDocuments();
  readonly review: ReviewPanel;
  /** "⟳ verdict before your edit" on the header lines of the functions an edit made stale */
  readonly staleMarks = new StaleMarks();
  private client: LanguageClient | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionRoot: string) {
    const client = (): LanguageClient | undefined => this.client;
    this.runs = new Runs(client, this.log);
    this.trace = new TracePanel((rec) => void this.replay(rec));
    this.tests = new RaceTests(client, this.runs, (rec) => this.trace.show(rec));
    this.review = new ReviewPanel((rec) => this.trace.show(rec));
    this.disposables.push(
      this.log, this.status, this.runs, this.trace, this.tests, this.explained, this.review, this.staleMarks,
      this.runs.onDidFinish((rec) => this.status.setLastRun(rec)),
      this.runs.onDidFinish((rec) => this.trace.noteFinished(rec)),
      BuiltinDocuments.register(client),
      ...registerCommands({
        client,
        runs: this.runs,
        showTrace: (rec) => this.trace.show(rec),
        shownTrace: () => this.trace.record,
        showTestRecord: (id) => this.tests.show(id),
        restart: () => this.restart(),
        showOutput: () => this.log.channel.show(true),
        explained: this.explained,
        reviewPatch: () => reviewPatchCommand(this.client, this.review),
      }),
    );
  }

  /** The server's language client (for tests that drive the extension). */
  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  async start(): Promise<void> {
    this.status.setServerState('starting');
    this.staleMarks.clear();
    const client = createLanguageClient(this.extensionRoot, this.log, {
      runRace: (params) => this.runFromLens(params),
      pickRace: async (params) => {
        const pick = await vscode.window.showQuickPick(params.choices.map((c) => ({ label: c.label, choice: c })), {
          placeHolder: `Races of ${params.function}, the most relevant first`,
        });
        return pick ? this.runFromLens(pick.choice.params) : undefined;
      },
      reviewPatch: (params) => reviewAndShow(client, params, this.review),
      runFile: async (params) => {
        const results = await this.runs.runFile(params);
        const bad = results?.find((r) => r.asExpected === false) ?? results?.find((r) => r.trace?.length);
        if (bad) this.trace.show({ params: { scenario: params.scenario, era: bad.era, ...(bad.fs ? { fs: bad.fs } : {}) }, result: bad });
        return results;
      },
    }, () => this.status.setServerState('stopped'));
    this.client = client;
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) {
        this.status.setServerState('running');
        void this.tests.refresh().catch((err) => this.log.line(`listing races: ${String(err)}`));
      }
    });
    client.onNotification(IndexProgressNotification, (p: IndexProgressParams) => this.status.setIndexProgress(p));
    client.onNotification(RunFinishedNotification, (p: RunFinishedParams) => this.runs.noteFinished({ params: p.params, result: p.result }));
    client.onNotification(StaleFunctionsNotification, (p: StaleFunctionsParams) => this.staleMarks.note(p));
    client.onNotification(VerdictsStaleNotification, (p: VerdictsStaleParams) => {
      this.trace.noteStale(p);
      this.tests.noteStale(p);
    });
    try {
      await client.start();
    } catch (e) {
      this.status.setServerState('stopped');
      this.error(e);
    }
  }

  /** A lens click: run with progress, then show the trace (or say the verdict). */
  private async runFromLens(params: RunRaceParams): Promise<unknown> {
    try {
      const result = await this.runs.run(params);
      if (!result) return undefined;
      const rec: RunRecord = { params, result };
      if (result.trace?.length) this.trace.show(rec);
      else void vscode.window.setStatusBarMessage(`racelens: ${result.scenario} ${result.era}: ${result.verdict}`, 10_000);
      return result;
    } catch (e) {
      this.error(e);
      return undefined;
    }
  }

  /** The trace view's replay button: the same schedule again, step by step. */
  private async replay(rec: RunRecord): Promise<void> {
    try {
      const result = await this.runs.again(rec, true);
      if (result) this.trace.show({ params: { ...rec.params, replay: rec.result.schedule }, result });
    } catch (e) {
      this.error(e);
    }
  }

  async restart(): Promise<void> {
    if (this.client) {
      const old = this.client;
      this.client = undefined;
      await old.stop().catch(() => undefined);
      await old.dispose().catch(() => undefined);
    }
    await this.start();
  }

  private error(e: unknown): void {
    const text = e instanceof Error ? e.message : String(e);
    this.log.line(text);
    void vscode.window.showErrorMessage(`racelens: ${text}`);
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) await c.stop().catch(() => undefined);
  }

  dispose(): void {
    void this.stop();
    this.disposables.forEach((d) => d.dispose());
  }
}
