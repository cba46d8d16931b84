/**
 * Lenses in VS Code's diff editor need `diffEditor.codeLens`, off by default, and nothing
 * in the editor says so. The first time a diff of a C file is shown with it off, the
 * extension offers to turn it on (in the user's settings); the choice "Not now" holds for
 * the window, "Never" for good.
 */
import * as vscode from 'vscode';

const NEVER_KEY = 'racelens.diffLensOffer.never';

function showsCDiff(): boolean {
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) =>
    t.input instanceof vscode.TabInputTextDiff && /\.[ch]$/.test(t.input.modified.path)));
}

export class DiffLensOffer implements vscode.Disposable {
  private asked = false;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly state: vscode.Memento) {
    this.subscription = vscode.window.tabGroups.onDidChangeTabs(() => void this.check());
    void this.check();
  }

  private async check(): Promise<void> {
    if (this.asked || this.state.get<boolean>(NEVER_KEY) || !showsCDiff()) return;
    if (vscode.workspace.getConfiguration('diffEditor').get<boolean>('codeLens')) return;
    this.asked = true;
    const on = 'Turn diffEditor.codeLens on';
    const never = 'Never';
    const choice = await vscode.window.showInformationMessage(
      'racelens: the race lenses are hidden in the diff editor because diffEditor.codeLens is off (VS Code\'s default). Turn it on?',
      on, 'Not now', never);
    if (choice === on) {
      await vscode.workspace.getConfiguration('diffEditor').update('codeLens', true, vscode.ConfigurationTarget.Global);
      void vscode.window.showInformationMessage('racelens: diffEditor.codeLens is on; diff editors opened from now on show the lenses (reopen this one).');
    } else if (choice === never) {
      await this.state.update(NEVER_KEY, true);
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
