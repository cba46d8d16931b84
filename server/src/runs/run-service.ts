/**
 * Runs off the main thread: a child process explores while the server stays
 * responsive. A run can be cancelled: the answer comes at once (`incomplete`, budget
 * 'cancelled', with the counts last reported) while the child stops by itself within
 * milliseconds (it polls a cancel file) or is killed after DRAIN_MS. It reports progress at
 * least every 250 ms, and one that outgrows its memory budget ends `incomplete`
 * ('memory') — the explorer stops at the budget, and should the child's heap still
 * overflow, the child dies, never the server. The child stays up between runs, so a
 * second run finds the built-in models and the workspace's lifts warm.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunProgressJson, RunResultJson } from '../scenario/result-json.js';
import type { Workspace } from '../workspace/workspace.js';
import { stoppedResult } from './execute.js';
import type { FromRunner, RunHead, ToRunner } from './protocol.js';
import { askedArgs, type RunOptions } from '../app/run-options.js';

/** What a prepare did: the scenarios whose model sets the child built, and what went wrong. */
export interface PreparedAnswer { scenarios: string[]; problems: string[]; ms: number }

/** How a caller steers one run: cancelling it, hearing its progress. */
export interface RunControl {
  signal?: AbortSignal;
  onProgress?: (p: RunProgressJson) => void;
}

export interface RunServiceOptions {
  /** open documents and files the runs read; its overlays go to the child with each run */
  workspace?: Workspace;
  /** the heap budget of a run that names none (MB) */
  defaultMaxMemoryMb?: number;
  /** how often the child reports while exploring (ms, default 100) */
  progressEveryMs?: number;
  /** the runner's entry point (tests may point elsewhere) */
  runner?: string;
}

/**
 * Progress goes to the caller at least this often, even while the child builds models
 * or searches for a shortest trace; the timer looks every HEARTBEAT_MS so that its own
 * jitter cannot stretch a gap much past the promise of 250 ms.
 */
const PROGRESS_EVERY_MS = 150;
const HEARTBEAT_MS = 50;
const DEFAULT_MAX_MEMORY_MB = 1024;
/** A caller's progress callback that throws must not take the service (or the server) down. */
function report(onProgress: (p: RunProgressJson) => void, p: RunProgressJson): void {
  try {
    onProgress(p);
  } catch {
    // the caller's problem; the run goes on
  }
}

/** The file whose existence tells the child to stop run `id` (the exploration cannot read messages). */
function cancelFile(id: number): string {
  return path.join(os.tmpdir(), `racelens-cancel-${process.pid}-${id}`);
}

/** Room above the explorer's heap budget for the rest of the child (models, the result). */
function hardLimitMb(budgetMb: number): number {
  return Math.ceil(budgetMb * 1.25) + 128;
}

interface Child {
  proc: ChildProcess;
  limitMb: number;
  stderr: string;
  exited: boolean;
  /** a cancelled run the child is still winding down; the next run waits for it */
  draining?: { id: number; file: string; done: Promise<void>; finish: () => void };
}

/** How long a cancelled run may take to stop by itself before its child is killed. */
const DRAIN_MS = 1000;

interface Pending {
  id: number;
  head?: RunHead;
  last: RunProgressJson;
  started: number;
  resolve: (r: RunResultJson) => void;
  req: RunOptions;
  onProgress?: (p: RunProgressJson) => void;
  lastSent: number;
  /** the child running it */
  child?: Child;
}

export class RunService {
  private child: Child | undefined;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private pending: Pending | undefined;
  /** files the workspace says changed since the child last heard */
  private invalidated = new Set<string>();
  private readonly unsubscribe: (() => void) | undefined;
  private disposed = false;

  constructor(private readonly opts: RunServiceOptions = {}) {
    this.unsubscribe = opts.workspace?.onChange((key) => this.invalidated.add(key));
  }

