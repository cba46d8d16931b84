/**
 * killable-lock-wakeup: two exclusive waiters on PG_locked, the unlock wakes the first,
 * SIGKILL reaches it before it looks at the bit. Built-in eras: 4.10 loses the wake-up
 * (deadlock), 4.13 (a8b169afbf06: the bit before the signal) holds; 6.1's
 * folio_wait_bit_common() loses it when the wake-up comes after the signal check, and
 * 6.12's tail (overlay woken-takes-bit) closes that. On the whole 6.1 and 6.12 trees
 * the wait and the wake-up run from source, over the wait queue as data
 * (sim/wait-objects.ts): 6.1's folio_wait_bit_common() loses the wake-up (the tree's
 * verdict, with the trace), 6.12's takes the free bit after finish_wait() and holds;
 * 6.12's mm/filemap.c without that block (a temporary copy) deadlocks. A sentinel BUG()
 * in wake_page_function() and in finish_wait() fires.
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
import { edited } from './tree-copy.js';

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

const WAIT_FROM_SOURCE = ['folio_wait_bit_common', 'folio_trylock_flag', 'folio_wake_bit', 'wake_page_function', 'wake_page_match',
  '__wake_up_common', 'finish_wait', '__add_wait_queue_entry_tail', 'waitqueue_active', 'signal_pending_state'];

/** 6.12's tail of folio_wait_bit_common() (mm/filemap.c:1351-1363): a woken exclusive waiter takes the free bit. */
const TAKES_BIT = /\t\tif \(wait->flags & WQ_FLAG_DONE\)\n\t\t\treturn 0;\n[\s\S]*?\t\tif \(\(wait->flags & WQ_FLAG_WOKEN\) &&\n\t\t    !test_and_set_bit\(bit_nr, folio_flags\(folio, 0\)\)\)\n\t\t\treturn 0;\n\t\treturn -EINTR;\n/;

for (const release of ['6.1', '6.12']) {
  const TREE = findKernelTree(release);
  const why = skipWithoutTree(TREE, `killable-lock-wakeup on the ${release} tree`, release);
  const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-kill-'));

  const run = (extra: string[] = []): RunResult => {
    const { race, file } = builtinRace(ID);
    const era = sourceEra(undefined, [TREE!]);
    assert.equal(era.problem, undefined);
    const models = sourceModelSet(era.era!, [TREE!, ...extra], { roots: scenarioRoots(race), race: ID, filesystems: ['nobh'], cache: CACHE });
    return runScenario({ race, file, eraSpec: era.era!, models });
  };

  describe(`killable-lock-wakeup on the whole ${release} tree`, { skip: why }, () => {
    it(release === '6.1'
      ? 'the wait and the wake-up from the tree: the wake-up after the signal check is swallowed, deadlock'
      : 'the wait and the wake-up from the tree: the woken waiter takes the free bit after finish_wait(), holds', () => {
      const r = run();
      assert.equal(r.era, '6.1');
      const lockKillable = release === '6.1' ? ['lock_page_killable'] : [];
      for (const fn of ['lock_page', ...lockKillable, 'folio_lock_killable', '__folio_lock', '__folio_lock_killable', 'folio_unlock', 'unlock_page', ...WAIT_FROM_SOURCE]) {
        assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', `${fn} from source`);
      }
      assert.equal(r.models.find((m) => m.function === 'init_wait')?.from, 'builtin', 'init_wait() is a macro: its body is the built-in');
      assert.ok(!r.assumptions.some((a) => a.kind === 'builtin-over-source' && /^folio_wa(it|ke)_bit/.test(a.function ?? '')), 'no built-in stands for the wait');
      if (release === '6.12') {
        assert.equal(r.verdict, 'holds', r.message);
        assert.ok(r.executions > 100, `${r.executions} executions`);
        return;
      }
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'deadlock');
      assert.match(r.message ?? '', /every live thread is blocked \(P2\)/);
      const t = (r.trace ?? []).map((s) => `${s.cpu} ${s.function} ${s.op}`);
      // P1 read its WQ_FLAG_* word before the walk marked it woken, then saw SIGKILL and left the loop:
      // the walk's one exclusive wake-up went to a waiter that returns -EINTR
      const read = t.findIndex((s) => s.startsWith('P1 folio_wait_bit_common load P1.wait_page->flags = 1'));
      const woken = t.findIndex((s) => s.startsWith('P0 wake_page_function store P1.wait_page->flags = 3'));
      const check = t.findIndex((s) => s.startsWith('P1 signal_pending_state __fatal_signal_pending(P1) = 1'));
      assert.ok(read >= 0 && woken > read && check > read, t.join('\n'));
      assert.ok(!t.slice(read + 1).some((s) => s.startsWith('P1 folio_wait_bit_common load P1.wait_page->flags')), 'P1 never reads the flag the walk set');
      assert.ok(!t.some((s) => s.startsWith('P0 wake_page_function store P2.wait_page')), 'the walk stops at P1: nobody wakes P2');
    });

    if (release === '6.12') {
      it('6.12\'s mm/filemap.c without the tail that takes the free bit (a temporary copy): deadlock', () => {
        const r = run([edited(TREE!, 'mm/filemap.c', TAKES_BIT, '\t\treturn wait->flags & WQ_FLAG_DONE ? 0 : -EINTR;\n')]);
        assert.equal(r.verdict, 'violated', r.message);
        assert.equal(r.invariant, 'deadlock');
      });
    }

    it('a sentinel BUG() in the tree\'s wake_page_function() fires', () => {
      const copy = edited(TREE!, 'mm/filemap.c', /(static int wake_page_function\(wait_queue_entry_t \*wait, unsigned mode, int sync, void \*arg\)\n\{\n)/, '$1\tBUG();\n');
      const r = run([copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'bug-on');
      assert.match(r.message ?? '', /wake_page_function/);
    });

    it('a sentinel BUG() in the tree\'s finish_wait() fires', () => {
      const copy = edited(TREE!, 'kernel/sched/wait.c', /(void finish_wait\(struct wait_queue_head \*wq_head, struct wait_queue_entry \*wq_entry\)\n\{\n)/, '$1\tBUG();\n');
      const r = run([copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'bug-on');
      assert.match(r.message ?? '', /finish_wait/);
    });
  });
}
