/**
 * The language client: forks the server (`racelens lsp --stdio`), sends it C and .race documents
 * (any scheme, so unsaved buffers and the old side of a diff are analysed too),
 * restarts it when it crashes, and routes the server's run commands through `Runs`
 * so that a lens click shows progress, can be cancelled and opens the trace view.
 */
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Commands, ReviewPatchCommand, type PickRaceParams, type ReviewPatchParams, type RunFileParams, type RunRaceParams } from './protocol.js';
import { findServerModule } from './server-module.js';
import type { Log } from './output.js';
import { clientTrace } from './trace.js';

/** Crashes allowed within the window before the client stops restarting the server. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60_000;

export interface RunRoutes {
  runRace(params: RunRaceParams): Promise<unknown>;
  runFile(params: RunFileParams): Promise<unknown>;
  /** the one lens above a function with several races: a quick pick, then the run */
  pickRace(params: PickRaceParams): Promise<unknown>;
  /** a hunk's lens on a patch document: the review, then its table in the review view */
  reviewPatch(params: ReviewPatchParams): Promise<unknown>;
}

class RestartOnCrash implements ErrorHandler {
  private crashes: number[] = [];

  constructor(private readonly log: Log, private readonly onStopped: () => void) {}

  error(): { action: ErrorAction } {
    return { action: ErrorAction.Continue };
  }

  closed(): { action: CloseAction; message?: string } {
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < RESTART_WINDOW_MS);
    this.crashes.push(now);
    if (this.crashes.length > MAX_RESTARTS) {
      this.onStopped();
      return { action: CloseAction.DoNotRestart, message: `racelens: the language server stopped ${this.crashes.length} times in ${RESTART_WINDOW_MS / 60_000} minutes; not restarting it. See the racelens output, then run "racelens: Restart the Language Server".` };
    }
    this.log.line(`the language server stopped; restarting it (${this.crashes.length} of ${MAX_RESTARTS} in ${RESTART_WINDOW_MS / 60_000} minutes)`);
    return { action: CloseAction.Restart };
  }
}

export function createLanguageClient(extensionRoot: string, log: Log, routes: RunRoutes, onStopped: () => void): LanguageClient {
  const server = findServerModule(extensionRoot);
  const serverOptions: ServerOptions = {
    run: { module: server.module, args: server.args, transport: TransportKind.stdio },
    debug: { module: server.module, args: server.args, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // patch documents get review lenses (server/src/lsp/patch-features.ts)
    documentSelector: [{ language: 'c' }, { language: 'race' }, { language: 'diff' }, { pattern: '**/*.{patch,diff,eml,mbox}' }, { scheme: 'untitled', language: 'plaintext' }],
    outputChannel: log.channel,
    synchronize: {
      configurationSection: 'racelens',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{c,h,race}'),
    },
    errorHandler: new RestartOnCrash(log, onStopped),
    // the hover's "the rest" link opens the lifted-program view; no other command is trusted
    markdown: { isTrusted: { enabledCommands: ['racelens.explainFunction'] } },
    middleware: {
      // timed when tracing (RACELENS_LSP_TRACE): when the editor asks for lenses, and when it has them
      provideCodeLenses: async (document, token, next) => {
        const t = performance.timeOrigin + performance.now();
        const lenses = await next(document, token);
        clientTrace('provideCodeLenses', { at: t, ms: performance.timeOrigin + performance.now() - t, version: document.version });
        return lenses;
      },
      didChange: async (event, next) => {
        clientTrace('didChange', { version: event.document.version });
        return next(event);
      },
      executeCommand: async (command, args, next) => {
        if (command === Commands.runRace && args[0]) return routes.runRace(args[0] as RunRaceParams);
        if (command === Commands.runFile && args[0]) return routes.runFile(args[0] as RunFileParams);
        if (command === Commands.pickRace && args[0]) return routes.pickRace(args[0] as PickRaceParams);
        if (command === ReviewPatchCommand && args[0]) return routes.reviewPatch(args[0] as ReviewPatchParams);
        return next(command, args);
      },
    },
  };
  return new LanguageClient('racelens', 'racelens language server', serverOptions, clientOptions);
}
