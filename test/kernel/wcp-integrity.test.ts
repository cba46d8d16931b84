/**
 * wcp-integrity (issue 17 #6): fsync's write_cache_pages and its nr_to_write budget.
 * The eras' built-in models give their verdicts; 2.6.28 with the loop leaving on a
 * spent budget and without 05fe478dd04e (overlay wcp-early-break: the fix reverted) loses
 * the page dirtied before the fsync; the whole 6.1 and 6.12 trees run their own
 * write_cache_pages and hold. Tree tests skip, saying why, when the trees are absent.
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

describe('wcp-integrity on the eras\' built-in models', () => {
  it('2.6.28 holds: a spent budget only sets `done`, and the pagevec in hand (all three pages) is still written', () => {
    const r = runBuiltin('wcp-integrity', '2.6.28');
    assert.equal(r.verdict, 'holds', r.message);
  });

  it('2.6.28+wcp-early-break (05fe478dd04e reverted) violates sync-durability: the budget of 2 goes to the new pages', () => {
    const r = runBuiltin('wcp-integrity', '2.6.28+wcp-early-break');
    assert.equal(r.verdict, 'violated', r.message);
    assert.equal(r.invariant, 'sync-durability');
    assert.match(r.message ?? '', /block 0 of page P: v1 was stored before the sync started, but the disk holds v0/);
    const t = r.trace!;
    // the budget is twice the one page cached when the fsync started
    assert.ok(t.some((s) => s.function === '__filemap_fdatawrite_range' && /nr_to_write\s+\d+→2/.test(s.state)), 'nr_to_write = nrpages * 2 = 2');
    // Q and R are added after the fsync started, and written; P is not
    const begin = t.findIndex((s) => s.op.startsWith('sync_begin('));
    const added = t.findIndex((s) => s.op.startsWith('page_cache_add(F, Q) = 1'));
    assert.ok(begin >= 0 && added > begin, 'Q enters the page cache after the fsync started');
    const started = t.filter((s) => /^TestSetPageWriteback\(/.test(s.op)).map((s) => s.op);
    assert.ok(started.some((o) => o.includes('(Q)')) && started.some((o) => o.includes('(R)')), started.join(', '));
    assert.ok(!started.some((o) => o.includes('(P)')), 'P is never put under writeback');
  });

  it('2.6.29 holds: WB_SYNC_ALL neither counts nor obeys the budget', () => {
    const r = runBuiltin('wcp-integrity', '2.6.29');
    assert.equal(r.verdict, 'holds', r.message);
    assert.equal(r.models.find((m) => m.function === 'write_cache_pages')?.file, 'builtin/models/2.6.29/page-writeback.c');
  });

  it('a page declared absent is outside the page cache until a write adds it', () => {
    const r = runBuiltin('wcp-integrity', '2.6.28+wcp-early-break');
    const add = r.trace!.find((s) => s.op.startsWith('page_cache_add(F, Q)'));
    assert.match(add?.state ?? '', /Q mapping=F ref 0→2 \+locked/);
  });
});

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-wcp-'));

function onTree(tree: string): RunResult {
  const { race, file } = builtinRace('wcp-integrity');
  const era = sourceEra(undefined, [tree]);
  assert.equal(era.problem, undefined);
  const models = sourceModelSet(era.era!, [tree], { roots: scenarioRoots(race), filesystems: ['nobh'], cache: CACHE });
  return runScenario({ race, file, eraSpec: era.era!, models });
}

for (const release of ['6.1', '6.12']) {
  const tree = findKernelTree(release);
  const why = skipWithoutTree(tree, `wcp-integrity on the real ${release} tree`, release);
  describe(`wcp-integrity on the whole ${release} tree`, { skip: why }, () => {
    it('holds, with the tree\'s own write_cache_pages and dirtying, and every CPU running kernel code', () => {
      const r = onTree(tree!);
      assert.equal(r.verdict, 'holds', r.message);
      const fns = ['write_cache_pages', 'folio_clear_dirty_for_io', 'folio_mark_dirty', 'filemap_dirty_folio', 'set_page_dirty',
        ...(release === '6.12' ? ['writeback_iter'] : ['generic_writepages'])];
      for (const fn of fns) assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', `${fn} from ${release}'s source`);
      assert.ok(r.executions > 1 && r.states > 100, `a real exploration (${r.executions} executions, ${r.states} states)`);
      // every primitive or no-op that stands for a definition of the tree says why (6.12's
      // folio_batch_next has no recorded reason yet, for every race that reaches it)
      const unexplained = r.assumptions.filter((a) => a.kind === 'builtin-over-source' && /no reason is recorded/.test(a.message));
      assert.deepEqual(unexplained.map((a) => a.function).filter((f) => f !== 'folio_batch_next'), []);
    });
  });
}
