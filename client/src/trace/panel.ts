/**
 * The trace view: one webview panel in the side column, showing the last run the
 * user asked to see. The page is built by `html.ts`; this file only opens it, answers
 * its link clicks (workspace files and `racelens-builtin:` documents alike) and its
 * replay button.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { traceHtml } from './html.js';
import type { RunRecord } from '../runs.js';

interface OpenMessage { type: 'open'; uri: string; line: number; column: number }
interface ReplayMessage { type: 'replay' }
type PageMessage = OpenMessage | ReplayMessage;

export class TracePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: RunRecord | undefined;

  constructor(private readonly replay: (rec: RunRecord) => void) {}

  /** The run the view shows (replay and re-run act on it). */
  get record(): RunRecord | undefined {
    return this.panel ? this.shown : undefined;
  }

  show(rec: RunRecord): void {
    this.shown = rec;
    const title = `Trace: ${rec.result.scenario} ${rec.result.era}`;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('racelens.trace', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        // the page loads nothing: no local or remote resources at all
        localResourceRoots: [],
        retainContextWhenHidden: true,
      });
      this.panel.onDidDispose(() => { this.panel = undefined; });
      this.panel.webview.onDidReceiveMessage((m: PageMessage) => this.onMessage(m));
    } else {
      this.panel.title = title;
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    this.panel.webview.html = traceHtml(rec.result, { nonce: randomBytes(16).toString('base64') });
  }

  private onMessage(m: PageMessage): void {
    if (m.type === 'open') void openLocation(m.uri, m.line, m.column);
    else if (m.type === 'replay' && this.shown) this.replay(this.shown);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** Opens a 1-based location in the first editor column, beside the trace view. */
export async function openLocation(uri: string, line: number, column: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const pos = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos), preserveFocus: false });
}
