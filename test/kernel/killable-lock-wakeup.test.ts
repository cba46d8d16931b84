/**
 * killable-lock-wakeup: two exclusive waiters on PG_locked, the unlock wakes the first,
 * SIGKILL reaches it before it looks at the bit. Built-in eras: 4.10 loses the wake-up
 * (deadlock), 4.13 (a8b169afbf06: the bit before the signal) holds; 6.1's
 * folio_wait_bit_common() loses it when the wake-up comes after the signal check, and
 * 6.12's tail (overlay woken-takes-bit) closes that. On the whole 6.1 and 6.12 trees
 * the lock and unlock paths run from source and the era's built-in model stands for
 * folio_wait_bit_common() and folio_wake_bit(), which the run says.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario, scenarioRoots, type RunResult } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { sourceEra } from 'racelens-server/out/catalog/tree.js';
import { builtinRace, runBuiltin } from '../engine/fixtures.js';
import { findKernelTree, skipWithoutTree } from './tree.js';

const ID = 'killable-lock-wakeup';

const ops = (r: RunResult) => (r.trace ?? []).map((t) => `${t.cpu} ${t.op}${t.remarks.length ? ` (${t.remarks.join('; ')})` : ''}`);

describe('killable-lock-wakeup on the built-in eras', () => {
  it('4.10: the unlock wakes the killable waiter, SIGKILL comes, it returns -EINTR and the other locker sleeps forever', () => {
    const r = runBuiltin(ID, '4.10');
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'deadlock');
    assert.match(r.message ?? '', /every live thread is blocked \(P2\)/);
    const t = ops(r);
    const wake = t.findIndex((s) => s.startsWith('P0 page_wake_bit_locked') && s.includes('wakes P1'));
    const kill = t.findIndex((s) => s.startsWith('P3 kill(P1)'));
    const eintr = t.findIndex((s, i) => i > kill && s.startsWith('P1 __fatal_signal_pending'));
    assert.ok(wake >= 0 && kill > wake && eintr > kill, t.join('\n'));
    assert.ok(!t.slice(wake + 1).some((s) => s.includes('wakes P2')), 'nobody wakes P2');
  });

  it('4.13: the woken waiter tries the bit before the signal: holds (the fix reverted is 4.10)', () => {
    const r = runBuiltin(ID, '4.13');
    assert.equal(r.verdict, 'holds', r.message);
    assert.ok(r.executions > 100, 'every interleaving of the four CPUs ran');
  });

  it('6.1: a wake-up after the signal check is swallowed too (WQ_FLAG_WOKEN without WQ_FLAG_DONE)', () => {
    const r = runBuiltin(ID, '6.1');
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'deadlock');
    const t = ops(r);
    const check = t.findIndex((s) => s.startsWith('P1 __fatal_signal_pending') && s.endsWith('= 1'));
    const finish = t.findIndex((s, i) => i > check && s.startsWith('P1 page_wait_finish'));
    assert.ok(check >= 0 && finish > check, t.join('\n'));
    assert.ok(t.some((s) => s.includes('wakes P1 (WQ_FLAG_WOKEN)')), t.join('\n'));
  });

  it('6.1 with 6.12\'s tail (woken-takes-bit): the woken waiter takes the free bit: holds', () => {
    const r = runBuiltin(ID, '6.1+woken-takes-bit');
    assert.equal(r.verdict, 'holds', r.message);
  });
});

for (const release of ['6.1', '6.12']) {
  const TREE = findKernelTree(release);
  const why = skipWithoutTree(TREE, `killable-lock-wakeup on the ${release} tree`, release);
  const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-kill-'));

  const run = (eraSpec?: string): RunResult => {
    const { race, file } = builtinRace(ID);
    const era = sourceEra(eraSpec, [TREE!]);
    assert.equal(era.problem, undefined);
    const models = sourceModelSet(era.era!, [TREE!], { roots: scenarioRoots(race), filesystems: ['nobh'], cache: CACHE });
    return runScenario({ race, file, eraSpec: era.era!, models });
  };

  describe(`killable-lock-wakeup on the whole ${release} tree`, { skip: why }, () => {
    it('the lock and unlock paths from source, the wait and the wake-up walk from the 6.1 built-in model, said so: deadlock', () => {
      const r = run();
      assert.equal(r.era, '6.1');
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'deadlock');
      // 6.12 has no lock_page_killable: the harness's call reaches folio_lock_killable, its later name
      const lockKillable = release === '6.1' ? ['lock_page_killable'] : [];
      for (const fn of ['lock_page', ...lockKillable, 'folio_lock_killable', '__folio_lock', '__folio_lock_killable', 'folio_unlock', 'unlock_page']) {
        assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', `${fn} from source`);
      }
      for (const fn of ['folio_wait_bit_common', 'folio_wake_bit']) {
        assert.equal(r.models.find((m) => m.function === fn)?.from, 'builtin', `${fn}: the built-in model`);
        const note = r.assumptions.find((a) => a.kind === 'builtin-over-source' && a.function === fn);
        assert.ok(note, `the run says that the built-in ${fn} runs instead of the tree's`);
        assert.match(note.message, /built-in model \(builtin\/models\/6\.1\/filemap\.c:\d+\) runs instead of the source at .*mm\/filemap\.c:\d+/);
      }
    });

    it('with the overlay of 6.12\'s tail over the same tree: holds', () => {
      const r = run('6.1+woken-takes-bit');
      assert.equal(r.verdict, 'holds', r.message);
    });
  });
}
