/**
 * The Test Explorer: every race the server knows (built-in scenarios and the
 * workspace's .race files, from `racelens/listRaces`) is a test item with one child
 * per expect line. A child passes when its run comes out as the expect line says
 * (or holds, when the line says nothing); a failure carries the trace as its message
 * and a link that opens the trace view.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ListRacesRequest, type ListRacesResult, type RunRaceParams, type RunResultJson, type VerdictsStaleParams } from './protocol.js';
import { describeResult, type RunRecord, type Runs } from './runs.js';
import { failureLines, runPassed } from './test-verdict.js';
import { coverageCounts, mergeCoverage, type DocumentCoverage } from './coverage-lines.js';
import { clientTrace } from './trace.js';

type Race = ListRacesResult['races'][number];

/** The failure message: the verdict and the trace as text, with a link to the trace view. */
export function failureMarkdown(r: RunResultJson, recordId: string): vscode.MarkdownString {
  const lines = failureLines(r);
  const args = encodeURIComponent(JSON.stringify([recordId]));
  // the link goes right under the verdict, before the trace
  lines.splice(2, 0, `[Open the trace view](command:racelens.showTrace?${args})`, '');
  const md = new vscode.MarkdownString(lines.join('\n'));
  md.isTrusted = { enabledCommands: ['racelens.showTrace'] };
  return md;
}

export class RaceTests implements vscode.Disposable {
  private readonly controller: vscode.TestController;
  private readonly runOf = new WeakMap<vscode.TestItem, RunRaceParams>();
  private readonly disposables: vscode.Disposable[] = [];
  /** results the failure messages link to */
  private readonly records = new Map<string, RunRecord>();
  private nextRecord = 0;
  /** the last result of each item, to mark it outdated when an edit makes its verdict stale */
  private readonly lastResult = new Map<vscode.TestItem, RunResultJson>();
  /** the statements and functions behind each file of a coverage run */
  private readonly coverageDetails = new WeakMap<vscode.FileCoverage, vscode.FileCoverageDetail[]>();

