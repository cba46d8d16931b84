/**
 * The client's commands, in one table. Runs come from the server's own lenses (their
 * arguments are plain `RunRaceParams`), so "the race under the cursor" is the lens
 * nearest above the cursor, the same run a click would start.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { BUILTIN_SCHEME, Commands, ListRacesRequest, type ExplainParams, type ExplainResult, type ListRacesResult, type RunRaceParams, type RunResultJson } from './protocol.js';
import type { ExplainDocuments } from './explain-documents.js';
import { lensRuns, onePerRace, type RunLens } from './lens-runs.js';
import { describeResult, type RunRecord, type Runs } from './runs.js';

export interface CommandContext {
  client: () => LanguageClient | undefined;
  runs: Runs;
  showTrace: (rec: RunRecord) => void;
  shownTrace: () => RunRecord | undefined;
  showTestRecord: (id: string) => boolean;
  restart: () => Promise<void>;
  showOutput: () => void;
  explained: ExplainDocuments;
  /** `racelens: Review Patch…` (review/command.ts) */
  reviewPatch: () => Promise<void>;
}

/** The runs the lenses of a document offer (one lens may offer several races), in line order. */
async function runLenses(uri: vscode.Uri): Promise<RunLens[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100) ?? [];
  return lensRuns(lenses.map((l) => ({ line: l.range.start.line, ...(l.command ? { command: l.command } : {}) })));
}

function activeEditor(): vscode.TextEditor {
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new Error('racelens: no editor is active');
  return editor;
}

/** Shows the trace of a violated run; says the verdict of the others. */
function report(ctx: CommandContext, params: RunRaceParams, result: RunResultJson | undefined): void {
  if (!result) return;
  if (result.trace?.length) {
    ctx.showTrace({ params, result });
  } else {
    void vscode.window.showInformationMessage(`racelens: ${result.scenario} ${result.era}: ${describeResult(result)} (${result.executions} executions, ${result.states} states)`);
  }
}

async function runRaceAtCursor(ctx: CommandContext): Promise<void> {
  const editor = activeEditor();
  const lenses = await runLenses(editor.document.uri);
  const cursor = editor.selection.active.line;
  const above = lenses.filter((l) => l.line <= cursor);
  const line = above.length ? above[above.length - 1]!.line : lenses[0]?.line;
  const candidates = lenses.filter((l) => l.line === line);
  if (!candidates.length) {
    void vscode.window.showInformationMessage('racelens: no race lens at or above the cursor (is this function in a race, and is racelens.codeLens on?)');
    return;
  }
  const pick = candidates.length === 1 ? candidates[0] : await vscode.window.showQuickPick(
    candidates.map((c) => ({ label: c.title, lens: c })), { placeHolder: 'Which race?' }).then((p) => p?.lens);
  if (!pick) return;
  report(ctx, pick.params, await ctx.runs.run(pick.params));
}

