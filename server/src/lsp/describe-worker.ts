/**
 * The worker thread of described-bodies.ts: lifts the bodies of an open document's
 * names (describeFunction, as `racelens explain` does) and answers what the hover and
 * the lens say of each. Nothing here talks to the editor.
 */
import * as os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { describeFunction, describeMarkdown, describeText, type FunctionDescription } from '../describe/index.js';
import { bodyRunsOf } from '../describe/body-runs.js';
import { Workspace } from '../workspace/workspace.js';
import type { DescribeJob, DescribedBody, DescribeWorkerData, ExplainJob, FromDescribeWorker } from './described-bodies.js';

const stopFlag = (workerData as DescribeWorkerData | undefined)?.stop ? new Int32Array((workerData as DescribeWorkerData).stop) : undefined;

/** Leaves the thread if the server asked, here where no tree-sitter call is under way. */
function stopIfAsked(): void {
  if (stopFlag && Atomics.load(stopFlag, 0)) process.exit(0);
}

function summary(d: FunctionDescription): DescribedBody {
  const b = d.body;
  const runs = bodyRunsOf(d);
  if (b.kind !== 'lifted' && b.kind !== 'builtin') return { runs };
  return {
    runs,
    detail: {
      kind: b.kind, uri: b.at.uri, shown: b.file, line: b.at.line,
      ...(b.at.file ? { file: b.at.file } : {}), ...(b.fallback ? { fallback: b.fallback } : {}),
    },
  };
}

// the lowest priority for this thread alone (Linux nices threads one by one): on a busy
// machine the server's main thread, which answers hovers and lenses, gets the core first
try {
  os.setPriority(19);
} catch { /* not allowed here: the work is the same, only less polite */ }

/** The description `racelens explain` prints; a source that will not lift still has its catalog answer. */
function explain(job: ExplainJob): FromDescribeWorker {
  const workspace = new Workspace();
  for (const o of job.overlays) workspace.setOverlay(o.key, o.text, o.version);
  let d: FunctionDescription | undefined;
  try {
    d = describeFunction(job.name, job.era, job.sources ? { sources: job.sources, workspace } : undefined);
  } catch {
    try {
      d = describeFunction(job.name, job.era);
    } catch {
      d = undefined;
    }
  }
  return { id: job.id, explained: d ? { text: describeText(d, { program: true }), markdown: describeMarkdown(d, { program: true }) } : null };
}

parentPort?.on('message', (job: DescribeJob | ExplainJob | { kind: 'stop' }) => {
  stopIfAsked();
  if ('kind' in job && job.kind === 'stop') process.exit(0);
  if ('kind' in job) {
    parentPort!.postMessage(explain(job));
    return;
  }
  const workspace = new Workspace();
  for (const o of job.overlays) workspace.setOverlay(o.key, o.text, o.version);
  for (const item of job.items) {
    stopIfAsked();
    let body: DescribedBody | null;
    try {
      body = summary(describeFunction(item.name, job.era, item.sources ? { sources: item.sources, workspace } : undefined));
    } catch {
      // a source that will not lift: the catalog's answer stands
      body = null;
    }
    parentPort!.postMessage({ id: job.id, key: item.key, body } satisfies FromDescribeWorker);
  }
  parentPort!.postMessage({ id: job.id, done: true } satisfies FromDescribeWorker);
});
