/** The one output channel: the server's log (through the language client) and the client's own lines. */
import * as vscode from 'vscode';

export class Log {
  readonly channel: vscode.OutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('racelens');
  }

  line(text: string): void {
    this.channel.appendLine(`[${new Date().toISOString().slice(11, 23)}] ${text}`);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
