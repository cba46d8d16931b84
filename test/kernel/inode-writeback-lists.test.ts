/**
 * inode-writeback-lists (issue 17 #7): an inode with dirty pages left off the
 * writeback lists. The eras' built-in models (5.8, 5.18, and 5.18 without
 * 846a3351ddfe) give their verdicts with the invariant inode-off-lists; on the whole
 * 6.1 and 6.12 trees the tree's own fs/fs-writeback.c runs (from source) and holds, and
 * a temporary copy of it without writeback_single_inode()'s requeue of a still-dirty
 * inode (846a3351ddfe reverted) violates inode-off-lists. Tree tests skip, saying why,
 * when the trees are absent.
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

describe('inode-writeback-lists on the eras\' built-in models', () => {
  it('5.8 violates inode-off-lists: the dirtier leaves the inode on b_dirty_time and writeback does not requeue it', () => {
    const r = runBuiltin('inode-writeback-lists', '5.8');
    assert.equal(r.verdict, 'violated', r.message);
    assert.equal(r.invariant, 'inode-off-lists');
    assert.match(r.message ?? '', /inode F has dirty page P but is on b_dirty_time, without I_SYNC/);
    const t = r.trace!;
    // the dirtier never moves the inode: the only list_move is update_time's, onto b_dirty_time
    const moves = t.filter((s) => s.op.startsWith('list_move(')).map((s) => `${s.cpu} ${s.op}`);
    assert.deepEqual(moves, ['P0 list_move(inode/F.i_io_list, wb/F.b_dirty_time)']);
  });

  it('5.18 without 846a3351ddfe violates inode-off-lists: writeback sets I_DIRTY_PAGES itself and the dirtier returns early', () => {
    const r = runBuiltin('inode-writeback-lists', '5.18+wsi-no-requeue');
    assert.equal(r.verdict, 'violated', r.message);
    assert.equal(r.invariant, 'inode-off-lists');
    const t = r.trace!;
    const tagged = t.findIndex((s) => s.op.startsWith('mapping_tagged(F, dirty) = 1'));
    assert.ok(tagged >= 0, 'writeback finds the page tagged dirty');
    assert.ok(!t.some((s) => s.cpu === 'P1' && s.op.startsWith('spin_lock(F.i_lock)')), 'the dirtier never takes i_lock: its lockless test returns');
  });

  it('5.18 holds: a still-dirty inode goes back on b_dirty', () => {
    const r = runBuiltin('inode-writeback-lists', '5.18');
    assert.equal(r.verdict, 'holds', r.message);
    assert.equal(r.models.find((m) => m.function === 'writeback_single_inode')?.file, 'builtin/models/5.18/fs-writeback.c');
  });
});

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-iwl-'));

function onTree(tree: string, extra: string[] = []): RunResult {
  const { race, file } = builtinRace('inode-writeback-lists');
  const era = sourceEra(undefined, [tree]);
  assert.equal(era.problem, undefined);
  const models = sourceModelSet(era.era!, [tree, ...extra], { roots: scenarioRoots(race), checks: race.checks.map((c) => c.id), filesystems: ['nobh'], cache: CACHE });
  return runScenario({ race, file, eraSpec: era.era!, models });
}

/** The tree's fs/fs-writeback.c with writeback_single_inode()'s requeue of a still-dirty inode taken out, in a temporary folder. */
function withoutRequeue(tree: string): string {
  const text = fs.readFileSync(path.join(tree, 'fs/fs-writeback.c'), 'utf8');
  const requeue = /(\t\tif \(!\(inode->i_state & I_DIRTY_ALL\)\)\n\t\t\tinode_cgwb_move_to_attached\(inode, wb\);)\n\t\telse if \(!\(inode->i_state & I_SYNC_QUEUED\)\) \{[\s\S]*?\n\t\t\}\n/;
  assert.match(text, requeue, 'the requeue is where 846a3351ddfe put it');
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-iwl-edit-')), 'fs-writeback.c');
  fs.writeFileSync(out, text.replace(requeue, '$1\n'));
  return out;
}

for (const release of ['6.1', '6.12']) {
  const tree = findKernelTree(release);
  const why = skipWithoutTree(tree, `inode-writeback-lists on the real ${release} tree`, release);
  describe(`inode-writeback-lists on the whole ${release} tree`, { skip: why }, () => {
    it('holds, with the tree\'s own inode writeback code', () => {
      const r = onTree(tree!);
      assert.equal(r.verdict, 'holds', r.message);
      for (const fn of ['__mark_inode_dirty', 'writeback_single_inode', '__writeback_single_inode', 'inode_io_list_move_locked',
        'locked_inode_to_wb_and_lock_list', 'inode_cgwb_move_to_attached', 'inode_sync_complete']) {
        assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', `${fn} from ${release}'s source`);
      }
      assert.ok(r.states > 100, `a real exploration (${r.states} states)`);
      // every primitive or no-op that stands for a definition of the tree says why (6.12's
      // folio_batch_next has no recorded reason yet, for every race that reaches it)
      const unexplained = r.assumptions.filter((a) => a.kind === 'builtin-over-source' && /no reason is recorded/.test(a.message));
      assert.deepEqual(unexplained.map((a) => a.function).filter((f) => f !== 'folio_batch_next'), []);
    });

    it('violates inode-off-lists when writeback_single_inode() does not requeue a still-dirty inode (846a3351ddfe reverted)', () => {
      const r = onTree(tree!, [withoutRequeue(tree!)]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'inode-off-lists');
      assert.match(r.message ?? '', /inode F has dirty page P but is on b_dirty_time/);
    });
  });
}
