/**
 * Runs jobs on `concurrency` child processes (test/out/bench/worker.js), in the order
 * given, each child taking the next job when it finishes one. A child that dies takes
 * its job down with it (recorded as an error) and is replaced.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { Job, JobResult } from './jobs.js';

const WORKER = path.join(__dirname, 'worker.js');

export async function runPool(jobs: Job[], concurrency: number, onResult: (r: JobResult) => void): Promise<JobResult[]> {
  const results: JobResult[] = [];
  const queue = [...jobs];
  const width = Math.max(1, Math.min(concurrency, queue.length));

  const lane = (): Promise<void> => new Promise((resolve) => {
    let child: ChildProcess | undefined;
    let current: Job | undefined;

    const finish = (r: JobResult): void => {
      results.push(r);
      onResult(r);
      current = undefined;
    };
    const next = (): void => {
      current = queue.shift();
      if (!current) {
        child?.disconnect();
        resolve();
        return;
      }
      child?.send({ type: 'job', job: current });
    };
    const spawn = (): void => {
      const c = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
      child = c;
      c.on('message', (msg: { type: string; result?: JobResult }) => {
        if (msg.type === 'ready') next();
        else if (msg.type === 'result' && msg.result) {
          finish(msg.result);
          next();
        }
      });
      c.on('exit', (code, signal) => {
        if (child !== c) return;
        child = undefined;
        if (!current) return;
        finish({
          job: current,
          outcome: {
            verdict: 'error', message: `worker died (${signal ?? `exit code ${code}`})`,
            executions: 0, states: 0, violations: 0, ms: 0, wallMs: 0,
          },
        });
        if (queue.length) spawn();
        else resolve();
      });
    };
    spawn();
  });

  await Promise.all(Array.from({ length: width }, lane));
  return results;
}
