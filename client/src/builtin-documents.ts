/**
 * `racelens-builtin:` documents: the built-in models and scenarios, read-only, with
 * their text from the server (`racelens/builtinDocument`), so every link in a hover
 * or a trace lands on a real line whether the model is built in or in the workspace.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BUILTIN_SCHEME, BuiltinDocumentRequest, type BuiltinDocumentParams, type BuiltinDocumentResult } from './protocol.js';

export class BuiltinDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: () => LanguageClient | undefined) {}

  static register(client: () => LanguageClient | undefined): vscode.Disposable {
    return vscode.workspace.registerTextDocumentContentProvider(BUILTIN_SCHEME, new BuiltinDocuments(client));
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const client = this.client();
    if (!client) throw new Error(`cannot open ${uri.toString()}: the racelens language server is not running`);
    await client.start();
    const params: BuiltinDocumentParams = { uri: uri.toString(true) };
    const result = await client.sendRequest<BuiltinDocumentResult>(BuiltinDocumentRequest, params, token);
    return result.text;
  }
}
