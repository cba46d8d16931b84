/**
 * The index's passes in a worker thread (index-worker.ts): the server's thread only
 * merges the answers, a batch of files at a time, so a hover or a lens never waits
 * behind a scan or a whole-file parse.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { NameSite } from './scan.js';
import { sliceSites, type PackedSites } from './packed-sites.js';
import { stopWorker } from './worker-stop.js';

export interface ScannedFile {
  path: string;
  definitions: NameSite[];
  calls: PackedSites;
}

/**
 * A batch of scanned files as it crosses threads: every file's call sites in one buffer,
 * transferred, not cloned (packed-sites.ts); definitions, few, as objects, left out when none.
 */
export interface ScannedBatch {
  files: { path: string; definitions?: NameSite[]; calls: [start: number, count: number] }[];
  sites: PackedSites;
}

const NO_DEFINITIONS: NameSite[] = [];

/** The files of a batch, each with a view of its sites. */
export function batchFiles(b: ScannedBatch): ScannedFile[] {
  return b.files.map((f) => ({ path: f.path, definitions: f.definitions ?? NO_DEFINITIONS, calls: sliceSites(b.sites, f.calls[0], f.calls[1]) }));
}

export type ToIndexWorker = { id: number; kind: 'scan'; roots: string[] } | { id: number; kind: 'confirm'; text: string } | { kind: 'stop' };

export type FromIndexWorker =
  | { id: number; kind: 'listed'; files: number }
  | { id: number; kind: 'scanned'; batch: ScannedBatch }
  | { id: number; kind: 'done' }
  /** null: the parser gave no tree */
  | { id: number; kind: 'confirmed'; definitions: NameSite[] | null };

/** What the worker is started with: a flag the server sets to stop a scan between two files. */
export interface IndexWorkerData {
  stop: SharedArrayBuffer;
}

type Listener = { message: (m: FromIndexWorker) => void; fail: (e: Error) => void };

export class IndexThread {
  private worker: Worker | undefined;
  private stopFlag: Int32Array | undefined;
  private nextId = 1;
  private readonly listeners = new Map<number, Listener>();

  /** The text pass over `roots`: `onListed` with the number of files, then `onBatch` per batch; resolves when all are scanned. */
  scan(roots: readonly string[], onListed: (files: number) => void, onBatch: (files: ScannedFile[]) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const id = this.send((id) => ({ id, kind: 'scan', roots: [...roots] }), {
        message: (m) => {
          if (m.kind === 'listed') onListed(m.files);
          else if (m.kind === 'scanned') onBatch(batchFiles(m.batch));
          else if (m.kind === 'done') {
            this.listeners.delete(id);
            resolve();
          }
        },
        fail: reject,
      });
    });
  }

  /** The catalog functions `text` defines, from tree-sitter. */
  confirm(text: string): Promise<NameSite[] | null> {
    return new Promise((resolve, reject) => {
      const id = this.send((id) => ({ id, kind: 'confirm', text }), {
        message: (m) => {
          if (m.kind !== 'confirmed') return;
          this.listeners.delete(id);
          resolve(m.definitions);
        },
        fail: reject,
      });
    });
  }

  private send(job: (id: number) => ToIndexWorker, listener: Listener): number {
    const w = this.start();
    const id = this.nextId++;
    this.listeners.set(id, listener);
    w.postMessage(job(id));
    return id;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const stop = new SharedArrayBuffer(4);
    const w = new Worker(path.join(__dirname, 'index-worker.js'), { workerData: { stop } satisfies IndexWorkerData });
    this.stopFlag = new Int32Array(stop);
    w.unref();
    w.on('message', (m: FromIndexWorker) => this.listeners.get(m.id)?.message(m));
    const fail = (err: Error): void => {
      for (const l of this.listeners.values()) l.fail(err);
      this.listeners.clear();
      if (this.worker === w) this.worker = undefined;
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`the index worker exited (code ${code})`)));
    this.worker = w;
    return w;
  }

  /** Ends the worker once its job in hand is done (worker-stop.ts says why not at once). */
  async stop(graceMs = 10_000): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await stopWorker(w, this.stopFlag, { kind: 'stop' } satisfies ToIndexWorker, graceMs);
  }

  dispose(): void {
    void this.stop();
  }
}
