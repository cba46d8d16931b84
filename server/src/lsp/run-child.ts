/**
 * The run process: explores one scenario at a time, off the server's thread, so
 * that the server keeps answering and a cancelled run can simply be ended. Started by
 * run-client.ts with a heap limit: a run that outgrows it ends this process, not
 * the server. It keeps one source provider for its life, so what earlier runs read
 * and lifted is reused; the documents a run names are laid over it. Adapter until
 * server/src/runs/ lands.
 */
import * as path from 'node:path';
import { parseScenarioText } from '../scenario/library.js';
import { runScenario, scenarioRoots, type RunResult } from '../scenario/run.js';
import { sourceModelSet } from '../catalog/source-models.js';
import { formatDiagnostic } from '../scenario/index.js';
import { Workspace, isDiskKey, sourceKey } from '../workspace/workspace.js';
import { toJson } from './result-json-adapter.js';
import type { ChildMessage, ChildRunRequest, ParentMessage } from './run-messages.js';

const PROGRESS_EVERY_MS = 200;
const provider = new Workspace();

function send(m: ChildMessage): void {
  process.send?.(m);
}

/** The run's documents over the disk; the sources list gains those no root holds (untitled:, git:). */
function layOverlays(req: ChildRunRequest): string[] {
  const wanted = new Set(req.overlays.map((o) => sourceKey(o.uri)));
  for (const o of provider.overlayList()) if (!wanted.has(o.key)) provider.removeOverlay(o.key);
  const extra: string[] = [];
  for (const o of req.overlays) {
    const key = provider.setOverlay(o.uri, o.text, o.version);
    const underRoot = isDiskKey(key) && req.sources.some((r) => key === r || key.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
    // later sources win: a document's own text over the same file's
    if (!underRoot) extra.push(o.uri);
  }
  return [...req.sources, ...extra];
}

function run(id: number, req: ChildRunRequest): void {
  const started = performance.now();
  const ctx = { cwd: req.cwd, scenarioFile: req.scenarioFile, scenarioUri: req.scenarioUri, args: req.args };
  const fail = (message: string): void => {
    const r: RunResult = { scenario: req.args.scenario, era: req.era, verdict: 'error', message, executions: 0, states: 0, violations: 0, ms: Math.round(performance.now() - started), models: [], cpus: [] };
    send({ type: 'result', id, result: toJson(r, ctx) });
  };
  try {
    process.chdir(req.cwd);
  } catch { /* paths stay absolute */ }
  const parsed = parseScenarioText(req.scenarioText, req.scenarioFile);
  if (!parsed.race) {
    fail(parsed.diagnostics.map(formatDiagnostic).join('\n') || `${req.scenarioFile}: does not parse`);
    return;
  }
  const race = parsed.race;
  try {
    const sources = layOverlays(req);
    const models = sources.length ? sourceModelSet(req.era, sources, { roots: scenarioRoots(race), workspace: provider }) : undefined;
    let lastProgress = performance.now();
    const expected = race.expects.find((e) => e.eraSpec === req.era && (e.fs ?? undefined) === (req.fs ?? undefined));
    const result = runScenario({
      race, file: req.scenarioFile, eraSpec: req.era, ...(req.fs ? { fs: req.fs } : {}),
      ...(expected ? { expected } : {}), ...(models ? { models } : {}),
      ...(req.maxExecutions ? { maxExecutions: req.maxExecutions } : {}),
      ...(req.maxStates ? { maxStates: req.maxStates } : {}),
      ...(req.timeLimitMs ? { timeLimitMs: req.timeLimitMs } : {}),
      ...(req.replay ? { replay: req.replay } : {}),
      shouldCancel: () => {
        const now = performance.now();
        if (now - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = now;
          // TODO(engine-api): the explorer's own progress hook gives executions and states
          send({ type: 'progress', id, progress: { executions: 0, states: 0, elapsedMs: Math.round(now - started) } });
        }
        return false;
      },
    });
    send({ type: 'result', id, result: toJson(result, ctx) });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
}

process.on('message', (m: ParentMessage) => {
  if (m?.type === 'run') run(m.id, m.request);
  else if (m?.type === 'invalidate') provider.invalidate(m.path);
});
process.on('disconnect', () => process.exit(0));
