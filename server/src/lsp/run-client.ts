/**
 * Runs scenarios in child processes (run-child.ts): the server stays responsive, a
 * cancelled run is ended at once by ending its process, and a run that exceeds its
 * memory budget ends its process, never the server. One process is kept warm.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { RunProgressJson, RunResultJson } from '../scenario/result-json.js';
import { RESULT_JSON_VERSION } from '../scenario/result-json.js';
import type { ChildMessage, ChildRunRequest } from './run-messages.js';

export interface RunHandle {
  result: Promise<RunResultJson>;
  cancel(): void;
}

interface Worker {
  child: ChildProcess;
  heapMb: number;
  busy: boolean;
}

const CHILD = path.join(__dirname, 'run-child.js');

export class RunClient {
  private idle: Worker | undefined;
  private nextId = 1;
  private readonly live = new Set<Worker>();

  run(req: ChildRunRequest, maxMemoryMb: number, onProgress?: (p: RunProgressJson) => void): RunHandle {
    const worker = this.take(maxMemoryMb);
    const id = this.nextId++;
    const started = Date.now();
    let last: RunProgressJson = { executions: 0, states: 0, elapsedMs: 0 };
    let settle!: (r: RunResultJson) => void;
    let done = false;
    const result = new Promise<RunResultJson>((resolve) => { settle = resolve; });
    const stopped = (budgetHit: string, message: string): RunResultJson => ({
      version: RESULT_JSON_VERSION, scenario: req.args.scenario, era: req.era, ...(req.fs ? { fs: req.fs } : {}),
      verdict: 'incomplete', budgetHit, message, executions: last.executions, states: last.states, violations: 0,
      ms: Date.now() - started, models: [], assumptions: [], cpus: [], args: req.args,
    });
    const finish = (r: RunResultJson, reusable: boolean): void => {
      if (done) return;
      done = true;
      worker.child.off('message', onMessage);
      worker.child.off('exit', onExit);
      if (reusable) this.release(worker);
      else this.end(worker);
      settle(r);
    };
    const onMessage = (m: ChildMessage): void => {
      if (m.id !== id) return;
      if (m.type === 'progress') {
        last = m.progress;
        onProgress?.(m.progress);
      } else if (m.type === 'result') {
        finish(m.result, true);
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      this.live.delete(worker);
      if (this.idle === worker) this.idle = undefined;
      finish(stopped('memory', `the run process ended (${signal ?? `exit ${code}`}) before a verdict, most likely at its memory budget of ${worker.heapMb} MB`), false);
    };
    worker.child.on('message', onMessage);
    worker.child.on('exit', onExit);
    worker.child.send({ type: 'run', id, request: req });
    return {
      result,
      cancel: () => finish(stopped('cancelled', 'cancelled'), false),
    };
  }

  private take(heapMb: number): Worker {
    const idle = this.idle;
    if (idle && idle.heapMb === heapMb && idle.child.connected) {
      this.idle = undefined;
      idle.busy = true;
      return idle;
    }
    const child = fork(CHILD, [], {
      execArgv: [`--max-old-space-size=${heapMb}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: process.env,
    });
    // the run process's own complaints (a heap-limit abort) are not the server's output
    child.stderr?.resume();
    child.on('error', () => undefined);
    const w: Worker = { child, heapMb, busy: true };
    this.live.add(w);
    return w;
  }

  private release(w: Worker): void {
    w.busy = false;
    if (this.idle && this.idle !== w) this.end(this.idle);
    this.idle = w;
  }

  private end(w: Worker): void {
    this.live.delete(w);
    if (this.idle === w) this.idle = undefined;
    try {
      w.child.kill('SIGKILL');
    } catch { /* already gone */ }
  }

  /** A file changed on disk: every run process forgets what it read of it. */
  invalidate(p: string): void {
    for (const w of this.live) if (w.child.connected) w.child.send({ type: 'invalidate', path: p });
  }

  /** Starts a process ahead of the first run. */
  warm(heapMb: number): void {
    if (!this.idle) this.release(this.take(heapMb));
  }

  dispose(): void {
    for (const w of [...this.live]) this.end(w);
  }
}