  constructor(private readonly client: () => LanguageClient | undefined, private readonly runs: Runs,
    private readonly showRecord: (rec: RunRecord) => void) {
    this.controller = vscode.tests.createTestController('racelens', 'racelens races');
    this.controller.resolveHandler = async (item) => { if (!item) await this.refresh(); };
    this.controller.refreshHandler = () => this.refresh();
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (req, token) => this.runTests(req, token), true);
    // "did my code run?": the lines of the source functions the runs executed, as statement coverage
    const coverage = this.controller.createRunProfile('Run with Coverage', vscode.TestRunProfileKind.Coverage, (req, token) => this.runTests(req, token, true), true);
    coverage.loadDetailedCoverage = async (_run, file) => {
      const details = this.coverageDetails.get(file);
      clientTrace('loadDetailedCoverage', { uri: file.uri.toString(), details: details?.length ?? -1 });
      return details ?? [];
    };
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.race');
    const later = (): void => { void this.refresh(); };
    this.disposables.push(watcher, watcher.onDidChange(later), watcher.onDidCreate(later), watcher.onDidDelete(later), this.controller);
  }

  /** A record a failure message links to, by its id. */
  record(id: string): RunRecord | undefined {
    return this.records.get(id);
  }

  async refresh(): Promise<void> {
    const client = this.client();
    if (!client?.isRunning()) return;
    const list = await client.sendRequest<ListRacesResult>(ListRacesRequest, {});
    const items: vscode.TestItem[] = [];
    for (const race of list.races) items.push(this.raceItem(race));
    this.controller.items.replace(items);
  }

  private raceItem(race: Race): vscode.TestItem {
    const uri = vscode.Uri.parse(race.uri);
    const builtin = uri.scheme !== 'file';
    const item = this.controller.createTestItem(race.uri, race.name, uri);
    item.description = builtin ? 'built-in' : vscode.workspace.asRelativePath(uri);
    item.range = new vscode.Range(race.line - 1, 0, race.line - 1, 0);
    item.sortText = `${builtin ? 1 : 0}${race.name}`;
    // built-ins run by name; a workspace file runs by uri
    const scenario = builtin ? race.name : race.uri;
    for (const run of race.runs) {
      const label = `${run.era}${run.fs ? ' ' + run.fs : ''}: expect ${run.expect}`;
      const child = this.controller.createTestItem(`${race.uri}#${run.line}`, label, uri);
      child.range = new vscode.Range(run.line - 1, 0, run.line - 1, 0);
      const params: RunRaceParams = { scenario, era: run.era };
      if (run.fs) params.fs = run.fs;
      this.runOf.set(child, params);
      item.children.add(child);
    }
    item.description = `${item.description} — ${race.title}`;
    return item;
  }

  private leaves(req: vscode.TestRunRequest): vscode.TestItem[] {
    const out: vscode.TestItem[] = [];
    const excluded = new Set(req.exclude ?? []);
    const visit = (item: vscode.TestItem): void => {
      if (excluded.has(item)) return;
      if (this.runOf.has(item)) out.push(item);
      item.children.forEach(visit);
    };
    if (req.include) req.include.forEach(visit);
    else this.controller.items.forEach(visit);
    return out;
  }

  private async runTests(req: vscode.TestRunRequest, token: vscode.CancellationToken, withCoverage = false): Promise<void> {
    if (!req.include && this.controller.items.size === 0) await this.refresh();
    const run = this.controller.createTestRun(req);
    const leaves = this.leaves(req);
    const results: RunResultJson[] = [];
    leaves.forEach((l) => run.enqueued(l));
    try {
      for (const item of leaves) {
        if (token.isCancellationRequested) {
          run.skipped(item);
          continue;
        }
        const params = this.runOf.get(item)!;
        run.started(item);
        try {
          const result = await this.runs.run(params, { token, notify: false });
          if (!result) {
            run.skipped(item);
            continue;
          }
          const id = String(this.nextRecord++);
          this.records.set(id, { params, result });
          this.lastResult.set(item, result);
          results.push(result);
          run.appendOutput(`${result.scenario} ${result.era}: ${describeResult(result)}${result.sourceNote ? ` (${result.sourceNote})` : ''}\r\n`);
          if (runPassed(result)) {
            run.passed(item, result.ms);
          } else {
            const message = new vscode.TestMessage(failureMarkdown(result, id));
            if (item.uri && item.range) message.location = new vscode.Location(item.uri, item.range);
            run.failed(item, message, result.ms);
          }
        } catch (e) {
          run.errored(item, new vscode.TestMessage(e instanceof Error ? e.message : String(e)));
        }
      }
    } finally {
      if (withCoverage) for (const d of mergeCoverage(results)) run.addCoverage(this.fileCoverage(d));
      run.end();
    }
  }

  /** One document's coverage: a statement per line the runs could reach, a declaration per function. */
  private fileCoverage(d: DocumentCoverage): vscode.FileCoverage {
    const uri = vscode.Uri.parse(d.uri);
    const open = vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString());
    // the whole line when the document is open, else its start
    const where = (line: number): vscode.Range | vscode.Position => (open && line < open.lineCount ? open.lineAt(line).range : new vscode.Position(line, 0));
    const details: vscode.FileCoverageDetail[] = [
      ...[...d.lines].map(([line, ran]) => new vscode.StatementCoverage(ran ? 1 : 0, where(line))),
      ...[...d.functions].map(([name, f]) => new vscode.DeclarationCoverage(name, f.executed ? 1 : 0, where(f.line))),
    ];
    const { covered, total } = coverageCounts(d);
    const executedFns = [...d.functions.values()].filter((f) => f.executed).length;
    const file = new vscode.FileCoverage(uri, new vscode.TestCoverageCount(covered, total), undefined, new vscode.TestCoverageCount(executedFns, d.functions.size));
    this.coverageDetails.set(file, details);
    clientTrace('addCoverage', { uri: uri.toString(), open: !!open, lines: d.lines.size, first: Math.min(...d.lines.keys()), last: Math.max(...d.lines.keys()), lineCount: open?.lineCount });
    return file;
  }

  /** Results whose verdict an edit made stale show as outdated (the Testing view's own mark). */
  noteStale(p: VerdictsStaleParams): void {
    for (const [item, r] of this.lastResult) {
      const stale = p.stale.some((s) => s.scenario === r.scenario && s.era === r.era && (s.fs ?? '') === (r.fs ?? '') && JSON.stringify(s.ranOn) === JSON.stringify(r.ranOn ?? []));
      if (stale) {
        this.controller.invalidateTestResults(item);
        this.lastResult.delete(item);
      }
    }
  }

  show(id: string): boolean {
    const rec = this.records.get(id);
    if (rec) this.showRecord(rec);
    return !!rec;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
