/**
 * A race that runs nothing is an error, never a vacuous holds (issue 16, item 8):
 *  - an operation whose built-in model calls a function nothing in the run defines is
 *    an error before the run, at the scenario's call, naming the function and what the
 *    tree's release calls it (the catalog's `since` renames);
 *  - a built-in calling through an a_ops entry the filesystem's table lacks is an error
 *    before the run, naming the table and where it is (ext4's O_DIRECT, which has no
 *    entry in 6.12, runs through the filesystem's stand-in instead);
 *  - a holds in which a CPU took no step is an error naming the CPU.
 * On small kernel-style trees written here, and on the real 6.1 and 6.12 trees (those
 * parts skipped, with the reason, when the tree is absent).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario, scenarioRoots, type RunResult } from 'racelens-server/out/scenario/run.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { nameInRelease, renamedNote } from 'racelens-server/out/catalog/era-names.js';
import { parseScenarioText } from 'racelens-server/out/scenario/library.js';
import type { RaceFile } from 'racelens-server/out/scenario/ast.js';
import { builtinRace } from '../engine/fixtures.js';
import { findKernelTree, skipWithoutTree, tmpTree } from './tree.js';

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-entry-'));

function runOver(race: RaceFile, file: string, inputs: string[], era = '6.1'): RunResult {
  const models = sourceModelSet(era, inputs, { roots: scenarioRoots(race), filesystems: [race.setup.fs?.name ?? 'nobh'], cache: CACHE });
  return runScenario({ race, file, eraSpec: era, models });
}

function builtinOver(scenario: string, inputs: string[], era = '6.1'): RunResult {
  const { race, file } = builtinRace(scenario);
  return runOver(race, file, inputs, era);
}

/** A kernel-style tree of the given release: top Makefile, include/linux, and the files given. */
function release(version: string, files: Record<string, string>): string {
  const [v, p] = version.split('.');
  return tmpTree({ Makefile: `VERSION = ${v}\nPATCHLEVEL = ${p}\n`, 'include/linux/types.h': '/* types */\n', ...files }, 'racelens-entry-');
}

const VMSCAN_612 = `/* mm/vmscan.c, in the shape of 6.12: reclaim of an isolated folio list */
static unsigned int shrink_folio_list(struct list_head *folio_list,
		struct pglist_data *pgdat, struct scan_control *sc,
		struct reclaim_stat *stat, bool ignore_references)
{
	return 0;
}
`;

describe('the catalog says what a release calls a renamed function', () => {
  it('shrink_page_list is shrink_folio_list from 6.1 on (the 6.1 tree defines shrink_folio_list)', () => {
    assert.deepEqual(nameInRelease('shrink_page_list', '6.12'), { name: 'shrink_folio_list', since: '6.1' });
    assert.deepEqual(nameInRelease('shrink_folio_list', '5.10'), { name: 'shrink_page_list' });
    assert.equal(renamedNote('shrink_page_list', '6.12'), 'in 6.12 it is shrink_folio_list (renamed in 6.1)');
    assert.equal(renamedNote('shrink_folio_list', '6.12'), undefined);
    assert.equal(renamedNote('clear_page_dirty_for_io', '6.1'), 'in 6.1 it is folio_clear_dirty_for_io (renamed in 5.18)');
    // a function with no recorded rename says nothing
    assert.equal(nameInRelease('write_cache_pages', '6.12'), undefined);
  });
});

