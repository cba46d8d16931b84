/**
 * `racelens: Review Patch…`: the active document when it holds a patch, a .patch,
 * .diff, .mbox or .eml file, or the clipboard; the server reviews it (ReviewPatchCommand,
 * on the workspace's tree, its open documents as on screen) and the table shows in the
 * review view. A hunk's lens goes the same way.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { ReviewPatchCommand, type ReviewPatchParams, type ReviewPatchResult } from '../protocol.js';
import type { ReviewPanel } from './panel.js';

const PATCH_FILE = /\.(patch|diff|eml|mbox)$/i;

function holdsPatch(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'diff' || PATCH_FILE.test(doc.uri.path) || /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/m.test(doc.getText());
}

/** Which document to review: asked when the active one is not a patch (or always, from the palette). */
async function pickDocument(): Promise<vscode.TextDocument | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  const items: (vscode.QuickPickItem & { from: 'active' | 'file' | 'clipboard' })[] = [];
  if (active && holdsPatch(active)) items.push({ label: 'The active document', description: vscode.workspace.asRelativePath(active.uri), from: 'active' });
  items.push({ label: 'A patch or mailbox file…', description: '.patch .diff .mbox .eml', from: 'file' });
  items.push({ label: 'The clipboard', from: 'clipboard' });
  const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder: 'Review which patch?' });
  if (!pick) return undefined;
  if (pick.from === 'active') return active;
  if (pick.from === 'clipboard') {
    const text = await vscode.env.clipboard.readText();
    if (!text.trim()) throw new Error('racelens: the clipboard is empty');
    return vscode.workspace.openTextDocument({ language: 'diff', content: text });
  }
  const [uri] = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Review', filters: { Patches: ['patch', 'diff', 'mbox', 'eml'], 'All files': ['*'] } }) ?? [];
  return uri ? vscode.workspace.openTextDocument(uri) : undefined;
}

/** Reviews `params.uri` in the server and shows the table; the lenses of the document say the result too. */
export async function reviewAndShow(client: LanguageClient, params: ReviewPatchParams, panel: ReviewPanel): Promise<ReviewPatchResult | undefined> {
  const uri = vscode.Uri.parse(params.uri);
  const name = uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `racelens: reviewing ${name}` },
    () => client.sendRequest(ExecuteCommandRequest.type, { command: ReviewPatchCommand, arguments: [params] }) as Promise<ReviewPatchResult>);
  if (!result?.review) {
    void vscode.window.showErrorMessage(`racelens: the review of ${name} failed: ${result?.error ?? 'no answer'}`);
    return result;
  }
  const target = params.src ? `the tree ${params.src}${params.era ? ` (era ${params.era})` : ''}` : params.era ? `the built-in models of ${params.era}` : 'the workspace';
  panel.show(result.review, { title: name, target, ...(result.skippedScenarios ? { skipped: result.skippedScenarios } : {}) });
  return result;
}

export async function reviewPatchCommand(client: LanguageClient | undefined, panel: ReviewPanel): Promise<void> {
  if (!client) throw new Error('racelens: the language server is not running');
  const doc = await pickDocument();
  if (!doc) return;
  // the server reviews open documents: showing it opens it, and the hunks' lenses follow
  await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: false });
  await reviewAndShow(client, { uri: doc.uri.toString() }, panel);
}
