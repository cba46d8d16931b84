/**
 * An LSP client for the tests: starts `node server/bin/racelens.js lsp --stdio` as a
 * child process and speaks LSP to it with vscode-jsonrpc, answering the server's own
 * requests (configuration, progress tokens, lens refreshes) like an editor would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import {
  createMessageConnection, StreamMessageReader, StreamMessageWriter, CancellationTokenSource,
  type MessageConnection, type CancellationToken,
} from 'vscode-jsonrpc/node';
import { CLI } from './fixtures.js';

export interface LspPosition { line: number; character: number }
export interface LspRange { start: LspPosition; end: LspPosition }
export interface Diagnostic { range: LspRange; severity?: number; message: string; code?: string | number; relatedInformation?: { location: { uri: string; range: LspRange }; message: string }[] }
export interface CodeLens { range: LspRange; command?: { title: string; command: string; arguments?: unknown[] } }

export class LspSession {
  readonly child: ChildProcess;
  readonly conn: MessageConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly progress = new Map<string, unknown[]>();
  readonly stderr: string[] = [];
  settings: Record<string, unknown>;
  private diagnosticWaiters: (() => void)[] = [];

  constructor(settings: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}) {
    this.settings = settings;
    // RACELENS_LSP_NODE_ARGS: node options for the server alone (a CPU profile, say)
    const nodeArgs = (process.env.RACELENS_LSP_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.child = spawn(process.execPath, [...nodeArgs, CLI, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.child.stderr!.on('data', (b: Buffer) => this.stderr.push(b.toString()));
    this.conn = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => this.settings));
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('workspace/codeLens/refresh', () => null);
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      const w = this.diagnosticWaiters;
      this.diagnosticWaiters = [];
      for (const f of w) f();
    });
    this.conn.onNotification('$/progress', (p: { token: string; value: unknown }) => {
      const list = this.progress.get(String(p.token)) ?? [];
      list.push(p.value);
      this.progress.set(String(p.token), list);
    });
    this.conn.onNotification((method: string, params: unknown) => this.notifications.push({ method, params }));
    this.conn.listen();
  }

  async initialize(rootUri: string | null): Promise<unknown> {
    const r = await this.conn.sendRequest('initialize', {
      processId: process.pid, rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
      capabilities: {
        workspace: { configuration: true, codeLens: { refreshSupport: true }, didChangeWatchedFiles: { dynamicRegistration: false } },
        window: { workDoneProgress: true },
        textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] }, publishDiagnostics: { relatedInformation: true } },
      },
    });
    await this.conn.sendNotification('initialized', {});
    return r;
  }

  open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, changes: ({ range: LspRange; text: string } | { text: string })[]): Promise<void> {
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  hover(uri: string, position: LspPosition): Promise<{ contents: { kind: string; value: string }; range?: LspRange } | null> {
    return this.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  codeLens(uri: string): Promise<CodeLens[]> {
    return this.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } });
  }

  execute<T>(command: string, args: unknown[], opts: { workDoneToken?: string; token?: CancellationToken } = {}): Promise<T> {
    const params = { command, arguments: args, ...(opts.workDoneToken ? { workDoneToken: opts.workDoneToken } : {}) };
    return opts.token ? this.conn.sendRequest('workspace/executeCommand', params, opts.token) : this.conn.sendRequest('workspace/executeCommand', params);
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest(method, params);
  }

  /** Waits for the next diagnostics of `uri` that satisfy `ok`. */
  async diagnosticsOf(uri: string, ok: (d: Diagnostic[]) => boolean, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const d = this.diagnostics.get(uri);
      if (d && ok(d)) return d;
      await new Promise<void>((r) => {
        this.diagnosticWaiters.push(r);
        setTimeout(r, 200);
      });
    }
    throw new Error(`no matching diagnostics for ${uri}: ${JSON.stringify(this.diagnostics.get(uri))}`);
  }

  /** The server process's resident set, in kB. */
  rssKb(): number {
    const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((r) => {
      if (!this.alive) r(this.child.exitCode);
      else this.child.once('exit', (code) => r(code));
    });
    try {
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
    } catch { /* already gone */ }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    const code = await exited;
    clearTimeout(timer);
    this.conn.dispose();
    return code;
  }
}

export { CancellationTokenSource };

/** Position of the first occurrence of `needle` (after `after`, when given) in `text`. */
export function positionOf(text: string, needle: string, after = 0, delta = 0): LspPosition {
  const at = text.indexOf(needle, after);
  if (at < 0) throw new Error(`'${needle}' not in text`);
  const offset = at + delta;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function rangeOfSpan(text: string, start: number, end: number): LspRange {
  const pos = (o: number): LspPosition => {
    const before = text.slice(0, o);
    return { line: before.split('\n').length - 1, character: o - (before.lastIndexOf('\n') + 1) };
  };
  return { start: pos(start), end: pos(end) };
}
