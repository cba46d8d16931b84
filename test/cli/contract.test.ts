/**
 * The CLI contract of DESIGN.md ("Contracts that tests and users rely on"): exit
 * codes, the `--json` result shape, help, list and explain. Every command runs once,
 * in `before`; the tests only look at what it printed.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertNoStack, cli, exitCode, parseJson, ROOT, show, stepCpus, TIMEOUT_MS, type CliRun, type JsonResult } from './helpers.js';

const BUILTINS = ['dio-mmap-uptodate', 'mmap-dirty-lost', 'reclaim-writepage-refused', 'truncate-vs-writeback', 'writeback-stale-wake'];

function assertResultShape(r: JsonResult, run: CliRun): void {
  const where = show(run);
  assert.equal(typeof r.scenario, 'string', where);
  assert.equal(typeof r.era, 'string', where);
  assert.ok(['holds', 'violated', 'incomplete'].includes(r.verdict), `verdict '${r.verdict}'\n${where}`);
  for (const k of ['executions', 'states', 'ms'] as const) {
    assert.equal(typeof r[k], 'number', `${k}\n${where}`);
    assert.ok(Number.isFinite(r[k]) && r[k] >= 0, `${k} = ${r[k]}`);
  }
  assert.ok(Array.isArray(r.models), where);
  for (const m of r.models) {
    assert.equal(typeof m.function, 'string');
    assert.ok(m.function.length > 0);
    assert.ok(m.from === 'builtin' || m.from === 'source', `model ${m.function} from '${m.from}'`);
    if (m.file !== undefined) assert.equal(typeof m.file, 'string', `model ${m.function} file`);
    if (m.line !== undefined) assert.ok(Number.isInteger(m.line) && m.line >= 1, `model ${m.function} line ${m.line}`);
    if (m.notes !== undefined) assert.ok(Array.isArray(m.notes), `model ${m.function} notes`);
  }
}

describe('racelens run --json', () => {
  let violated: CliRun;
  let holds: CliRun;
  let budget: CliRun;

  before(() => {
    violated = cli(['run', 'writeback-stale-wake', '--era', '5.10', '--json']);
    holds = cli(['run', 'writeback-stale-wake', '--era', '5.11', '--json']);
    budget = cli(['run', 'truncate-vs-writeback', '--era', '6.1', '--max-executions', '1', '--json', '--reduction', 'none']);
  });

  it('a violated run exits 1 with one result: scenario, era, verdict, invariant', () => {
    exitCode(violated, 1);
    assert.equal(violated.stderr, '', show(violated));
    const results = parseJson(violated);
    assert.equal(results.length, 1, show(violated));
    const r = results[0]!;
    assertResultShape(r, violated);
    assert.equal(r.scenario, 'writeback-stale-wake');
    assert.equal(r.era, '5.10');
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'bug-on');
    assert.ok(r.executions >= 1, `executions ${r.executions}`);
    assert.ok(r.states >= 1, `states ${r.states}`);
  });

  it('a violated run lists the built-in models it used', () => {
    const r = parseJson(violated)[0]!;
    const byName = new Map(r.models.map((m) => [m.function, m]));
    for (const fn of ['end_page_writeback', 'wait_on_page_writeback', 'write_cache_pages']) {
      const m = byName.get(fn);
      assert.ok(m, `models lacks ${fn}: ${[...byName.keys()].join(', ')}`);
      assert.equal(m.from, 'builtin', fn);
      assert.equal(typeof m.file, 'string', `${fn} has a file`);
      assert.ok(Number.isInteger(m.line) && m.line! >= 1, `${fn} has a line`);
    }
    assert.equal(new Set(r.models.map((m) => m.function)).size, r.models.length, 'each model listed once');
    // the 5.10 fix lives in the 5.10 model of end_page_writeback
    assert.match(byName.get('end_page_writeback')!.file!, /5\.10/);
  });

  it('a violated run carries its trace and schedule', () => {
    const r = parseJson(violated)[0]!;
    assert.ok(Array.isArray(r.trace) && r.trace.length > 0, 'trace is a non-empty array');
    r.trace.forEach((t, i) => {
      const prev = i === 0 ? undefined : r.trace![i - 1]!;
      // rows of one atomic step (a lock taken with the step after it) share its number
      if (prev && prev.step === t.step) assert.equal(t.cpu, prev.cpu, 'one step, one CPU');
      else assert.equal(t.step, (prev?.step ?? 0) + 1, 'steps are numbered 1, 2, ...');
      assert.equal(typeof t.cpu, 'string');
      assert.match(t.cpu, /^\S+$/, `cpu '${t.cpu}'`);
      assert.equal(typeof t.op, 'string');
      assert.ok(t.op.length > 0);
      assert.equal(typeof t.function, 'string');
      assert.ok(t.function.length > 0);
      if (t.file !== undefined) assert.equal(typeof t.file, 'string');
      if (t.line !== undefined) assert.ok(Number.isInteger(t.line) && t.line >= 1);
      assert.equal(typeof t.state, 'string');
    });
    assert.equal(typeof r.schedule, 'string');
    const ids = r.schedule!.trim().split(/\s+/);
    assert.equal(ids.length, r.trace.at(-1)!.step, 'one schedule entry per step');
    assert.deepEqual(ids, stepCpus(r.trace), 'the schedule names the CPU of each step');
    // the BUG_ON fires in write_cache_pages, on the last step
    assert.equal(r.trace.at(-1)!.function, 'write_cache_pages');
    // every CPU of the scenario appears
    for (const cpu of ['P0', 'P1', 'P2', 'P3']) assert.ok(ids.includes(cpu), `${cpu} in schedule`);
  });

  it('a run that holds exits 0 with verdict holds and no trace', () => {
    exitCode(holds, 0);
    const results = parseJson(holds);
    assert.equal(results.length, 1);
    const r = results[0]!;
    assertResultShape(r, holds);
    assert.equal(r.scenario, 'writeback-stale-wake');
    assert.equal(r.era, '5.11');
    assert.equal(r.verdict, 'holds');
    assert.equal(r.invariant, undefined);
    assert.equal(r.trace, undefined);
    assert.equal(r.schedule, undefined);
    assert.ok(r.executions >= 1);
    // 5.11's fix is in wait_on_page_writeback; the model list says where it came from
    assert.ok(r.models.some((m) => m.function === 'wait_on_page_writeback' && m.from === 'builtin'));
  });

  it('a run stopped by --max-executions exits 3 with verdict incomplete', () => {
    exitCode(budget, 3);
    const results = parseJson(budget);
    assert.equal(results.length, 1);
    const r = results[0]!;
    assertResultShape(r, budget);
    assert.equal(r.scenario, 'truncate-vs-writeback');
    assert.equal(r.era, '6.1');
    assert.equal(r.verdict, 'incomplete');
    assert.equal(r.executions, 1);
    assert.equal(r.invariant, undefined);
    assert.equal(r.trace, undefined);
  });
});

describe('racelens usage errors and help', () => {
  let help: CliRun;
  let runHelp: CliRun;
  let none: CliRun;
  let unknownCommand: CliRun;
  let badEra: CliRun;
  let badOverlay: CliRun;
  let noScenario: CliRun;
  let noFile: CliRun;
  let badOption: CliRun;
  let badBudget: CliRun;
  let badReduction: CliRun;
  let replayNeedsOneRun: CliRun;

  before(() => {
    help = cli(['--help']);
    runHelp = cli(['run', '--help']);
    none = cli([]);
    unknownCommand = cli(['frobnicate']);
    badEra = cli(['run', '--era', '9.9']);
    badOverlay = cli(['run', 'writeback-stale-wake', '--era', '5.10+nosuch']);
    noScenario = cli(['run', 'no-such-scenario']);
    noFile = cli(['run', path.join(ROOT, 'test', 'no-such-dir', 'missing.race')]);
    badOption = cli(['run', 'writeback-stale-wake', '--bogus']);
    badBudget = cli(['run', 'writeback-stale-wake', '--era', '5.10', '--max-executions', '0']);
    badReduction = cli(['run', 'writeback-stale-wake', '--era', '5.10', '--reduction', 'bogus']);
    replayNeedsOneRun = cli(['run', 'writeback-stale-wake', '--replay', 'P0']);
  });

  it('--help exits 0 and describes run, explain, --replay and --json', () => {
    exitCode(help, 0);
    for (const word of ['run', 'explain', 'list', '--replay', '--json', '--era', '--max-executions']) {
      assert.ok(help.stdout.includes(word), `--help mentions ${word}`);
    }
    assert.match(help.stdout, /racelens run/);
    assert.match(help.stdout, /racelens explain/);
    assert.equal(help.stderr, '');
  });

  it('run --help exits 0 and lists the run options', () => {
    exitCode(runHelp, 0);
    for (const word of ['--era', '--json', '--replay', '--max-executions', '--reduction']) assert.ok(runHelp.stdout.includes(word), word);
  });

  it('no arguments exits 2 (and still prints the help)', () => {
    exitCode(none, 2);
    assert.match(none.stdout + none.stderr, /Usage:/);
  });

  it('an unknown command exits 2 and names it', () => {
    exitCode(unknownCommand, 2);
    assert.match(unknownCommand.stderr, /unknown command 'frobnicate'/);
    assertNoStack(unknownCommand.stderr, 'unknown command');
  });

  it('run --era 9.9 exits 2 naming the unknown era and the known ones', () => {
    exitCode(badEra, 2);
    assert.match(badEra.stderr, /unknown era '9\.9'/);
    assert.match(badEra.stderr, /5\.10/, 'lists the known eras');
    assert.equal(badEra.stdout, '');
    assertNoStack(badEra.stderr, 'run --era 9.9');
  });

  it('an unknown overlay in --era exits 2 naming it', () => {
    exitCode(badOverlay, 2);
    assert.match(badOverlay.stderr, /unknown overlay 'nosuch'/);
    assertNoStack(badOverlay.stderr, 'run --era 5.10+nosuch');
  });

  it('run no-such-scenario exits 2 naming it and the built-ins', () => {
    exitCode(noScenario, 2);
    assert.match(noScenario.stderr, /no-such-scenario/);
    for (const name of BUILTINS) assert.ok(noScenario.stderr.includes(name), `names built-in ${name}`);
    assertNoStack(noScenario.stderr, 'run no-such-scenario');
  });

  it('run on a missing .race file exits 2 naming the file', () => {
    exitCode(noFile, 2);
    assert.match(noFile.stderr, /missing\.race/);
    assertNoStack(noFile.stderr, 'run missing.race');
  });

  it('bad options exit 2 with a message naming the option', () => {
    exitCode(badOption, 2);
    assert.match(badOption.stderr, /--bogus/);
    exitCode(badBudget, 2);
    assert.match(badBudget.stderr, /--max-executions/);
    assert.match(badBudget.stderr, /'0'/);
    exitCode(badReduction, 2);
    assert.match(badReduction.stderr, /--reduction/);
    for (const r of [badOption, badBudget, badReduction]) assertNoStack(r.stderr, r.args.join(' '));
  });

  it('--replay with more than one selected run exits 2 and says why', () => {
    exitCode(replayNeedsOneRun, 2);
    assert.match(replayNeedsOneRun.stderr, /--replay needs exactly one run/);
    assert.match(replayNeedsOneRun.stderr, /has 4/);
  });
});

describe('racelens list', () => {
  let list: CliRun;
  before(() => {
    list = cli(['list']);
  });

  it('exits 0 and lists the five built-in scenarios with their expect lines', () => {
    exitCode(list, 0);
    for (const name of BUILTINS) assert.match(list.stdout, new RegExp(`^  ${name} `, 'm'), name);
    assert.match(list.stdout, /^Scenarios:$/m);
    assert.match(list.stdout, /^Eras:$/m);
    assert.match(list.stdout, /^Invariants:$/m);
    assert.match(list.stdout, /5\.10 +expect violated bug-on/);
  });

  it('says where each race comes from and what fixed it', () => {
    assert.match(list.stdout, /^  writeback-stale-wake .*\n {6}from 003_1378d765f3bdf3f4\.txt\n {6}fixed by c2407cf7d22d in 5\.11$/m);
    assert.match(list.stdout, /^  mkwrite-vs-release .*\n {6}from .*\n {6}fixed by b827e496c893 in 2\.6\.30$/m);
  });

  it('lists the eras, overlays and filesystems that run --era and fs accept', () => {
    for (const era of ['2.6.9', '2.6.19', '2.6.20', '5.9', '5.10', '5.11', '6.1']) assert.match(list.stdout, new RegExp(`^  ${era.replace(/\./g, '\\.')} `, 'm'), era);
    for (const o of ['hugh', 'early-unlock', 'no-writeback-wait']) assert.match(list.stdout, new RegExp(`^  ${o} `, 'm'), o);
    for (const f of ['ext3', 'ext4', 'nobh']) assert.match(list.stdout, new RegExp(`^  ${f} `, 'm'), f);
  });
});

describe('racelens explain', () => {
  let e2620: CliRun;
  let e2619: CliRun;
  let unknownFn: CliRun;
  let unknownEra: CliRun;

  before(() => {
    e2620 = cli(['explain', 'clear_page_dirty_for_io', '--era', '2.6.20']);
    e2619 = cli(['explain', 'clear_page_dirty_for_io', '--era', '2.6.19']);
    unknownFn = cli(['explain', 'no_such_function_anywhere', '--era', '6.1']);
    unknownEra = cli(['explain', 'clear_page_dirty_for_io', '--era', '9.9']);
  });

  /**
   * The program listing only: the catalog description printed above it names
   * page_mkclean in prose, whatever the era.
   */
  function program(r: CliRun): string {
    const at = r.stdout.search(/^clear_page_dirty_for_io\(page\)/m);
    assert.ok(at >= 0, `a program listing for clear_page_dirty_for_io\n${show(r)}`);
    return r.stdout.slice(at);
  }

  function order(text: string, words: string[]): number[] {
    return words.map((w) => {
      const i = text.indexOf(w);
      assert.ok(i >= 0, `'${w}' in\n${text}`);
      return i;
    });
  }

  it('2.6.20: page_mkclean, then set_page_dirty, then TestClearPageDirty', () => {
    exitCode(e2620, 0);
    assert.match(e2620.stdout, /built-in model, era 2\.6\.20/);
    const [mkclean, setDirty, testClear] = order(program(e2620), ['page_mkclean', 'set_page_dirty', 'TestClearPageDirty']);
    assert.ok(mkclean! < setDirty!, 'page_mkclean before set_page_dirty');
    assert.ok(setDirty! < testClear!, 'set_page_dirty before TestClearPageDirty');
    // atomic steps are marked with *
    assert.match(program(e2620), /^\s*\d+ \*\s+\d+\s+.*page_mkclean\(page\)/m);
  });

  it('2.6.19: TestClearPageDirty before page_mkclean (the bug 7658cc289288 fixed)', () => {
    exitCode(e2619, 0);
    assert.match(e2619.stdout, /built-in model, era 2\.6\.19/);
    const [testClear, mkclean] = order(program(e2619), ['TestClearPageDirty', 'page_mkclean']);
    assert.ok(testClear! < mkclean!, 'TestClearPageDirty before page_mkclean');
    assert.ok(!program(e2619).includes('set_page_dirty'), '2.6.19 does not re-dirty the page');
  });

  it('an unknown function or era exits 2 naming it', () => {
    exitCode(unknownFn, 2);
    assert.match(unknownFn.stdout + unknownFn.stderr, /no_such_function_anywhere/);
    exitCode(unknownEra, 2);
    assert.match(unknownEra.stderr, /unknown era '9\.9'/);
  });
});

