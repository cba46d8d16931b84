/**
 * Statements run as compiled closures (sim/compiled-code.ts): a call by name is
 * specialised to its target when it first runs, a call through a pointer keeps one
 * specialisation per target it reaches. These runs put one call site in front of two
 * targets and check that each call runs its own callee, its result landing in the
 * caller's destination, in lifted source (the writeback-iter fixture, 6.1's built-ins
 * around it) on the writeback-stale-wake race.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runScenario } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { builtinRace, editedFixture } from './fixtures.js';

const helpers = 'static int one(void)\n{\n\treturn 1;\n}\n\nstatic int two(void)\n{\n\treturn 2;\n}\n\n'
  + 'static int call(int (*f)(void))\n{\n\treturn f();\n}\n\nint write_cache_pages(';

/** writeback-stale-wake 6.1 with `check` before write_cache_pages() returns. */
function runWith(check: string) {
  const dir = editedFixture('writeback-iter', 'page-writeback.c', 'int write_cache_pages(', helpers);
  const text = fs.readFileSync(path.join(dir, 'page-writeback.c'), 'utf8');
  fs.writeFileSync(path.join(dir, 'page-writeback.c'), text.replace('\treturn error;\n}', `${check}\treturn error;\n}`));
  const { race, file } = builtinRace('writeback-stale-wake');
  return runScenario({ race, file, eraSpec: '6.1', models: sourceModelSet('6.1', [dir]), stopAtFirstViolation: false });
}

describe('one call site through a pointer, two targets (compiled per target)', () => {
  it('each call runs the function it was handed: call(one) is 1 and call(two) is 2, in either order', () => {
    const r = runWith('\tBUG_ON(call(one) != 1);\n\tBUG_ON(call(two) != 2);\n\tBUG_ON(call(one) != 1);\n');
    assert.equal(r.verdict, 'holds', r.message);
    assert.deepEqual(r.assumptions, []);
    for (const fn of ['call', 'one', 'two']) assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', fn);
  });

  it('a result taken from the wrong target would show: BUG_ON(call(two) != 1) fires, placed in write_cache_pages', () => {
    const r = runWith('\tBUG_ON(call(one) != 1);\n\tBUG_ON(call(two) != 1);\n');
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'bug-on');
    assert.match(r.message ?? '', /BUG_ON\(call\(two\) != 1\) fired in write_cache_pages/);
  });
});
