/**
 * The mark that an edit made a verdict stale, on screen at once: the server says which
 * functions' lenses show a verdict from before the edit (`racelens/staleFunctions`), and
 * their header lines get "⟳ verdict before your edit" after the text. VS Code changes a
 * lens's text only after two debounces of its own (asking for lenses, then resolving
 * them: 250 ms each at the least), so the lens follows at its pace; the mark goes when
 * the server says the function's verdicts match the text again (the re-run, an undo).
 */
import * as vscode from 'vscode';
import type { StaleFunctionsParams } from './protocol.js';
import { clientTrace } from './trace.js';

export const STALE_MARK_TEXT = '⟳ verdict before your edit';

export class StaleMarks implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    after: {
      contentText: `  ${STALE_MARK_TEXT}`,
      color: new vscode.ThemeColor('editorCodeLens.foreground'),
      fontStyle: 'italic',
    },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly byUri = new Map<string, StaleFunctionsParams>();
  private readonly disposables: vscode.Disposable[] = [this.type];

  constructor() {
    this.disposables.push(
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const e of editors) this.apply(e);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.byUri.delete(d.uri.toString())),
    );
  }

  /** The server's word for one document: its marks replace the ones it had. */
  note(p: StaleFunctionsParams): void {
    if (p.functions.length) this.byUri.set(p.uri, p);
    else this.byUri.delete(p.uri);
    for (const e of vscode.window.visibleTextEditors) if (e.document.uri.toString() === p.uri) this.apply(e);
    clientTrace('staleMarks', { version: p.version, functions: p.functions.length });
  }

  /** The server restarted: what it said before no longer holds. */
  clear(): void {
    this.byUri.clear();
    for (const e of vscode.window.visibleTextEditors) e.setDecorations(this.type, []);
  }

  private apply(editor: vscode.TextEditor): void {
    const p = this.byUri.get(editor.document.uri.toString());
    const lines = editor.document.lineCount;
    const options: vscode.DecorationOptions[] = (p?.functions ?? []).filter((f) => f.line < lines).map((f) => {
      const end = editor.document.lineAt(f.line).range.end;
      const hover = new vscode.MarkdownString(`racelens: the verdict of ${f.races.map((r) => `\`${r}\``).join(', ')} above \`${f.name}\` ran on the text before your edit; it runs again after a pause in typing (setting \`racelens.rerunOnEdit\`).`);
      return { range: new vscode.Range(end, end), hoverMessage: hover };
    });
    editor.setDecorations(this.type, options);
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