  /** Runs are taken one at a time, in the order asked. */
  run(req: RunOptions, options: RunControl = {}): Promise<RunResultJson> {
    const next = this.queue.then(() => this.runNow(req, options));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Starts the child ahead of the first run. */
  warm(maxMemoryMb?: number): void {
    this.childFor(maxMemoryMb ?? this.opts.defaultMaxMemoryMb ?? DEFAULT_MAX_MEMORY_MB);
  }

  private readonly preparing = new Map<number, (answer: PreparedAnswer) => void>();

  /**
   * Has the child index a kernel tree and lift what the built-in scenarios of its era
   * need, ahead of the first run (prepare.ts). Resolves when the child is done; runs
   * asked meanwhile are taken between two scenarios. A child that is replaced or dies
   * answers with the problem.
   */
  prepare(sources: string[], configFile?: string): Promise<PreparedAnswer> {
    if (this.disposed) return Promise.resolve({ scenarios: [], problems: ['the run service was shut down'], ms: 0 });
    const child = this.childFor(this.opts.defaultMaxMemoryMb ?? DEFAULT_MAX_MEMORY_MB);
    const id = this.nextId++;
    return new Promise<PreparedAnswer>((resolve) => {
      this.preparing.set(id, resolve);
      const gone = (): void => {
        if (this.preparing.delete(id)) resolve({ scenarios: [], problems: ['the run process exited before it was done'], ms: 0 });
      };
      child.proc.once('exit', gone);
      child.proc.send({ type: 'prepare', id, sources, cwd: process.cwd(), ...(configFile ? { configFile } : {}) } satisfies ToRunner, (err) => {
        if (err) gone();
      });
    });
  }

  dispose(): void {
    this.disposed = true;
    this.unsubscribe?.();
    this.kill();
  }

  /** The child's pid, for tests that watch it. */
  get childPid(): number | undefined {
    return this.child?.proc.pid;
  }

  private childFor(budgetMb: number): Child {
    const limitMb = hardLimitMb(budgetMb);
    if (this.child && !this.child.exited && this.child.limitMb === limitMb) return this.child;
    this.kill();
    const runner = this.opts.runner ?? path.join(__dirname, 'runner.js');
    const proc = fork(runner, [], {
      execArgv: [`--max-old-space-size=${limitMb}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const child: Child = { proc, limitMb, stderr: '', exited: false };
    proc.stderr?.on('data', (d: Buffer) => {
      // the end of stderr says why a child died
      child.stderr = (child.stderr + d.toString('utf8')).slice(-4000);
    });
    proc.on('message', (m: FromRunner) => this.onMessage(child, m));
    proc.on('exit', (code, signal) => {
      child.exited = true;
      if (this.child === child) this.child = undefined;
      child.draining?.finish();
      this.onChildGone(child, code, signal);
    });
    proc.on('error', () => { /* 'exit' follows, or the run times out on the budget */ });
    this.child = child;
    // a fresh child knows the disk as it is now
    this.invalidated.clear();
    return child;
  }

  private kill(): void {
    const c = this.child;
    this.child = undefined;
    if (c && !c.exited) c.proc.kill('SIGKILL');
  }

  private runNow(req: RunOptions, options: RunControl): Promise<RunResultJson> {
    return new Promise<RunResultJson>((resolve) => {
      const budgetMb = req.maxMemoryMb ?? this.opts.defaultMaxMemoryMb ?? DEFAULT_MAX_MEMORY_MB;
      const request: RunOptions = { ...req, maxMemoryMb: budgetMb };
      const started = Date.now();
      const fallbackHead: RunHead = {
        scenario: req.scenario, era: req.era ?? '', ...(req.fs ? { fs: req.fs } : {}), cpus: [],
        args: askedArgs(request),
      };
      if (this.disposed) {
        resolve(stoppedResult(fallbackHead, 'error', { message: 'the run service was shut down' }));
        return;
      }
      const pending: Pending = {
        id: this.nextId++, last: { executions: 0, states: 0, elapsedMs: 0 }, started, req: request,
        resolve: () => undefined, lastSent: 0,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      };
      const timer = setInterval(() => this.heartbeat(pending), HEARTBEAT_MS);
      const onAbort = (): void => {
        // answer at once; the child stops by itself (it polls the cancel file) or is killed
        if (pending.child) this.drain(pending.child, pending.id);
        finish(stoppedResult(pending.head ?? fallbackHead, 'incomplete', {
          executions: pending.last.executions, states: pending.last.states, ms: Date.now() - started, budgetHit: 'cancelled',
          message: 'cancelled',
        }));
      };
      const finish = (r: RunResultJson): void => {
        if (this.pending !== pending) return;
        this.pending = undefined;
        clearInterval(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      pending.resolve = finish;
      this.pending = pending;
      if (options.signal?.aborted) {
        onAbort();
        return;
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.send(pending, request, budgetMb).catch((err: unknown) => {
        finish(stoppedResult(pending.head ?? fallbackHead, 'error', { message: `could not start the run: ${(err as Error)?.message ?? String(err)}`, ms: Date.now() - started }));
      });
    });
  }

  /** Hands the run to a child once it is free (a cancelled run before it has wound down). */
  private async send(pending: Pending, request: RunOptions, budgetMb: number): Promise<void> {
    let child = this.childFor(budgetMb);
    while (child.draining) {
      await child.draining.done;
      if (this.pending !== pending) return;
      child = this.childFor(budgetMb);
    }
    pending.child = child;
    const message: ToRunner = {
      type: 'run', id: pending.id, request,
      overlays: this.opts.workspace?.overlayList() ?? [],
      invalidated: [...this.invalidated],
      progressEveryMs: this.opts.progressEveryMs ?? 100,
      cancelFile: cancelFile(pending.id),
      cwd: process.cwd(),
    };
    this.invalidated.clear();
    // a child that died a moment ago: its channel is closed, and send throws
    child.proc.send(message);
  }

  /** Asks the child to stop run `id`; kills it if it has not stopped within DRAIN_MS. */
  private drain(child: Child, id: number): void {
    if (child.exited || child.draining) return;
    const file = cancelFile(id);
    let finish = (): void => undefined;
    const done = new Promise<void>((r) => { finish = r; });
    const timer = setTimeout(() => {
      if (child.draining?.id !== id) return;
      child.proc.kill('SIGKILL');
      if (this.child === child) this.child = undefined;
    }, DRAIN_MS);
    child.draining = {
      id, file, done,
      finish: () => {
        clearTimeout(timer);
        if (child.draining?.id === id) delete child.draining;
        fs.rm(file, { force: true }, () => undefined);
        finish();
      },
    };
    try {
      fs.writeFileSync(file, '');
    } catch {
      child.draining.finish();
      child.proc.kill('SIGKILL');
      if (this.child === child) this.child = undefined;
    }
  }

  private heartbeat(p: Pending): void {
    if (this.pending !== p || !p.onProgress) return;
    const now = Date.now();
    if (now - p.lastSent < PROGRESS_EVERY_MS) return;
    p.lastSent = now;
    report(p.onProgress, { ...p.last, elapsedMs: now - p.started });
  }

  private onMessage(child: Child, m: FromRunner): void {
    if (m.type === 'prepared') {
      const resolve = this.preparing.get(m.id);
      this.preparing.delete(m.id);
      resolve?.({ scenarios: m.scenarios, problems: m.problems, ms: m.ms });
      return;
    }
    if (child.draining && 'id' in m && m.id === child.draining.id) {
      if (m.type === 'result') child.draining.finish();
      return;
    }
    const p = this.pending;
    if (!p || p.child !== child || !('id' in m) || m.id !== p.id) return;
    if (m.type === 'started') {
      p.head = m.head;
    } else if (m.type === 'progress') {
      p.last = m.progress;
      if (p.onProgress) {
        p.lastSent = Date.now();
        report(p.onProgress, { ...m.progress, elapsedMs: Date.now() - p.started });
      }
    } else if (m.type === 'result') {
      p.resolve(m.result);
    }
  }

  private onChildGone(child: Child, code: number | null, signal: NodeJS.Signals | null): void {
    const p = this.pending;
    // a child killed on purpose (cancelled, or replaced for another budget) answers for nothing
    if (!p || p.child !== child) return;
    const head = p.head ?? {
      scenario: p.req.scenario, era: p.req.era ?? '', cpus: [],
      args: askedArgs(p.req),
    };
    const counts = { executions: p.last.executions, states: p.last.states, ms: Date.now() - p.started };
    if (/heap out of memory|Allocation failed/i.test(child.stderr)) {
      p.resolve(stoppedResult(head, 'incomplete', {
        ...counts, budgetHit: 'memory',
        message: `the run outgrew its memory (heap limit ${child.limitMb} MB) and was stopped`,
      }));
    } else {
      p.resolve(stoppedResult(head, 'error', {
        ...counts, message: `the run's process ended unexpectedly (${signal ?? `exit ${code}`}): ${child.stderr.trim().split('\n').slice(-3).join(' ')}`,
      }));
    }
  }
}
