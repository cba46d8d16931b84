/**
 * The run process: explores one scenario at a time, off the server's thread, so
 * that the server keeps answering and a cancelled run can simply be ended. Started by
 * run-client.ts with a heap limit: a run that outgrows it ends this process, not
 * the server. Adapter until server/src/runs/ lands.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { parseScenarioText } from '../scenario/library.js';
import { runScenario, scenarioRoots, type RunResult } from '../scenario/run.js';
import { sourceModelSet } from '../catalog/source-models.js';
import { formatDiagnostic } from '../scenario/index.js';
import { toJson } from './result-json-adapter.js';
import type { ChildMessage, ChildRunRequest, ParentMessage } from './run-messages.js';

const PROGRESS_EVERY_MS = 200;
const overlayRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-overlay-'));
process.on('exit', () => fs.rmSync(overlayRoot, { recursive: true, force: true }));

function send(m: ChildMessage): void {
  process.send?.(m);
}

/** Each document's text goes to a folder of its own, named after its uri, so a file keeps its path from run to run. */
function writeOverlays(req: ChildRunRequest): { dir: string | undefined; paths: Map<string, string> } {
  const paths = new Map<string, string>();
  if (!req.overlays.length) return { dir: undefined, paths };
  const dir = path.join(overlayRoot, crypto.createHash('sha1').update(req.overlays.map((o) => o.uri).join('\n')).digest('hex').slice(0, 12));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  req.overlays.forEach((o, i) => {
    const sub = path.join(dir, String(i));
    fs.mkdirSync(sub);
    const file = path.join(sub, /\.[ch]$/.test(o.name) ? o.name : `${o.name || 'untitled'}.c`);
    fs.writeFileSync(file, o.text);
    paths.set(file, o.uri);
  });
  return { dir, paths };
}

function run(id: number, req: ChildRunRequest): void {
  const started = performance.now();
  const base = { cwd: req.cwd, scenarioFile: req.scenarioFile, scenarioUri: req.scenarioUri, overlays: new Map<string, string>(), args: req.args };
  const fail = (message: string): void => {
    const r: RunResult = { scenario: req.args.scenario, era: req.era, verdict: 'error', message, executions: 0, states: 0, violations: 0, ms: Math.round(performance.now() - started), models: [], cpus: [] };
    send({ type: 'result', id, result: toJson(r, base) });
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
    const { dir, paths } = writeOverlays(req);
    const dirs = [...req.sources, ...(dir ? [dir] : [])];
    const models = dirs.length ? sourceModelSet(req.era, dirs, { roots: scenarioRoots(race) }) : undefined;
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
    send({ type: 'result', id, result: toJson(result, { ...base, overlays: paths }) });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
}

process.on('message', (m: ParentMessage) => {
  if (m && m.type === 'run') run(m.id, m.request);
});
process.on('disconnect', () => process.exit(0));
