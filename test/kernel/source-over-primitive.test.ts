/**
 * More of the kernel's own helpers run from source, so a BUG() in them fires: the
 * struct folio/page arithmetic, the backing device's and mapping's properties, the
 * folio batch, put_page, folio_mapping (catalog/primitive-reasons.ts,
 * SOURCE_OVER_PRIMITIVE). On the whole 6.1 tree `npm run kernel` fetches: each name
 * runs from source in a seed race that holds, no `builtin-over-source` note names it,
 * and a sentinel `BUG();` added at the top of its body (a copy of the defining file in
 * a temporary folder, given as a later --src input) makes the run fail with the BUG at
 * that line. The lift cache is a temporary folder. Skipped, with a message, without
 * the tree.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario, scenarioRoots, type RunResult } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { SOURCE_OVER_PRIMITIVE } from 'racelens-server/out/catalog/primitive-reasons.js';
import { builtinRace } from '../engine/fixtures.js';
import { findKernelTree, skipWithoutTree } from './tree.js';

const TREE = findKernelTree();
const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-sop-'));
const skip = skipWithoutTree(TREE, 'helpers that run from source over the real 6.1 tree');

function run(scenario: string, extra: string[] = []): RunResult {
  const { race, file } = builtinRace(scenario);
  const models = sourceModelSet('6.1', [TREE!, ...extra], {
    roots: scenarioRoots(race), filesystems: [race.setup.fs?.name ?? 'nobh'], cache: CACHE,
  });
  return runScenario({ race, file, eraSpec: '6.1', models });
}

const plainRuns = new Map<string, RunResult>();
function plain(scenario: string): RunResult {
  let r = plainRuns.get(scenario);
  if (!r) plainRuns.set(scenario, (r = run(scenario)));
  return r;
}

/** The definition's opening: its signature line, then `{` on a line of its own. */
function opening(fn: string): RegExp {
  return new RegExp(`(^[^\\n;]*\\b${fn}\\([^;{\\n]*\\)\\n\\{\\n)`, 'm');
}

/** A copy of a real file with `BUG();` at the top of fn's body, and the BUG's 1-based line. */
function withBug(file: string, fn: string): { copy: string; line: number } {
  const text = fs.readFileSync(path.join(TREE!, file), 'utf8');
  const m = opening(fn).exec(text);
  assert.ok(m, `${fn}'s definition in ${file}`);
  const at = m!.index + m![0].length;
  const line = text.slice(0, at).split('\n').length;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-sop-edit-'));
  const copy = path.join(dir, path.basename(file));
  fs.writeFileSync(copy, `${text.slice(0, at)}\tBUG();\n${text.slice(at)}`);
  return { copy, line };
}

/**
 * [the seed race that reaches it, the function, the file of the tree that defines it,
 * and for a function no seed race executes: why (then the edited copy's body is shown
 * to be the one the run would follow, unnoted, with the verdict unchanged)]
 */
