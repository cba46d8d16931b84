/**
 * A later release, held out from the tuning: Debian's linux-source-6.12 (Debian
 * bookworm-security ships it: `apt-get install linux-source-6.12`, then extract
 * /usr/src/linux-source-6.12.tar.xz). The tree says its release, so 6.1's built-ins
 * fill in; the three seed races whose expect lines name 6.1 were fixed long before
 * 6.12, so each holds with 6.1's invariants, in subset and in whole-tree mode, with
 * 6.12's own writeback iterator (writeback_iter, state in the wbc), error-pointer
 * lookups and xor-and-report-waiters helpers lifted from the tree.
 *
 * Found where `npm run kernel:6.12` puts it (test/kernel/tree.ts, also under Debian's
 * folder name). Skipped, with a message, when absent.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario, scenarioRoots, type RunResult } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { sourceEra } from 'racelens-server/out/catalog/tree.js';
import { builtinRace } from '../engine/fixtures.js';
import { findKernelTree, skipWithoutTree } from './tree.js';
import { edited as editedIn } from './tree-copy.js';

const TREE = findKernelTree('6.12');
const why = skipWithoutTree(TREE, 'the real 6.12 tree', '6.12');
const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-612-'));

type Mode = 'whole' | 'subset';
const inputs = (mode: Mode): string[] => mode === 'whole' ? [TREE!] : [path.join(TREE!, 'mm'), path.join(TREE!, 'fs', 'buffer.c')];

function run(scenario: string, mode: Mode, extra: string[] = []): RunResult {
  const { race, file } = builtinRace(scenario);
  const era = sourceEra(undefined, inputs(mode));
  assert.equal(era.problem, undefined);
  assert.equal(era.era, '6.1', 'the newest era at or below 6.12');
  const models = sourceModelSet(era.era!, [...inputs(mode), ...extra], {
    roots: scenarioRoots(race), filesystems: [race.setup.fs?.name ?? 'nobh'], cache: CACHE,
  });
  // the invariants of the scenario's 6.1 expect line, which says holds
  const expect = race.expects.find((e) => e.eraSpec === '6.1');
  assert.equal(expect?.verdict, 'holds');
  return runScenario({ race, file, eraSpec: era.era!, models });
}

/** A copy of a real file with one edit, in a temporary folder (the tree is never touched). */
const edited = (file: string, from: string, to: string): string => editedIn(TREE!, file, from, to);

const fromSource = (r: RunResult, fns: string[]) => {
  for (const fn of fns) assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', `${r.scenario}: ${fn} from source`);
};

describe('the 6.12 tree (a release the tool was not tuned to)', { skip: why }, () => {
  afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

  const common = ['write_cache_pages', 'writeback_iter', 'writeback_get_folio', 'folio_prepare_writeback', 'folio_clear_dirty_for_io',
    'folio_wait_writeback', 'folio_end_writeback', '__folio_end_writeback', '__folio_start_writeback'];
  const each: [string, string[]][] = [
    ['writeback-stale-wake', common],
    ['truncate-vs-writeback', [...common, '__filemap_get_folio', 'truncate_inode_pages_range', 'truncate_inode_partial_folio', 'truncate_inode_folio']],
    ['mmap-dirty-lost', [...common, 'folio_mark_dirty', '__folio_mark_dirty', 'block_dirty_folio']],
  ];

  for (const mode of ['subset', 'whole'] as const) {
    it(`6.12's folio_prepare_writeback() without its writeback wait: the BUG_ON fires (${mode})`, () => {
      const edit = edited('mm/page-writeback.c', '\t\t\treturn false;\n\t\tfolio_wait_writeback(folio);\n\t}\n\tBUG_ON(folio_test_writeback(folio));',
        '\t\t\treturn false;\n\t}\n\tBUG_ON(folio_test_writeback(folio));');
      const r = run('writeback-stale-wake', mode, [edit]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'bug-on');
      assert.match(r.message ?? '', /fired in folio_prepare_writeback/);
    });

    for (const [scenario, fns] of each) {
      it(`${scenario} holds on 6.12 (${mode})`, () => {
        const r = run(scenario, mode);
        assert.equal(r.verdict, 'holds', r.message);
        fromSource(r, fns);
        // nothing of 6.12's writeback vocabulary is left unknown
        const unknown = r.assumptions.filter((a) => a.kind === 'unknown-call').map((a) => a.message);
        assert.ok(!unknown.some((m) => /folio_xor_flags_has_waiters|folio_batch_next|IS_ERR|ERR_PTR|folio_next_index/.test(m)), unknown.join('\n'));
        if (mode === 'whole' && scenario === 'mmap-dirty-lost') {
          // fs ext3 is ext4's code, which has no ->writepage in 6.12: the stand-in is said
          assert.equal(r.models.find((m) => m.function === 'ext4_dirty_folio')?.from, 'source');
          assert.ok(r.assumptions.some((a) => /^ext4_aops\.writepage: the table has no ->writepage/.test(a.message)));
        }
      });
    }
  }
});
