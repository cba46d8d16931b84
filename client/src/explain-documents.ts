/**
 * `racelens-explain:` documents: the lifted program of a function, read-only (a
 * TextDocumentContentProvider's documents cannot be edited or saved), one per function
 * name, its text replaced each time the function is explained again.
 */
import * as vscode from 'vscode';

export const EXPLAIN_SCHEME = 'racelens-explain';

export class ExplainDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, this);

  /** Keeps `text` as the view of `fn` and returns its uri. */
  put(fn: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${fn}.lifted.txt` });
    this.texts.set(uri.path, text);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? `nothing explained as ${uri.path} in this window; run "racelens: Show the Lifted Program" again`;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