const ZERO_TAIL = 'only zero_user_segments() calls it here, which runs when a page straddles i_size: the seeds\' files end on a page boundary and truncate to 0';
const SHMEM_ONLY = 'its callers here run only for value entries (truncate_folio_batch_exceptionals, a primitive) or after a large folio\'s split: the seeds cache small folios';
export const MOVED: readonly [scenario: string, fn: string, file: string, notExecuted?: string][] = [
  // struct folio/page arithmetic: small folios, PG_head clear
  ['writeback-stale-wake', 'folio_test_large', 'include/linux/page-flags.h'],
  ['truncate-vs-writeback', 'folio_test_hugetlb', 'include/linux/page-flags.h'],
  ['truncate-vs-writeback', 'folio_size', 'include/linux/mm.h'],
  // since the read fault and folio_mkclean's walk run from the tree, it runs (not only in zero_user_segments())
  ['mmap-dirty-lost', 'compound_nr', 'include/linux/mm.h'],
  ['truncate-vs-writeback', 'page_size', 'include/linux/mm.h', ZERO_TAIL],
  ['writeback-stale-wake', 'folio_index', 'include/linux/pagemap.h'],
  ['truncate-vs-writeback', 'folio_pos', 'include/linux/pagemap.h'],
  ['truncate-vs-writeback', 'page_offset', 'include/linux/pagemap.h'],
  ['truncate-vs-writeback', 'folio_contains', 'include/linux/pagemap.h'],
  // the backing device: sb->s_bdi, bdi->capabilities, inode->i_wb as data (sim/backing-dev.ts)
  ['truncate-vs-writeback', 'inode_to_bdi', 'mm/backing-dev.c'],
  ['writeback-stale-wake', 'mapping_can_writeback', 'include/linux/backing-dev.h'],
  ['truncate-vs-writeback', 'inode_to_wb', 'include/linux/backing-dev.h'],
  // properties of the mapping: mapping->flags' AS_* bits, a_ops, page->mapping's low bits
  ['truncate-vs-writeback', 'shmem_mapping', 'include/linux/shmem_fs.h', SHMEM_ONLY],
  ['writeback-stale-wake', 'mapping_use_writeback_tags', 'include/linux/pagemap.h'],
  ['truncate-vs-writeback', 'mapping_release_always', 'include/linux/pagemap.h'],
  ['writeback-stale-wake', 'folio_mapping', 'mm/util.c'],
  ['truncate-vs-writeback', 'xa_is_value', 'include/linux/xarray.h'],
  ['mmap-dirty-lost', 'wbc_to_write_flags', 'include/linux/writeback.h'],
  // put_page: the devmap static key off (sim/static-keys.ts), then folio_put()
  ['mmap-dirty-lost', 'put_page', 'include/linux/mm.h'],
  ['truncate-vs-writeback', 'arch_make_folio_accessible', 'include/linux/mm.h'],
  ['truncate-vs-writeback', 'arch_make_page_accessible', 'include/linux/mm.h'],
];

describe('helpers that run from source over the real 6.1 tree', { skip }, () => {
  afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

  it('the backing device is data: no field of it reads as an unmodeled 0 in the seed races (bdi->capabilities)', () => {
    for (const scenario of ['truncate-vs-writeback', 'mmap-dirty-lost', 'writeback-stale-wake']) {
      const r = plain(scenario);
      assert.equal(r.verdict, 'holds', r.message);
      assert.deepEqual(r.assumptions.filter((a) => a.kind === 'unmodeled-field' || a.kind === 'unknown-identifier' || a.kind === 'unknown-call')
        .map((a) => a.message), [], scenario);
    }
  });

  for (const [scenario, fn, file, notExecuted] of MOVED) {
    const what = notExecuted ? `is reached from source in ${scenario}, unnoted (a sentinel BUG() in it is the body the run follows; ${notExecuted})`
      : `runs from source in ${scenario}, unnoted, and a sentinel BUG() in it fires`;
    it(`${fn} (${file}) ${what}`, () => {
      assert.ok(SOURCE_OVER_PRIMITIVE.has(fn), `${fn} is listed as running from source`);
      const r0 = plain(scenario);
      assert.equal(r0.verdict, 'holds', r0.message);
      assert.equal(r0.models.find((m) => m.function === fn)?.from, 'source', `${fn} runs from source`);
      assert.deepEqual(r0.assumptions.filter((a) => a.function === fn).map((a) => a.message), [], `no note names ${fn}`);
      const { copy, line } = withBug(file, fn);
      const r = run(scenario, [copy]);
      if (notExecuted) {
        assert.equal(r.verdict, 'holds', r.message);
        const m = r.models.find((x) => x.function === fn);
        assert.equal(m?.from, 'source');
        assert.equal(m?.abs, copy, `${fn} is the edited copy's`);
        return;
      }
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'bug-on');
      assert.match(r.message ?? '', new RegExp(`fired in ${fn}:${line}\\b`), r.message);
    });
  }
});
