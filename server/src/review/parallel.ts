/**
 * A review's races judged in worker threads: each race is independent of the others (its
 * runs before and after every step), so `jobs` workers each take the next race not yet
 * judged until none is left, and the reports are put together in the races' order —
 * the same reports, in the same order, as one thread gives (review.ts assemble). Each
 * worker lists the tree and builds its own sets (a few hundred ms each, read back from
 * the caches the first run of a race keeps), and holds its own search's memory.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { assemble, ReviewJudge, type RaceAtStep, type ReviewOptions, type StepReport } from './review.js';
import type { Patch } from './types.js';

/** What a worker is started with: the review as given (plain data; the buffers as pairs). */
export interface ReviewWorkerData {
  patches: readonly Patch[];
  opts: Omit<ReviewOptions, 'memo' | 'buffers'> & { buffers: [string, string][] };
}

/** A worker's answer: race `i` judged at every step, or why it could not be. */
export type ReviewWorkerAnswer = { i: number; judged: RaceAtStep[] } | { i: number; error: string };

/** The review of `patches`, its races judged by up to `jobs` worker threads (one: in this thread). */
export async function reviewInParallel(patches: readonly Patch[], opts: ReviewOptions, jobs: number): Promise<StepReport[]> {
  // the steps and races here too: bad input is said before any worker starts, and the reports hold these steps
  const judge = new ReviewJudge(patches, opts);
  const n = Math.min(jobs, judge.races.length);
  if (n < 2 || opts.memo) return assemble(judge.steps, judge.races.map((_, i) => judge.judge(i)));
  const data: ReviewWorkerData = {
    patches,
    opts: { target: opts.target, era: opts.era, scenarioDirs: opts.scenarioDirs ?? [], budget: opts.budget ?? {}, buffers: [...(opts.buffers ?? new Map())] },
  };
  const perRace: RaceAtStep[][] = new Array(judge.races.length);
  let next = 0;
  const workers: Worker[] = [];
  try {
    await Promise.all(Array.from({ length: n }, () => new Promise<void>((resolve, reject) => {
      const w = new Worker(path.join(__dirname, 'review-worker.js'), { workerData: data });
      workers.push(w);
      const give = (): void => {
        if (next < judge.races.length) w.postMessage(next++);
        else resolve();
      };
      w.on('message', (a: ReviewWorkerAnswer) => {
        if ('error' in a) {
          reject(new Error(`${judge.races[a.i]?.name ?? `race ${a.i}`}: ${a.error}`));
          return;
        }
        perRace[a.i] = a.judged;
        give();
      });
      w.on('error', reject);
      w.on('exit', (code) => { if (code !== 0) reject(new Error(`a review worker stopped (exit ${code})`)); });
      give();
    })));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return assemble(judge.steps, perRace);
}
