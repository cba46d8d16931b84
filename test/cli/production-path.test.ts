/**
 * `npm test` sets RACELENS_CHECK_CLASSES=1, so the machine checks every primitive's
 * stated classes; users run without it. The seed races both ways, in child processes
 * (the flag is read when the simulator loads): the same verdicts, executions and
 * states, every verdict the one its scenario expects, and no assumption in any of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CLI, ROOT, parseJson, show, type CliRun } from './helpers.js';

function runAll(checkClasses: boolean): CliRun {
  const env = { ...process.env };
  if (checkClasses) env.RACELENS_CHECK_CLASSES = '1';
  else delete env.RACELENS_CHECK_CLASSES;
  const args = ['run', '--check-expected', '--json'];
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  return { args, status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

test('the seed races give the same results with and without the class checks', () => {
  const checked = runAll(true);
  const production = runAll(false);
  assert.equal(checked.status, 0, show(checked));
  assert.equal(production.status, 0, show(production));
  const key = (r: CliRun) => parseJson(r).map((x) => ({
    scenario: x.scenario, era: x.era, verdict: x.verdict, invariant: x.invariant,
    executions: x.executions, states: x.states, asExpected: (x as { asExpected?: boolean }).asExpected,
  }));
  const a = key(checked);
  const b = key(production);
  assert.ok(a.length >= 16, `every expect line of the built-ins runs (${a.length})`);
  assert.ok(b.every((x) => x.asExpected === true), 'every verdict as expected without the checks');
  assert.deepEqual(b, a);
  // the built-in eras are models of their own kernels: no run of theirs rests on an assumption
  // (a stand-in for a later release's missing table entry, 2.6.34 ext4 given 5.5's iomap O_DIRECT, was one)
  for (const x of parseJson(production)) {
    const said = (x as { assumptions?: { message: string }[] }).assumptions ?? [];
    assert.deepEqual(said.map((s) => s.message), [], `${x.scenario} ${x.era}${(x as { fs?: string }).fs ? ` fs=${(x as { fs?: string }).fs}` : ''}: no assumption`);
  }
});
