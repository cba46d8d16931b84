/**
 * Shared fixtures of the engine tests: the built-in scenarios, parsed once, and
 * their runs, cached so that several tests can look at one exploration.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinScenarios, parseScenarioText, runScenario, type RunResult, type TraceRow, type RaceFile } from 'racelens-server/out/scenario/index.js';

const races = new Map<string, { race: RaceFile; file: string }>();

export function builtinRace(name: string): { race: RaceFile; file: string } {
  let entry = races.get(name);
  if (!entry) {
    const src = builtinScenarios().find((s) => s.name === name);
    if (!src) throw new Error(`no built-in scenario ${name}`);
    const parsed = parseScenarioText(src.text, src.file);
    if (!parsed.race) throw new Error(`${name} does not parse: ${JSON.stringify(parsed.diagnostics)}`);
    entry = { race: parsed.race, file: src.file };
    races.set(name, entry);
  }
  return entry;
}

const runs = new Map<string, RunResult>();

/** One run of a built-in scenario (cached), with the expect line it matches if any. */
export function runBuiltin(name: string, era: string, fs?: string,
  extra: { stopAtFirstViolation?: boolean; without?: string[] } = {}): RunResult {
  const { without, ...opts } = extra;
  const id = `${name}|${era}|${fs ?? ''}|${extra.stopAtFirstViolation ?? ''}|${without?.join(',') ?? ''}`;
  let r = runs.get(id);
  if (!r) {
    const entry = builtinRace(name);
    const file = entry.file;
    // a run that leaves some of the scenario's invariants out (to look at one story alone)
    const race = without ? { ...entry.race, checks: entry.race.checks.filter((c) => !without.includes(c.id)) } : entry.race;
    const expected = race.expects.find((e) => e.eraSpec === era && e.fs === fs);
    r = runScenario({ race, file, eraSpec: era, ...(fs ? { fs } : {}), ...(expected && !without ? { expected } : {}), ...opts });
    runs.set(id, r);
  }
  return r;
}

export function replayBuiltin(name: string, era: string, schedule: string, fs?: string): RunResult {
  const { race, file } = builtinRace(name);
  return runScenario({ race, file, eraSpec: era, ...(fs ? { fs } : {}), replay: schedule });
}

/**
 * A schedule that runs the threads in a fixed order of preference: at every step the
 * first thread of `order` that can move takes the step. Built by replaying prefixes.
 */
export function preferenceSchedule(name: string, era: string, order: readonly string[]): RunResult {
  const steps: string[] = [];
  for (let guard = 0; guard < 2000; guard++) {
    let moved = false;
    for (const tid of order) {
      const r = replayBuiltin(name, era, [...steps, tid].join(' '));
      if (r.verdict !== 'error') {
        steps.push(tid);
        moved = true;
        break;
      }
    }
    if (!moved) break;
  }
  return replayBuiltin(name, era, steps.join(' '));
}

/** The index of the first trace row matching, or -1. */
export function findStep(trace: readonly TraceRow[], match: Partial<Pick<TraceRow, 'cpu' | 'function'>> & { op?: string | RegExp; state?: RegExp }, from = 0): number {
  for (let i = from; i < trace.length; i++) {
    const t = trace[i];
    if (match.cpu !== undefined && t.cpu !== match.cpu) continue;
    if (match.function !== undefined && t.function !== match.function) continue;
    if (match.op !== undefined && !(typeof match.op === 'string' ? t.op === match.op : match.op.test(t.op))) continue;
    if (match.state !== undefined && !match.state.test(t.state)) continue;
    return i;
  }
  return -1;
}

const KERNEL_FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'kernel');

/** A folder of kernel-style C written for the tests (test/fixtures/kernel/NAME). */
export function kernelFixture(name: string): string {
  return path.join(KERNEL_FIXTURES, name);
}

/**
 * A temporary copy of a kernel fixture with one edit to one of its files: the whole
 * folder, or (`alone`) only the edited file.
 */
export function editedFixture(name: string, file: string, from: string, to: string, alone = false): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `racelens-${name}-`));
  if (!alone) for (const f of fs.readdirSync(kernelFixture(name))) fs.copyFileSync(path.join(kernelFixture(name), f), path.join(dir, f));
  const text = fs.readFileSync(path.join(kernelFixture(name), file), 'utf8');
  assert.ok(text.includes(from), `${name}/${file} has ${from}`);
  fs.writeFileSync(path.join(dir, file), text.replace(from, to));
  return dir;
}
