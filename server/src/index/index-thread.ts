/**
 * The index's passes in a worker thread (index-worker.ts): the server's thread only
 * merges the answers, a batch of files at a time, so a hover or a lens never waits
 * behind a scan or a whole-file parse.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { NameSite } from './scan.js';

export interface ScannedFile {
  path: string;
  definitions: NameSite[];
  calls: NameSite[];
}

export type ToIndexWorker = { id: number; kind: 'scan'; roots: string[] } | { id: number; kind: 'confirm'; text: string } | { kind: 'stop' };

export type FromIndexWorker =
  | { id: number; kind: 'listed'; files: number }
  | { id: number; kind: 'scanned'; files: ScannedFile[] }
  | { id: number; kind: 'done' }
  /** null: the parser gave no tree */
  | { id: number; kind: 'confirmed'; definitions: NameSite[] | null };

type Listener = { message: (m: FromIndexWorker) => void; fail: (e: Error) => void };

export class IndexThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly listeners = new Map<number, Listener>();

  /** The text pass over `roots`: `onListed` with the number of files, then `onBatch` per batch; resolves when all are scanned. */
  scan(roots: readonly string[], onListed: (files: number) => void, onBatch: (files: ScannedFile[]) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const id = this.send((id) => ({ id, kind: 'scan', roots: [...roots] }), {
        message: (m) => {
          if (m.kind === 'listed') onListed(m.files);
          else if (m.kind === 'scanned') onBatch(m.files);
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
    const w = new Worker(path.join(__dirname, 'index-worker.js'));
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

  /**
   * Ends the worker once its job in hand is done (a thread terminated inside tree-sitter
   * aborts the process); after `graceMs` it is terminated all the same.
   */
  async stop(graceMs = 10_000): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (!w) return;
    const exited = new Promise<void>((r) => w.once('exit', () => r()));
    w.postMessage({ kind: 'stop' } satisfies ToIndexWorker);
    const timer = setTimeout(() => void w.terminate(), graceMs);
    await exited;
    clearTimeout(timer);
  }

  dispose(): void {
    void this.stop();
  }
}
