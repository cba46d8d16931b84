/**
 * Runs as plain objects: a lens, a command, a test item and the trace view's replay
 * button all hold a `RunRaceParams` and hand it here. One place sends it to the server
 * (`workspace/executeCommand` with a work-done token, so progress shows and Cancel
 * sends `$/cancelRequest`), remembers the last run, and tells listeners the result.
 */
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { ExecuteCommandRequest, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { Commands, type RunFileParams, type RunRaceParams, type RunResultJson } from './protocol.js';
import type { Log } from './output.js';

export interface RunRecord {
  params: RunRaceParams;
  result: RunResultJson;
}

export interface RunOptions {
  /** a caller's own cancellation (the Test Explorer's Stop) */
  token?: vscode.CancellationToken;
  /** show a notification with progress and Cancel; default true */
  notify?: boolean;
}

export class RunCancelled extends Error {
  constructor() {
    super('run cancelled');
  }
}

export function describeParams(p: RunRaceParams): string {
  return [p.scenario.replace(/^.*\//, ''), p.era, p.fs, p.function ? `(${p.function})` : undefined, p.replay ? 'replay' : undefined].filter(Boolean).join(' ');
}

export function describeResult(r: RunResultJson): string {
  const budget = r.verdict === 'incomplete' && r.budgetHit ? ` (${r.budgetHit})` : '';
  return `${r.verdict}${r.invariant ? ' ' + r.invariant : ''}${budget}${r.asExpected === false && r.verdict !== 'incomplete' ? ' (not as expected)' : ''}`;
}

export class Runs implements vscode.Disposable {
  private lastRecord: RunRecord | undefined;
  private readonly finished = new vscode.EventEmitter<RunRecord>();
  /** every finished run of this window, newest last */
  readonly onDidFinish = this.finished.event;

  constructor(private readonly client: () => LanguageClient | undefined, private readonly log: Log) {}

  get last(): RunRecord | undefined {
    return this.lastRecord;
  }

  /** Runs one race; undefined when the user cancelled it. */
  async run(params: RunRaceParams, opts: RunOptions = {}): Promise<RunResultJson | undefined> {
    const title = `racelens: ${describeParams(params)}`;
    const work = (progress: vscode.Progress<{ message?: string }> | undefined, token: vscode.CancellationToken | undefined) =>
      this.send<RunResultJson>(Commands.runRace, [params], progress, [token, opts.token]);
    let result: RunResultJson;
    try {
      result = opts.notify === false
        ? await work(undefined, undefined)
        : await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, work);
    } catch (e) {
      if (e instanceof RunCancelled) {
        this.log.line(`${describeParams(params)}: cancelled`);
        return undefined;
      }
      this.log.line(`${describeParams(params)}: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
    this.record({ params, result });
    return result;
  }

  /** Every expect line of a .race document or built-in scenario. */
  async runFile(params: RunFileParams, opts: RunOptions = {}): Promise<RunResultJson[] | undefined> {
    const title = `racelens: all races of ${params.scenario.replace(/^.*\//, '')}`;
    try {
      const results = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true },
        (progress, token) => this.send<RunResultJson[]>(Commands.runFile, [params], progress, [token, opts.token]));
      for (const result of results) {
        this.record({ params: { scenario: params.scenario, era: result.era, ...(result.fs ? { fs: result.fs } : {}) }, result });
      }
      return results;
    } catch (e) {
      if (e instanceof RunCancelled) return undefined;
      throw e;
    }
  }

  /** The same run again, or with the schedule of its trace. */
  again(record: RunRecord, replay: boolean, opts: RunOptions = {}): Promise<RunResultJson | undefined> {
    const params: RunRaceParams = { ...record.params };
    if (replay) {
      const schedule = record.result.schedule ?? record.result.args?.replay;
      if (!schedule) throw new Error(`${describeParams(record.params)} has no trace to replay (verdict ${record.result.verdict})`);
      params.replay = schedule;
    } else {
      delete params.replay;
    }
    return this.run(params, opts);
  }

  /** A run that another client or the server itself started. */
  noteFinished(record: RunRecord): void {
    const same = this.lastRecord && this.lastRecord.result === record.result;
    if (!same) this.record(record, false);
  }

  private record(rec: RunRecord, logIt = true): void {
    this.lastRecord = rec;
    if (logIt) this.log.line(`${describeParams(rec.params)}: ${describeResult(rec.result)} (${rec.result.executions} executions, ${rec.result.states} states, ${rec.result.ms} ms)`);
    this.finished.fire(rec);
  }

  private async send<T>(command: string, args: unknown[], progress: vscode.Progress<{ message?: string }> | undefined,
    tokens: (vscode.CancellationToken | undefined)[]): Promise<T> {
    const client = this.client();
    if (!client) throw new Error('the racelens language server is not running');
    const cancel = new vscode.CancellationTokenSource();
    const links = tokens.filter((t): t is vscode.CancellationToken => !!t).map((t) => {
      if (t.isCancellationRequested) cancel.cancel();
      return t.onCancellationRequested(() => cancel.cancel());
    });
    const workDoneToken = randomUUID();
    const progressSub = client.onProgress(WorkDoneProgress.type, workDoneToken, (v) => {
      if (progress && v.kind !== 'end' && v.message) progress.report({ message: v.message });
    });
    try {
      // a run cancelled in time still answers, incomplete with its counts so far: keep that
      return await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args, workDoneToken }, cancel.token) as T;
    } catch (e) {
      if (cancel.token.isCancellationRequested) throw new RunCancelled();
      throw e;
    } finally {
      progressSub.dispose();
      links.forEach((l) => l.dispose());
      cancel.dispose();
    }
  }

  dispose(): void {
    this.finished.dispose();
  }
}