describe('npx racelens', () => {
  it('runs from the repository root through the root package.json bin entry', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
    assert.equal(pkg.bin?.racelens, 'server/bin/racelens.js');
    assert.ok(fs.existsSync(path.join(ROOT, pkg.bin.racelens)));
    const npxNext = path.join(path.dirname(process.execPath), 'npx');
    const npx = fs.existsSync(npxNext) ? npxNext : 'npx';
    const r = spawnSync(npx, ['--no-install', 'racelens', '--help'], {
      cwd: ROOT, encoding: 'utf8', timeout: TIMEOUT_MS,
      env: { ...process.env, npm_config_yes: 'false', npm_config_update_notifier: 'false' },
    });
    assert.equal(r.error, undefined, String(r.error));
    assert.equal(r.status, 0, `npx racelens --help: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /racelens run/);
    assert.match(r.stdout, /--replay/);
  });
});

/** Version 2 of the result JSON (server/src/scenario/result-json.ts), on top of version 1. */
describe('racelens run --json, version 2', () => {
  let builtin: CliRun;
  let fromSource: CliRun;
  let lost: CliRun;
  const fixture = path.join(ROOT, 'test', 'fixtures', 'kernel', 'wait-if');

  before(() => {
    builtin = cli(['run', 'writeback-stale-wake', '--era', '5.10', '--json']);
    fromSource = cli(['run', 'writeback-stale-wake', '--era', '5.11', '--src', fixture, '--json', '--max-states', '500000']);
    lost = cli(['run', 'mmap-dirty-lost', '--era', '2.6.19', '--json']);
  });

  interface V2Step {
    step: number; cpu: string; file?: string; line?: number; column?: number; text?: string; state: string;
    at?: { uri: string; file?: string; line: number; column: number };
    changes: { object: string; field: string; from: unknown; to: unknown }[];
    violation?: boolean;
  }
  interface V2 {
    version: number; verdict: string; invariant?: string; invariantExplanation?: string;
    scenarioAt?: { uri: string; line: number };
    models: { function: string; from: string; file?: string; line?: number; at?: { uri: string; file?: string; line: number; column: number } }[];
    assumptions: unknown[];
    trace?: V2Step[];
    args: { scenario: string; era: string; sources: string[]; reduction: string; maxStates?: number; timeLimitMs?: number };
  }
  const v2 = (r: CliRun): V2 => parseJson(r)[0] as unknown as V2;

  /** The step's text is where it says: a long text is cut with '…' or goes on past the line. */
  function at(t: V2Step): boolean {
    const want = t.text!.replace(/…$/, '');
    const there = textAt(t.at!);
    return there.startsWith(want) || (want.startsWith(there) && there.length >= 10);
  }

  /** The text at a location: built-in documents are read from server/builtin. */
  function textAt(at: { uri: string; file?: string; line: number; column: number }): string {
    const file = at.uri.startsWith('racelens-builtin:/') ? path.join(ROOT, 'server', 'builtin', at.uri.slice('racelens-builtin:/'.length)) : at.file!;
    return fs.readFileSync(file, 'utf8').split('\n')[at.line - 1]!.slice(at.column - 1);
  }

  it('every result says version 2 and echoes its arguments', () => {
    exitCode(builtin, 1);
    const r = v2(builtin);
    assert.equal(r.version, 2);
    assert.deepEqual(r.args, { scenario: 'writeback-stale-wake', era: '5.10', sources: [], reduction: 'full', maxStates: 2_000_000, timeLimitMs: 300_000 });
    assert.deepEqual(v2(fromSource).args.sources, [fixture]);
    assert.equal(v2(fromSource).args.maxStates, 500_000);
    assert.deepEqual(r.assumptions, []);
    assert.equal(r.scenarioAt?.uri, 'racelens-builtin:/scenarios/writeback-stale-wake.race');
    assert.equal(r.invariantExplanation, 'a BUG_ON, VM_BUG_ON or BUG() in some model fired');
  });

  it('built-in models have racelens-builtin: uris; source models absolute paths and file: uris', () => {
    const epw = v2(builtin).models.find((m) => m.function === 'end_page_writeback')!;
    assert.equal(epw.at?.uri, 'racelens-builtin:/models/5.10/filemap.c');
    assert.equal(epw.at?.file, undefined);
    assert.equal(epw.at?.line, epw.line);
    const src = v2(fromSource);
    assert.equal(src.verdict, 'violated', show(fromSource));
    const wait = src.models.find((m) => m.function === 'wait_on_page_writeback')!;
    assert.equal(wait.from, 'source');
    assert.equal(wait.at?.file, path.join(fixture, 'pagemap.c'));
    assert.equal(wait.at?.uri, `file://${path.join(fixture, 'pagemap.c')}`);
    // a step inside the lifted function points into the fixture, at its line and column
    const step = src.trace!.find((t) => t.at?.file === path.join(fixture, 'pagemap.c'));
    assert.ok(step, 'a step in the source model');
    assert.ok(at(step), `${step.text} at ${step.at!.line}:${step.at!.column}`);
  });

  it('each step has a line and column that point at its source text', () => {
    for (const run of [builtin, lost]) {
      const trace = v2(run).trace!;
      let checked = 0;
      for (const t of trace) {
        if (t.line === undefined) continue;
        assert.ok(Number.isInteger(t.column) && t.column! >= 1, `column of step ${t.step}`);
        assert.deepEqual([t.at?.line, t.at?.column], [t.line, t.column]);
        if (t.text && (t.at!.uri.startsWith('racelens-builtin:/models/') || t.at!.file)) {
          assert.ok(at(t), `step ${t.step}: '${t.text}' at ${t.at!.uri}:${t.line}:${t.column} is '${textAt(t.at!).slice(0, 40)}'`);
          checked++;
        }
      }
      assert.ok(checked >= 10, `checked ${checked} steps`);
    }
  });

  it('the state change of each step is data beside the prose, and the violating row is marked', () => {
    const trace = v2(lost).trace!;
    for (const t of trace) {
      assert.ok(Array.isArray(t.changes));
      assert.equal(t.changes.length > 0, t.state !== '', `step ${t.step}: '${t.state}' vs ${JSON.stringify(t.changes)}`);
      for (const c of t.changes) {
        assert.equal(typeof c.object, 'string');
        assert.equal(typeof c.field, 'string');
        assert.notDeepEqual(c.from, c.to);
      }
    }
    // the write-fault's store dirties the PTE: P's PTE goes from clean to dirty
    const dirtied = trace.flatMap((t) => t.changes).find((c) => c.field === 'dirty' && c.to === 1);
    assert.ok(dirtied, JSON.stringify(trace.map((t) => t.changes)));
    // TestClearPageDirty clears PG_dirty of P: {object: P, field: dirty, from: 1, to: 0}
    assert.ok(trace.some((t) => t.changes.some((c) => c.object === 'P' && c.field === 'dirty' && c.from === 1 && c.to === 0)));
    const marked = trace.filter((t) => t.violation);
    assert.equal(marked.length, 1);
    assert.equal(marked[0], trace.at(-1));
    const holds = v2(cli(['run', 'writeback-stale-wake', '--era', '5.11', '--json']));
    assert.equal(holds.trace, undefined);
    assert.equal(holds.invariantExplanation, undefined);
  });
});
