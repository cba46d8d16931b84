/**
 * What the hover and the lens need to know of a body beyond the catalog's rules: where
 * it comes from (lifted from a file and line, or a built-in model kept over it and why),
 * which only a lift can tell. Built in a worker thread (describe-worker.ts) after a
 * document is opened or edited, so that no request of the server ever waits on a lift;
 * until an answer is there, the hover and the lens answer from the catalog.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BodyRuns } from '../catalog/boundary-messages.js';
import { stopWorker } from '../index/worker-stop.js';

/** A body as the worker saw it. */
export interface DescribedBody {
  runs: BodyRuns;
  /** set for a lifted body, or a built-in model kept over the source */
  detail?: { kind: 'lifted' | 'builtin'; file?: string; uri: string; shown: string; line: number; fallback?: string };
}

export interface DescribeItem {
  /** the cache key: name, era and the text the body comes from */
  key: string;
  name: string;
  /** the files or documents to lift from; none: the era's built-in models */
  sources?: string[];
}

export interface DescribeJob {
  id: number;
  era: string;
  items: DescribeItem[];
  /** open documents over the disk */
  overlays: { key: string; text: string; version: number }[];
}

/** The whole description of one name, as `racelens explain` prints it (the explain view). */
export interface ExplainJob {
  id: number;
  kind: 'explain';
  era: string;
  name: string;
  sources?: string[];
  overlays: DescribeJob['overlays'];
}

export interface Explained {
  text: string;
  markdown: string;
}

/** What the worker is started with: a flag the server sets to stop it between two lifts. */
export interface DescribeWorkerData {
  stop: SharedArrayBuffer;
}

export type FromDescribeWorker =
  | { id: number; key: string; body: DescribedBody | null }
  | { id: number; done: true }
  /** null: nothing racelens knows by that name */
  | { id: number; explained: Explained | null };

export class DescribedBodies {
  private worker: Worker | undefined;
  private stopFlag: Int32Array | undefined;
  private readonly cache = new Map<string, DescribedBody | null>();
  private readonly asked = new Set<string>();
  private nextId = 1;
  private failed = false;
  private readonly explaining = new Map<number, (e: Explained | null) => void>();
  /** answers that came in, for tests and the log */
  answered = 0;

  constructor(private readonly onError: (message: string) => void, private readonly onAnswer: () => void = () => undefined) {}

  peek(key: string): DescribedBody | undefined {
    return this.cache.get(key) ?? undefined;
  }

  /** Asks the worker for the items not yet known or asked. */
  prepare(era: string, items: DescribeItem[], overlays: DescribeJob['overlays']): void {
    const todo = items.filter((i) => !this.cache.has(i.key) && !this.asked.has(i.key));
    if (!todo.length || this.failed) return;
    for (const i of todo) this.asked.add(i.key);
    const job: DescribeJob = { id: this.nextId++, era, items: todo, overlays };
    this.start()?.postMessage(job);
  }

  /**
   * The whole description of `name` built in the worker: a first lift can take seconds,
   * which on the server's thread would hold up every lens and hover meanwhile.
   * Undefined when there is no worker (the caller builds it itself, and the log said why).
   */
  explain(job: Omit<ExplainJob, 'id' | 'kind'>): Promise<Explained | null> | undefined {
    const w = this.failed ? undefined : this.start();
    if (!w) return undefined;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.explaining.set(id, resolve);
      w.postMessage({ ...job, id, kind: 'explain' } satisfies ExplainJob);
    });
  }

  /** A source changed: answers built from it go (keys name the text they came from). */
  forget(match: (key: string) => boolean): void {
    for (const k of [...this.cache.keys()]) if (match(k)) this.cache.delete(k);
    for (const k of [...this.asked]) if (match(k)) this.asked.delete(k);
  }

  clear(): void {
    this.cache.clear();
    this.asked.clear();
  }

  private start(): Worker | undefined {
    if (this.worker) return this.worker;
    try {
      const stop = new SharedArrayBuffer(4);
      const w = new Worker(path.join(__dirname, 'describe-worker.js'), { workerData: { stop } satisfies DescribeWorkerData });
      w.unref();
      this.stopFlag = new Int32Array(stop);
      w.on('message', (m: FromDescribeWorker) => {
        if ('done' in m) return;
        if ('explained' in m) {
          this.explaining.get(m.id)?.(m.explained);
          this.explaining.delete(m.id);
          return;
        }
        this.asked.delete(m.key);
        if (this.cache.size > 5000) this.cache.clear();
        this.cache.set(m.key, m.body);
        this.answered++;
        this.onAnswer();
      });
      w.on('error', (err) => this.onError(`racelens: the description worker failed: ${err.message}`));
      w.on('exit', () => {
        if (this.worker === w) this.worker = undefined;
        this.asked.clear();
        // a worker gone mid-way answers nothing: the views that asked say so
        for (const resolve of this.explaining.values()) resolve(null);
        this.explaining.clear();
      });
      this.worker = w;
      return w;
    } catch (err) {
      this.failed = true;
      this.onError(`racelens: no description worker (${(err as Error).message}); hovers and lenses answer from the catalog alone`);
      return undefined;
    }
  }

  /** Ends the worker between two lifts (index/worker-stop.ts says why not at once). */
  async stop(graceMs = 10_000): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await stopWorker(w, this.stopFlag, { kind: 'stop' }, graceMs);
  }

  dispose(): Promise<void> {
    return this.stop();
  }
}
