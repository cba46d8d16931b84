/**
 * The worker thread of index-thread.ts: the index's two passes over a tree's files, off
 * the thread that answers the editor. The text pass lists the roots and scans every
 * file, answering in batches; tree-sitter confirms one file's definitions at a time.
 * Runs at a low priority: on a busy machine the editor gets the core first, and the
 * index is still done in seconds rather than minutes (the describe worker, whose
 * answers can wait, runs at the lowest).
 */
import * as os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { parseC } from '../lift/parser.js';
import { entryByName } from '../catalog/functions.js';
import { Workspace } from '../workspace/workspace.js';
import { functionDefinitions } from './c-definitions.js';
import { readDisk, lineOffsets } from './read-text.js';
import { scanText, type NameSite } from './scan.js';
import { SitePacker } from './packed-sites.js';
import type { ToIndexWorker, FromIndexWorker, ScannedBatch, IndexWorkerData } from './index-thread.js';

const stopFlag = (workerData as IndexWorkerData | undefined)?.stop ? new Int32Array((workerData as IndexWorkerData).stop) : undefined;

const INDEX_NICENESS = 10;
try {
  os.setPriority(INDEX_NICENESS);
} catch { /* not allowed here: the work is the same, only less polite */ }

/** A batch goes to the server's thread after this long or this many files, whichever first. */
const BATCH_MS = 20;
const BATCH_FILES = 64;

function post(m: FromIndexWorker, transfer?: ArrayBuffer[]): void {
  parentPort!.postMessage(m, transfer);
}

function scan(id: number, roots: string[]): void {
  const paths = new Workspace(roots).listAll();
  post({ id, kind: 'listed', files: paths.length });
  let files: ScannedBatch['files'] = [];
  let packer = new SitePacker();
  let since = performance.now();
  const send = (): void => {
    const sites = packer.take();
    post({ id, kind: 'scanned', batch: { files, sites } }, [sites.sites.buffer as ArrayBuffer]);
    files = [];
    packer = new SitePacker();
    since = performance.now();
  };
  for (const p of paths) {
    // asked to stop (the server is shutting down): between two files, where nothing native is under way
    if (stopFlag && Atomics.load(stopFlag, 0)) process.exit(0);
    const text = readDisk(p);
    const s = text === undefined ? { definitions: [], calls: [] } : scanText(text);
    files.push({ path: p, ...(s.definitions.length ? { definitions: s.definitions } : {}), calls: packer.add(s.calls) });
    if (files.length >= BATCH_FILES || performance.now() - since > BATCH_MS) send();
  }
  send();
  post({ id, kind: 'done' });
}

function confirm(id: number, text: string): void {
  let definitions: NameSite[] | null = null;
  try {
    const tree = parseC(text);
    if (tree) {
      const starts = lineOffsets(text);
      definitions = functionDefinitions(tree).filter((d) => entryByName(d.name))
        .map((d) => ({ name: d.name, line: d.line, column: d.column, offset: starts[d.line] + d.column }));
    }
  } catch {
    // a file tree-sitter gives up on keeps the text pass's definitions
    definitions = null;
  }
  post({ id, kind: 'confirmed', definitions });
}

parentPort?.on('message', (m: ToIndexWorker) => {
  // between two jobs, never inside tree-sitter: a thread ended mid-parse aborts the whole process
  if (m.kind === 'stop') process.exit(0);
  if (m.kind === 'scan') scan(m.id, m.roots);
  else confirm(m.id, m.text);
});
