/**
 * Ending a worker thread that may be inside tree-sitter: terminating it there aborts the
 * whole process ("terminate called after throwing an instance of 'Napi::Error'"). So the
 * shared flag and a message ask it to leave at its next item, and only after `graceMs`
 * is it terminated all the same. Used by the index worker and the description worker.
 */
import type { Worker } from 'node:worker_threads';

export async function stopWorker(w: Worker, stopFlag: Int32Array | undefined, stopMessage: unknown, graceMs: number): Promise<void> {
  const exited = new Promise<void>((r) => w.once('exit', () => r()));
  if (stopFlag) Atomics.store(stopFlag, 0, 1);
  w.postMessage(stopMessage);
  const timer = setTimeout(() => void w.terminate(), graceMs);
  await exited;
  clearTimeout(timer);
}
