/**
 * The review view: one webview panel beside the editor with the table of the last
 * review (`html.ts`); a break's or a fix's "trace" link opens that run in the trace view.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { reviewHtml, type ReviewPageOptions } from './html.js';
import type { ReviewJson } from '../protocol.js';
import type { RunRecord } from '../runs.js';

interface TraceMessage { type: 'trace'; race: number; side: 'before' | 'after' }

export class ReviewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: ReviewJson | undefined;

  constructor(private readonly showTrace: (rec: RunRecord) => void) {}

  show(review: ReviewJson, opts: Omit<ReviewPageOptions, 'nonce'>): void {
    this.shown = review;
    const title = `Review: ${opts.title}`;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('racelens.review', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true, localResourceRoots: [], retainContextWhenHidden: true,
      });
      this.panel.onDidDispose(() => { this.panel = undefined; });
      this.panel.webview.onDidReceiveMessage((m: TraceMessage) => this.onMessage(m));
    } else {
      this.panel.title = title;
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    this.panel.webview.html = reviewHtml(review, { ...opts, nonce: randomBytes(16).toString('base64') });
  }

  private onMessage(m: TraceMessage): void {
    const race = m.type === 'trace' ? this.shown?.races[m.race] : undefined;
    const result = race?.[m.side];
    if (!race || !result) return;
    if (!result.trace?.length) {
      void vscode.window.showInformationMessage(`racelens: ${race.scenario} ${race.era} ${m.side} the patch: ${result.verdict}, no trace`);
      return;
    }
    this.showTrace({ params: { scenario: race.scenario, era: race.era }, result });
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
