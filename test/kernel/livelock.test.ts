/**
 * A CPU that loops forever is a verdict, never a vacuous `holds` (issue 16 item 8): a
 * copy of the 6.1 tree's mm/truncate.c whose truncate_inode_pages_range() restarts its
 * final pass even when the mapping is empty (the `break` of "If all gone from start
 * onwards, we're done" turned into a restart) spins once the other CPUs are done. The
 * search meets a state it has already seen on the way, with the truncating CPU alone
 * able to run: a livelock, reported as `deadlock` with the trace to it.
 *
 * Skipped, with the reason, when the tree is absent.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findKernelTree, skipWithoutTree } from './tree.js';
import { edited } from './tree-copy.js';
import { runOnTree } from './run-on-tree.js';

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-livelock-'));
const ALL_GONE = '\t\t\t/* If all gone from start onwards, we\'re done */\n\t\t\tif (index == start)\n\t\t\t\tbreak;\n';
const tree = findKernelTree('6.1');

describe('a CPU that never finishes, on the real 6.1 tree', { skip: skipWithoutTree(tree, 'a CPU that never finishes, on the real 6.1 tree', '6.1') }, () => {
  it('truncate-vs-writeback holds with the tree as it is', () => {
    const r = runOnTree('truncate-vs-writeback', tree!, CACHE);
    assert.equal(r.verdict, 'holds', r.message);
    assert.equal(r.models.find((m) => m.function === 'truncate_inode_pages_range')?.from, 'source');
  });

  it('a truncate_inode_pages_range() that never leaves its last pass is a livelock, not holds', () => {
    const copy = edited(tree!, 'mm/truncate.c', ALL_GONE, '\t\t\tif (index == start)\n\t\t\t\tcontinue;\n');
    const r = runOnTree('truncate-vs-writeback', tree!, CACHE, [copy]);
    assert.equal(r.verdict, 'violated', r.message);
    assert.equal(r.invariant, 'deadlock');
    assert.match(r.message ?? '', /livelock: \S+ is back in a state it was in \d+ steps? ago/);
  });
});
