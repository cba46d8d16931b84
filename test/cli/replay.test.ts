/**
 * `racelens run --replay SCHEDULE`: the schedule of every quick violated built-in
 * run, replayed through the CLI, reproduces its trace step for step. The
 * counterexamples themselves come from runScenario in-process (faster than the CLI);
 * one is cross-checked against the CLI's own output.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario, type RunRequest, type RunResult, builtinScenarios, parseScenarioText, type RaceFile } from 'racelens-server/out/scenario/index.js';
import { assertNoStack, cli, exitCode, parseJson, show, stepCpus, traceKey, type CliRun, type JsonResult } from './helpers.js';

interface Case {
  scenario: string;
  era: string;
  fs?: string;
  /** the invariant the scenario's expect line names (any of them) */
  invariants: string[];
}

const CASES: Case[] = [
  { scenario: 'writeback-stale-wake', era: '5.10', invariants: ['bug-on'] },
  { scenario: 'truncate-vs-writeback', era: '5.9', invariants: ['freed-under-writeback'] },
  { scenario: 'truncate-vs-writeback', era: '6.1+early-unlock', invariants: ['freed-under-writeback'] },
  { scenario: 'truncate-vs-writeback', era: '6.1+no-writeback-wait', invariants: ['freed-under-writeback'] },
  { scenario: 'dio-mmap-uptodate', era: '2.6.9', invariants: ['not-uptodate-dirty', 'bug-on', 'stale-overwrite', 'stale-read'] },
  { scenario: 'mmap-dirty-lost', era: '2.6.19', invariants: ['lost-write', 'sync-durability'] },
  { scenario: 'mmap-dirty-lost', era: '2.6.20', invariants: ['sync-durability'] },
  // --fs ext4 picks the one run of 2.6.34 (without it, 2.6.34 also selects the ext3 run)
  { scenario: 'reclaim-writepage-refused', era: '2.6.34', fs: 'ext4', invariants: ['no-progress'] },
];

const label = (c: Case) => `${c.scenario} --era ${c.era}${c.fs ? ` --fs ${c.fs}` : ''}`;

function load(name: string): { race: RaceFile; file: string } {
  const s = builtinScenarios().find((b) => b.name === name);
  assert.ok(s, `built-in scenario ${name}`);
  const parsed = parseScenarioText(s.text, s.file);
  assert.ok(parsed.race, `${name} parses: ${JSON.stringify(parsed.diagnostics)}`);
  return { race: parsed.race, file: s.file };
}

function request(c: Case, extra: Partial<RunRequest> = {}): RunRequest {
  const { race, file } = load(c.scenario);
  return { race, file, eraSpec: c.era, ...(c.fs ? { fs: c.fs } : {}), ...extra };
}

function cliArgs(c: Case): string[] {
  return ['run', c.scenario, '--era', c.era, ...(c.fs ? ['--fs', c.fs] : [])];
}

function ids(schedule: string): string[] {
  return schedule.trim() === '' ? [] : schedule.trim().split(/\s+/);
}

interface Done {
  original: RunResult;
  replayRun: CliRun;
  replayed: JsonResult;
}

describe('--replay reproduces each violated built-in run', () => {
  const done = new Map<string, Done>();

  before(() => {
    for (const c of CASES) {
      const original = runScenario(request(c));
      assert.equal(original.verdict, 'violated', `${label(c)}: ${original.verdict} ${original.message ?? ''}`);
      assert.ok(original.schedule, `${label(c)} has a schedule`);
      const replayRun = cli([...cliArgs(c), '--replay', original.schedule, '--json']);
      const results = parseJson(replayRun);
      assert.equal(results.length, 1, show(replayRun));
      done.set(label(c), { original, replayRun, replayed: results[0]! });
    }
  });

  for (const c of CASES) {
    it(`${label(c)}: same trace, verdict and invariant; exit 1`, () => {
      const d = done.get(label(c))!;
      const { original, replayed, replayRun } = d;
      exitCode(replayRun, 1);
      assert.ok(c.invariants.includes(original.invariant!), `${label(c)} violates ${original.invariant}`);
      assert.equal(replayed.scenario, c.scenario);
      assert.equal(replayed.era, c.era);
      assert.equal(replayed.verdict, 'violated', show(replayRun));
      assert.equal(replayed.invariant, original.invariant);
      assert.equal(replayed.message, original.message);
      assert.equal(replayed.schedule, original.schedule);
      assert.equal(replayed.executions, 1);
      assert.ok(Array.isArray(replayed.trace), 'replay has a trace');
      assert.equal(stepCpus(replayed.trace).length, ids(original.schedule!).length, 'one step per schedule entry');
      assert.deepEqual(traceKey(replayed.trace), traceKey(original.trace!));
    });
  }

  it('every proper prefix of each schedule replays without a violation, as an incomplete run, and reproduces the prefix of the trace', () => {
    for (const c of CASES) {
      const { original } = done.get(label(c))!;
      const steps = ids(original.schedule!);
      const want = traceKey(original.trace!);
      for (let n = 0; n < steps.length; n++) {
        const r = runScenario(request(c, { replay: steps.slice(0, n).join(' ') }));
        assert.equal(r.verdict, 'incomplete', `${label(c)}, first ${n} of ${steps.length} steps: ${r.verdict} ${r.message ?? ''}`);
        assert.equal(r.invariant, undefined);
        assert.deepEqual(traceKey(r.trace ?? []), want.filter((row) => row.step <= n), `${label(c)}, first ${n} steps`);
      }
    }
  });
});

