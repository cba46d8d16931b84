/**
 * One benchmark run: a .race text, an era, a reduction and its budgets. Jobs are plain
 * JSON so the orchestrator can hand them to a worker process; the worker parses the text
 * itself (parse results are cached per text) and runs it through runScenario exactly as
 * the CLI would.
 */
import { parseScenarioText, runScenario, type RunRequest, type RaceFile } from 'racelens-server/out/scenario/index.js';

/** 'default' is the CLI's configuration: reduction full, stop at the first violation. */
export type Mode = 'default' | 'full' | 'sleep-sets' | 'none';

export interface Job {
  id: number;
  group: 'seed' | 'scaling';
  /** scenario name (seed) or variant name (scaling) */
  scenario: string;
  /** CPU count of the scenario */
  cpus: number;
  text: string;
  file: string;
  eraSpec: string;
  fs?: string;
  /** index into race.expects: passed as RunRequest.expected */
  expectIndex?: number;
  mode: Mode;
  timeLimitMs?: number;
  maxExecutions?: number;
}

export interface Outcome {
  verdict: 'holds' | 'violated' | 'incomplete' | 'error';
  asExpected?: boolean;
  invariant?: string;
  message?: string;
  executions: number;
  states: number;
  violations: number;
  /** RunResult.ms: model linking, setup and search */
  ms: number;
  /** wall time of the runScenario call as seen by the bench */
  wallMs: number;
  budgetHit?: string;
}

export interface JobResult {
  job: Job;
  outcome: Outcome;
}

const parsed = new Map<string, RaceFile>();

export function parseOrThrow(text: string, file: string): RaceFile {
  const key = `${file}\n${text}`;
  const hit = parsed.get(key);
  if (hit) return hit;
  const result = parseScenarioText(text, file);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.race || errors.length) {
    const why = errors.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`).join('; ');
    throw new Error(`${file} does not parse: ${why || 'no race returned'}`);
  }
  parsed.set(key, result.race);
  return result.race;
}

export function runJob(job: Job): Outcome {
  const started = performance.now();
  try {
    const race = parseOrThrow(job.text, job.file);
    const expected = job.expectIndex !== undefined ? race.expects[job.expectIndex] : undefined;
    if (job.expectIndex !== undefined && !expected) throw new Error(`${job.scenario} has no expect line #${job.expectIndex}`);
    const req: RunRequest = {
      race,
      file: job.file,
      eraSpec: job.eraSpec,
      ...(job.fs !== undefined ? { fs: job.fs } : {}),
      ...(expected ? { expected } : {}),
      // 'default' passes neither, so runScenario's own defaults apply, as in the CLI
      ...(job.mode !== 'default' ? { reduction: job.mode, stopAtFirstViolation: false } : {}),
      ...(job.timeLimitMs !== undefined ? { timeLimitMs: job.timeLimitMs } : {}),
      ...(job.maxExecutions !== undefined ? { maxExecutions: job.maxExecutions } : {}),
    };
    const r = runScenario(req);
    return {
      verdict: r.verdict,
      ...(r.asExpected !== undefined ? { asExpected: r.asExpected } : {}),
      ...(r.invariant !== undefined ? { invariant: r.invariant } : {}),
      ...(r.message !== undefined ? { message: r.message } : {}),
      executions: r.executions,
      states: r.states,
      violations: r.violations,
      ms: r.ms,
      wallMs: Math.round(performance.now() - started),
      ...(r.budgetHit !== undefined ? { budgetHit: r.budgetHit } : {}),
    };
  } catch (err) {
    return {
      verdict: 'error',
      message: err instanceof Error ? err.message : String(err),
      executions: 0, states: 0, violations: 0, ms: 0,
      wallMs: Math.round(performance.now() - started),
    };
  }
}