describe('an operation with no model is an error before the run (kernel-style trees)', () => {
  // era 5.9's built-ins have no reclaim model (2.6.34's, 5.17's and 6.1's do): reclaim(F)
  // enters through shrink_inactive_list(), which the catalog keeps built-in (the lruvec
  // and its lru_lock are not modeled) and which hands the tree's shrink_folio_list() its list
  it('reclaim on a 6.12-shaped tree with era 5.9: names shrink_inactive_list, which neither the tree nor the era serves', () => {
    const tree = release('6.12', { 'mm/vmscan.c': VMSCAN_612 });
    const r = builtinOver('reclaim-writepage-refused', [tree], '5.9');
    assert.equal(r.verdict, 'error');
    assert.equal(r.executions, 0, 'nothing ran');
    // at the scenario's call: reclaim(F) in the kswapd block
    assert.match(r.message ?? '', /reclaim-writepage-refused\.race:14:14: error: /);
    assert.match(r.message ?? '', /reclaim \(builtin\/models\/common\/harness\.c:\d+\) calls shrink_inactive_list\(\), which has no model in this run/);
    assert.match(r.message ?? '', /no compiled source of the linux 6\.12 tree defines it, and era 5\.9's built-ins have no model of it/);
  });

  it('a tree that defines neither name: no source defines it, and the era has no model', () => {
    const tree = release('6.12', { 'mm/filemap.c': '/* nothing about reclaim */\n' });
    const r = builtinOver('reclaim-writepage-refused', [tree], '5.9');
    assert.equal(r.verdict, 'error');
    assert.match(r.message ?? '', /calls shrink_inactive_list\(\), which has no model in this run: no compiled source of the linux 6\.12 tree defines it, and era 5\.9's built-ins have no model of it/);
  });

  it('era 5.9 alone: the same error, without a release to name', () => {
    const { race, file } = builtinRace('reclaim-writepage-refused');
    const r = runScenario({ race, file, eraSpec: '5.9' });
    assert.equal(r.verdict, 'error');
    assert.match(r.message ?? '', /calls shrink_inactive_list\(\), which has no model in this run: era 5\.9's built-ins have no model of it\. The run would take it as a no-op/);
  });

  it('the built-in eras that model reclaim are unaffected: 2.6.34 violates no-progress', () => {
    const { race, file } = builtinRace('reclaim-writepage-refused');
    const r = runScenario({ race, file, eraSpec: '2.6.34' });
    assert.equal(r.verdict, 'violated', r.message);
    assert.equal(r.invariant, 'no-progress');
  });
});

describe('a holds in which a CPU took no step is an error', () => {
  const SCENARIO = `race idle-truncate "truncation racing with writeback"
era 6.1
setup {
  fs ext3 data=ordered
  file F { page P index 0 uptodate dirty buffers 1 }
}
P0 writeback { writeback(F) }
P1 truncate  { truncate_inode_pages_range(F, 0, -1) }
check freed-under-writeback bug-on deadlock
`;
  const parsed = parseScenarioText(SCENARIO, '/virtual/idle-truncate.race');

  it('a truncation whose body returns at once: CPU P1 is named, and the verdict is not holds', () => {
    assert.ok(parsed.race, JSON.stringify(parsed.diagnostics));
    // a patch that returns before doing anything (the tree's own page-cache walk never runs)
    const tree = release('6.1', {
      'mm/truncate.c': `/* mm/truncate.c */
void truncate_inode_pages_range(struct address_space *mapping,
				loff_t lstart, loff_t lend)
{
	if (lend == -1)
		return;
}
`,
    });
    const r = runOver(parsed.race!, '/virtual/idle-truncate.race', [tree]);
    assert.equal(r.verdict, 'error');
    assert.match(r.message ?? '', /CPU P1 \(truncate\) took no step in any interleaving \(truncate_inode_pages_range\(\) ran no kernel code that touches shared state\)/);
    assert.doesNotMatch(r.message ?? '', /CPU P0/, 'the writeback CPU ran');
    assert.ok(r.executions >= 1);
  });

  it('the same scenario with the era\'s truncation holds (both CPUs step)', () => {
    const r = runScenario({ race: parsed.race!, file: '/virtual/idle-truncate.race', eraSpec: '6.1' });
    assert.equal(r.verdict, 'holds', r.message);
  });
});

const TREE_61 = findKernelTree('6.1');
const TREE_612 = findKernelTree('6.12');
const skip612 = skipWithoutTree(TREE_612, 'operations with no model on the real 6.12 tree', '6.12');

describe('the real 6.12 tree', { skip: skip612 }, () => {
  it('dio-mmap-uptodate runs: ext4\'s O_DIRECT (no ->direct_IO) goes through ->write_iter and iomap, from the tree', () => {
    const r = builtinOver('dio-mmap-uptodate', [TREE_612!]);
    assert.equal(r.verdict, 'holds', r.message);
    assert.ok(r.executions > 1);
    assert.equal(r.models.find((m) => m.function === '__iomap_dio_rw')?.from, 'source');
    // the ->direct_IO stand-in of the first 6.12 runs is not needed: no run says it
    assert.deepEqual(r.assumptions.filter((a) => /\.direct_IO\b|blockdev_direct_write/.test(a.message)).map((a) => a.message), []);
  });
});

describe('a built-in calling through an a_ops entry the table lacks (kernel-style tree)', () => {
  const SCENARIO = `race nobh-dio "an O_DIRECT write on a filesystem whose table has no ->direct_IO"
era 6.1
setup {
  fs nobh
  file F { page P index 0 uptodate }
}
P0 user { dio_write(F, P, 0) }
check stale-read deadlock
`;
  it('is an error before the run, naming the table and its place', () => {
    const parsed = parseScenarioText(SCENARIO, '/virtual/nobh-dio.race');
    assert.ok(parsed.race, JSON.stringify(parsed.diagnostics));
    const tree = release('6.12', {
      'fs/ext2/inode.c': `/* fs/ext2/inode.c */
static int ext2_nobh_writepage(struct page *page, struct writeback_control *wbc)
{
	return 0;
}

const struct address_space_operations ext2_nobh_aops = {
	.writepage		= ext2_nobh_writepage,
};
`,
    });
    const r = runOver(parsed.race!, '/virtual/nobh-dio.race', [tree]);
    assert.equal(r.verdict, 'error');
    assert.equal(r.executions, 0);
    assert.match(r.message ?? '', /nobh-dio\.race:7:\d+: error: generic_file_direct_IO \(builtin\/models\/5\.9\/filemap\.c:\d+\) calls mapping->a_ops->direct_IO\(\), but nobh's table ext2_nobh_aops \([^)]*fs\/ext2\/inode\.c:7\) has no \.direct_IO/);
  });
});

describe('the real 6.1 tree', { skip: skipWithoutTree(TREE_61, 'operations with no model on the real 6.1 tree') }, () => {
  it('dio-mmap-uptodate runs through ->write_iter and iomap from the tree; noop_direct_IO (which no write path calls) is not reached', () => {
    const r = builtinOver('dio-mmap-uptodate', [TREE_61!]);
    assert.equal(r.verdict, 'holds', r.message);
    assert.equal(r.models.find((m) => m.function === '__iomap_dio_rw')?.from, 'source');
    assert.deepEqual(r.assumptions.filter((a) => /\.direct_IO\b|blockdev_direct_write/.test(a.message)).map((a) => a.message), []);
  });
});
