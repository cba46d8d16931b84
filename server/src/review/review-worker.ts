/** A worker thread of review/parallel.ts: judges the races it is handed, one at a time, over its own sides. */
import { parentPort, workerData } from 'node:worker_threads';
import { ReviewJudge } from './review.js';
import type { ReviewWorkerAnswer, ReviewWorkerData } from './parallel.js';

const data = workerData as ReviewWorkerData;
const judge = new ReviewJudge(data.patches, { ...data.opts, buffers: new Map(data.opts.buffers) });
parentPort!.on('message', (i: number) => {
  let answer: ReviewWorkerAnswer;
  try {
    answer = { i, judged: judge.judge(i) };
  } catch (err) {
    answer = { i, error: err instanceof Error ? err.stack ?? err.message : String(err) };
  }
  parentPort!.postMessage(answer);
});
