/** The status bar item: how far the index has got, then the verdict of the last run. */
import * as vscode from 'vscode';
import type { IndexProgressParams } from './protocol.js';
import { describeParams, describeResult, type RunRecord } from './runs.js';

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private index: IndexProgressParams | undefined;
  private lastRun: RunRecord | undefined;
  private serverState: 'starting' | 'running' | 'stopped' = 'starting';

  constructor() {
    this.item = vscode.window.createStatusBarItem('racelens.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'racelens';
    this.render();
    this.item.show();
  }

  setServerState(state: 'starting' | 'running' | 'stopped'): void {
    this.serverState = state;
    this.render();
  }

  setIndexProgress(p: IndexProgressParams): void {
    this.index = p;
    this.render();
  }

  setLastRun(rec: RunRecord): void {
    this.lastRun = rec;
    this.render();
  }

  private render(): void {
    const parts: string[] = [];
    const tips: string[] = [];
    if (this.serverState === 'stopped') {
      parts.push('$(debug-disconnect) racelens stopped');
      tips.push('The language server is not running: racelens: Restart the Language Server.');
      this.item.command = 'racelens.restartServer';
    } else if (this.index && !this.index.done) {
      parts.push(`$(sync~spin) racelens: indexing ${this.index.indexedFiles}/${this.index.files}`);
      tips.push(`Indexing the workspace: ${this.index.indexedFiles} of ${this.index.files} files, ${this.index.ms} ms so far.`);
      this.item.command = 'racelens.showOutput';
    } else {
      parts.push(this.serverState === 'starting' ? '$(loading~spin) racelens' : '$(beaker) racelens');
      if (this.index) tips.push(`Index: ${this.index.files} files in ${this.index.ms} ms.`);
      this.item.command = this.lastRun ? 'racelens.showTrace' : 'racelens.showOutput';
    }
    if (this.lastRun) {
      const r = this.lastRun.result;
      const icon = r.verdict === 'holds' ? '$(pass)' : r.verdict === 'violated' ? '$(error)' : '$(warning)';
      parts.push(`${icon} ${r.scenario} ${r.era}: ${describeResult(r)}`);
      tips.push(`Last run: ${describeParams(this.lastRun.params)} — ${describeResult(r)}. Click to show its trace.`);
    }
    this.item.text = parts.join('  ');
    this.item.tooltip = tips.join('\n');
  }

  dispose(): void {
    this.item.dispose();
  }
}