describe('the CLI prints the counterexample runScenario finds', () => {
  let viaCli: CliRun;
  let inProcess: RunResult;
  const c = CASES[0]!;

  before(() => {
    viaCli = cli([...cliArgs(c), '--json']);
    inProcess = runScenario(request(c));
  });

  it('same verdict, invariant, schedule and trace', () => {
    exitCode(viaCli, 1);
    const r = parseJson(viaCli)[0]!;
    assert.equal(r.verdict, inProcess.verdict);
    assert.equal(r.invariant, inProcess.invariant);
    assert.equal(r.schedule, inProcess.schedule);
    assert.equal(r.executions, inProcess.executions);
    assert.equal(r.states, inProcess.states);
    assert.deepEqual(traceKey(r.trace!), traceKey(inProcess.trace!));
  });
});

describe('bad and partial schedules', () => {
  const wsw = CASES[0]!;
  let schedule: string;
  let unknownText: CliRun;
  let unknownJson: CliRun;
  let blocked: CliRun;
  let truncated: CliRun;
  let overlong: CliRun;
  let empty: CliRun;
  let half: number;

  before(() => {
    const original = runScenario(request(wsw));
    schedule = original.schedule!;
    const steps = ids(schedule);
    half = Math.floor(steps.length / 2);
    unknownText = cli([...cliArgs(wsw), '--replay', 'P0 P9 P1']);
    unknownJson = cli([...cliArgs(wsw), '--replay', 'P0 P9 P1', '--json']);
    // P1 locks the page, then waits on PG_writeback, which is set until P0 clears it
    blocked = cli([...cliArgs(wsw), '--replay', Array(30).fill('P1').join(' ')]);
    truncated = cli([...cliArgs(wsw), '--replay', steps.slice(0, half).join(' '), '--json']);
    overlong = cli([...cliArgs(wsw), '--replay', `${schedule} P0`, '--json']);
    empty = cli([...cliArgs(wsw), '--replay', '', '--json']);
  });

  it('a schedule naming an unknown thread exits 2 naming the thread, its position and the live ones', () => {
    exitCode(unknownText, 2);
    const out = unknownText.stdout + unknownText.stderr;
    assert.match(out, /schedule entry 2 of 3 \(P9\)/);
    assert.match(out, /thread P9 is not live here/);
    assert.match(out, /live: P0 P1 P2 P3/);
    assertNoStack(out, 'replay P9');
  });

  it('the same in JSON: exit 2, verdict error and the message', () => {
    exitCode(unknownJson, 2);
    const r = parseJson(unknownJson)[0]!;
    assert.equal(r.verdict, 'error');
    assert.match(r.message!, /thread P9 is not live here/);
  });

  it('a schedule that steps a blocked thread exits 2 saying which are enabled', () => {
    exitCode(blocked, 2);
    const out = blocked.stdout + blocked.stderr;
    assert.match(out, /thread P1 is blocked here \(enabled: P0 P2 P3\)/);
    assert.match(out, /schedule entry \d+ of 30 \(P1\)/);
  });

  it('half of the violating schedule replays to incomplete (exit 3) with exactly those steps', () => {
    exitCode(truncated, 3);
    const r = parseJson(truncated)[0]!;
    assert.equal(r.verdict, 'incomplete');
    assert.equal(r.invariant, undefined);
    assert.equal(stepCpus(r.trace!).length, half);
    assert.deepEqual(stepCpus(r.trace!), ids(schedule).slice(0, half));
  });

  it('steps past the violation are refused: exit 2, naming the violated invariant', () => {
    exitCode(overlong, 2);
    const r = parseJson(overlong)[0]!;
    assert.equal(r.verdict, 'error');
    assert.match(r.message!, /violates bug-on, which ends the run, but the schedule goes on/);
  });

  it('an empty schedule replays no step: incomplete, exit 3, empty trace', () => {
    exitCode(empty, 3);
    const r = parseJson(empty)[0]!;
    assert.equal(r.verdict, 'incomplete');
    assert.deepEqual(r.trace, []);
    assert.equal(r.schedule, '');
  });
});
