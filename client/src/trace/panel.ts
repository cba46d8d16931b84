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
import type { RunResultJson, VerdictsStaleParams } from '../protocol.js';

/** The same race as shown: its verdict replaces, or makes stale, the one on screen. */
function sameRace(a: RunResultJson, b: { scenario: string; era: string; fs?: string }): boolean {
  return a.scenario === b.scenario && a.era === b.era && (a.fs ?? '') === (b.fs ?? '');
}

interface OpenMessage { type: 'open' | 'reveal'; uri: string; line: number; column: number }
interface ReplayMessage { type: 'replay' }
type PageMessage = OpenMessage | ReplayMessage;

export class TracePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: RunRecord | undefined;
  /** why the trace on screen is not the verdict of the text on screen, if it is not */
  private notice: string | undefined;

  constructor(private readonly replay: (rec: RunRecord) => void) {}

  /** The run the view shows (replay and re-run act on it). */
  get record(): RunRecord | undefined {
    return this.panel ? this.shown : undefined;
  }

  /** A run finished somewhere: a newer run of the race shown takes its place, or says it superseded it. */
  noteFinished(rec: RunRecord): void {
    const shown = this.shown;
    if (!this.panel || !shown || shown.result === rec.result || !sameRace(shown.result, rec.result) || rec.result.budgetHit === 'cancelled') return;
    if (rec.result.trace?.length) {
      this.show(rec);
    } else {
      this.notice = `A later run of this race against the text on screen: ${rec.result.verdict}${rec.result.invariant ? ` ${rec.result.invariant}` : ''} (${rec.result.executions.toLocaleString('en-US')} executions). The trace below is from an earlier text.`;
      this.render();
    }
  }

  /** The server says which verdicts an edit made stale: the trace shown may be one. */
  noteStale(p: VerdictsStaleParams): void {
    const shown = this.shown;
    if (!this.panel || !shown) return;
    const hit = p.stale.find((s) => sameRace(shown.result, s) && JSON.stringify(s.ranOn) === JSON.stringify(shown.result.ranOn ?? []));
    if (!hit) return;
    const docs = hit.ranOn.map((r) => `${vscode.workspace.asRelativePath(vscode.Uri.parse(r.uri))} (version ${r.version})`).join(', ');
    this.notice = `Before your edit: this run read ${docs || 'an earlier text'}; a body it followed has changed since. It runs again after a pause (racelens.rerunOnEdit).`;
    this.render();
  }

  show(rec: RunRecord): void {
    this.shown = rec;
    this.notice = undefined;
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
    this.render();
  }

  private render(): void {
    if (!this.panel || !this.shown) return;
    this.panel.webview.html = traceHtml(this.shown.result, { nonce: randomBytes(16).toString('base64'), ...(this.notice ? { notice: this.notice } : {}) });
  }

  private onMessage(m: PageMessage): void {
    if (m.type === 'open') void openLocation(m.uri, m.line, m.column);
    // back and forward move the editor along, the trace view keeping the focus
    else if (m.type === 'reveal') void openLocation(m.uri, m.line, m.column, true);
    else if (m.type === 'replay' && this.shown) this.replay(this.shown);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** Opens a 1-based location in the first editor column, beside the trace view. */
export async function openLocation(uri: string, line: number, column: number, preserveFocus = false): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const pos = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos), preserveFocus, preview: true });
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