async function runFileRaces(ctx: CommandContext): Promise<void> {
  const doc = activeEditor().document;
  if (doc.languageId === 'race') {
    const scenario = doc.uri.scheme === BUILTIN_SCHEME ? doc.uri.path.replace(/^.*\//, '').replace(/\.race$/, '') : doc.uri.toString();
    const results = await ctx.runs.runFile({ scenario });
    if (!results) return;
    const bad = results.find((r) => r.asExpected === false) ?? results.find((r) => r.verdict === 'violated');
    if (bad) ctx.showTrace({ params: { scenario, era: bad.era, ...(bad.fs ? { fs: bad.fs } : {}) }, result: bad });
    void vscode.window.showInformationMessage(`racelens: ${results.map((r) => `${r.era} ${describeResult(r)}`).join('; ')}`);
    return;
  }
  const lenses = await runLenses(doc.uri);
  if (!lenses.length) {
    void vscode.window.showInformationMessage('racelens: no race lens in this file');
    return;
  }
  const summary: string[] = [];
  let firstBad: RunRecord | undefined;
  for (const l of onePerRace(lenses)) {
    const result = await ctx.runs.run(l.params);
    if (!result) return; // cancelled: stop the batch
    summary.push(`${result.scenario} ${result.era}: ${describeResult(result)}`);
    if (!firstBad && result.trace?.length) firstBad = { params: l.params, result };
  }
  if (firstBad) ctx.showTrace(firstBad);
  void vscode.window.showInformationMessage(`racelens: ${summary.join('; ')}`);
}

async function rerunLast(ctx: CommandContext, replay: boolean): Promise<void> {
  const rec = (replay ? ctx.shownTrace() : undefined) ?? ctx.runs.last;
  if (!rec) {
    void vscode.window.showInformationMessage('racelens: no race has run yet in this window');
    return;
  }
  report(ctx, rec.params, await ctx.runs.again(rec, replay));
}

async function openScenarioLibrary(ctx: CommandContext): Promise<void> {
  const client = ctx.client();
  if (!client) throw new Error('racelens: the language server is not running');
  const list = await client.sendRequest<ListRacesResult>(ListRacesRequest, {});
  const builtins = list.races.filter((r) => r.uri.startsWith(`${BUILTIN_SCHEME}:`));
  const pick = await vscode.window.showQuickPick(builtins.map((r) => ({
    label: r.name, description: r.runs.map((x) => `${x.era} ${x.expect}`).join(' · '), detail: r.title, race: r,
  })), { placeHolder: 'Built-in race scenarios', matchOnDescription: true, matchOnDetail: true });
  if (!pick) return;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(pick.race.uri));
  await vscode.window.showTextDocument(doc, { preview: false });
}

/** The lifted program of a function (the name under the cursor, or the one a hover's link names), in a read-only view. */
async function explainFunction(ctx: CommandContext, arg?: unknown): Promise<void> {
  const given = arg && typeof arg === 'object' && typeof (arg as ExplainParams).function === 'string' ? arg as ExplainParams : undefined;
  let params: ExplainParams;
  if (given) {
    params = given;
  } else {
    const editor = activeEditor();
    const range = editor.document.getWordRangeAtPosition(editor.selection.active, /[A-Za-z_]\w*/);
    const name = range ? editor.document.getText(range) : await vscode.window.showInputBox({ prompt: 'Kernel function to explain' });
    if (!name) return;
    params = { function: name, uri: editor.document.uri.toString() };
  }
  const client = ctx.client();
  if (!client) throw new Error('racelens: the language server is not running');
  const result = await client.sendRequest(ExecuteCommandRequest.type, { command: Commands.explain, arguments: [params] }) as ExplainResult;
  const doc = await vscode.workspace.openTextDocument(ctx.explained.put(params.function, result.text));
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

/** Every command the extension contributes, by id (package.json lists the same ids). */
export function commandTable(ctx: CommandContext): Record<string, (...args: unknown[]) => unknown> {
  return {
    'racelens.runRaceAtCursor': () => runRaceAtCursor(ctx),
    'racelens.runFileRaces': () => runFileRaces(ctx),
    'racelens.rerunLast': () => rerunLast(ctx, false),
    'racelens.replayTrace': () => rerunLast(ctx, true),
    'racelens.openScenarioLibrary': () => openScenarioLibrary(ctx),
    'racelens.explainFunction': (arg?: unknown) => explainFunction(ctx, arg),
    'racelens.showTrace': (id?: unknown) => {
      if (typeof id === 'string' && ctx.showTestRecord(id)) return;
      const rec = ctx.runs.last;
      if (rec) ctx.showTrace(rec);
      else void vscode.window.showInformationMessage('racelens: no race has run yet in this window');
    },
    'racelens.restartServer': () => ctx.restart(),
    'racelens.showOutput': () => ctx.showOutput(),
    'racelens.reviewPatchFile': () => ctx.reviewPatch(),
  };
}

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(commandTable(ctx)).map(([id, fn]) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      await fn(...args);
    } catch (e) {
      void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
    }
  }));
}
