/**
 * A kernel tree's listing made on another thread while the CLI reads its scenarios:
 * the walk the Makefiles allow, each file's build status and one stat per file, the
 * same work SourceFiles would do itself (catalog/listing-walk.ts runs in both), done
 * while the main thread compiles the built-in models. A whole 6.1 tree is some 15 000
 * stats and 1 300 folders; on a machine with a second core they cost the run little.
 *
 * Waiting for the answer is synchronous (Atomics.wait, then receiveMessageOnPort):
 * the model set is built synchronously. Without an answer in time (no worker file in a
 * bundle, an error, a tree too large), SourceFiles lists the input itself: the same
 * listing, later.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { PrefetchedInput, PrefetchRequest } from './listing-walk.js';

export type { PrefetchedInput } from './listing-walk.js';

const WORKER_FILE = path.join(__dirname, 'listing-prefetch-worker.js');
/** a whole tree lists in well under a second; past this, the main thread does it */
const WAIT_MS = 20_000;

export class ListingPrefetch {
  private answer: Map<string, PrefetchedInput> | undefined;
  private readonly flag: Int32Array;

  private constructor(private readonly worker: Worker, private readonly port: MessageChannel['port1'], flag: SharedArrayBuffer) {
    this.flag = new Int32Array(flag);
  }

  /** Starts listing the tree inputs of `request`; undefined when no worker can run here. */
  static start(request: Omit<PrefetchRequest, 'flag' | 'port'>): ListingPrefetch | undefined {
    // RACELENS_LIST_PREFETCH=off: list on the main thread (for comparing, or a one-core machine)
    if (process.env.RACELENS_LIST_PREFETCH === 'off' || !fs.existsSync(WORKER_FILE)) return undefined;
    const flag = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    try {
      const worker = new Worker(WORKER_FILE, { workerData: { ...request, flag, port: port2 }, transferList: [port2] });
      // the run never waits on it to exit; an error only means the main thread lists
      worker.unref();
      worker.on('error', () => {});
      return new ListingPrefetch(worker, port1, flag);
    } catch {
      return undefined;
    }
  }

  /** The listing of `input` made under the configuration `configId`, if the worker made it. */
  take(input: string, configId: string): PrefetchedInput | undefined {
    if (!this.answer) {
      this.answer = new Map();
      Atomics.wait(this.flag, 0, 0, WAIT_MS);
      const got = receiveMessageOnPort(this.port)?.message as { inputs?: PrefetchedInput[] } | undefined;
      for (const p of got?.inputs ?? []) this.answer.set(p.input, p);
      void this.worker.terminate();
      this.port.close();
    }
    const found = this.answer.get(input);
    return found && found.configId === configId ? found : undefined;
  }
}
