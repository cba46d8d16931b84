/**
 * The run service's child process: runs one request at a time, off the server's main
 * thread, and stays up between runs so that the built-in model sets and the workspace's
 * lifts stay warm. The exploration is synchronous and cannot read messages, so a run
 * is cancelled through a file whose existence it polls; a child that does not stop in
 * time is killed by the parent and another started.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Workspace } from '../workspace/workspace.js';
import { executeRun, stoppedResult } from './execute.js';
import type { RunResultJson } from '../scenario/result-json.js';
import type { FromRunner, ToRunner } from './protocol.js';
import { prepareJobs } from './prepare.js';
import { askedArgs } from '../app/run-options.js';
import { sourceModelSet } from '../catalog/source-models.js';

/** The run process's niceness (0 is the server's). */
const RUNNER_NICENESS = 5;
const workspace = new Workspace();
// The editor's own requests (hovers, lenses) go to the server process; runs and the
// preparing of a tree are batch work: a core they share goes to the server first.
try {
  os.setPriority(RUNNER_NICENESS);
} catch {
  // not allowed here: the same priority as the server
}
/** How often a run looks for its cancel file. */
const CANCEL_POLL_MS = 20;

function send(m: FromRunner): void {
  process.send?.(m);
}

/** The child's workspace takes the parent's overlays and forgets the files it was told changed. */
function syncWorkspace(m: Extract<ToRunner, { type: 'run' }>): void {
  for (const key of m.invalidated) workspace.invalidate(key);
  const wanted = new Map(m.overlays.map((o) => [o.key, o]));
  for (const o of workspace.overlayList()) if (!wanted.has(o.key)) workspace.removeOverlay(o.key);
  for (const o of m.overlays) {
    const have = workspace.overlay(o.key);
    if (!have || have.version !== o.version || have.text !== o.text) workspace.setOverlay(o.key, o.text, o.version);
  }
}

/**
 * Builds the model sets a prepare asks for, one scenario per turn of the event loop so
 * that a run asked meanwhile is taken between two of them.
 */
function prepare(m: Extract<ToRunner, { type: 'prepare' }>): void {
  const started = Date.now();
  const jobs = prepareJobs(m.sources);
  const done: string[] = [];
  const problems = [...jobs.problems];
  const next = (): void => {
    const job = jobs.list.shift();
    if (!job) {
      send({ type: 'prepared', id: m.id, scenarios: done, problems, ms: Date.now() - started });
      return;
    }
    try {
      if (m.cwd && m.cwd !== process.cwd()) process.chdir(m.cwd);
      sourceModelSet(job.era, m.sources, {
        roots: job.roots, race: job.scenario, workspace, filesystems: [job.fs], ...(m.configFile ? { configFile: m.configFile } : {}),
      });
      done.push(job.scenario);
    } catch (err) {
      problems.push(`${job.scenario}: ${(err as Error)?.message ?? String(err)}`);
    }
    setImmediate(next);
  };
  setImmediate(next);
}

process.on('message', (raw: unknown) => {
  const m = raw as ToRunner;
  if (m?.type === 'prepare') {
    prepare(m);
    return;
  }
  if (m?.type !== 'run') return;
  if (m.cwd && m.cwd !== process.cwd()) {
    try { process.chdir(m.cwd); } catch { /* paths stay absolute */ }
  }
  let lastLook = 0;
  let result: RunResultJson;
  try {
    syncWorkspace(m);
    result = executeRun(m.request, workspace, {
      onStarted: (head) => send({ type: 'started', id: m.id, head }),
      onProgress: (progress) => send({ type: 'progress', id: m.id, progress }),
      progressEveryMs: m.progressEveryMs,
      // polled every few hundred steps; a stat every CANCEL_POLL_MS is cheap beside them
      shouldCancel: () => {
        const now = performance.now();
        if (now - lastLook < CANCEL_POLL_MS) return false;
        lastLook = now;
        return fs.existsSync(m.cancelFile);
      },
    });
  } catch (err) {
    // a bug in the engine is this run's error; the child lives on for the next
    const era = m.request.era ?? '';
    result = stoppedResult({
      scenario: m.request.scenario, era, cpus: [],
      args: askedArgs(m.request),
    }, 'error', { message: `internal error: ${(err as Error)?.message ?? String(err)}` });
  }
  send({ type: 'result', id: m.id, result });
});

// the parent's end of the channel closed: nothing more will come
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
