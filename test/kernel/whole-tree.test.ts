/**
 * The real 6.1 tree given whole (`--src <tree>`) against the curated subset
 * (`--src <tree>/mm --src <tree>/fs/buffer.c`): the same verdicts, functions from
 * source, and edits of the kinds a patch under review makes, judged in both modes. An
 * edit is a copy of one real file in a temporary folder, given as a later --src input,
 * which overrides the tree's definitions (the tree itself is never touched).
 * Skipped, with a message, when the tree is absent (npm run kernel).
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario, scenarioRoots, type RunResult, builtinScenarios } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { builtinRace } from '../engine/fixtures.js';
import { Workspace } from 'racelens-server/out/workspace/workspace.js';
import { findKernelTree, skipWithoutTree } from './tree.js';
import { editedAll } from './tree-copy.js';

const TREE = findKernelTree();
const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-'));
const skip = skipWithoutTree(TREE, 'the 6.1 tree given whole');

type Mode = 'whole' | 'subset';
const inputs = (mode: Mode): string[] => mode === 'whole' ? [TREE!] : [path.join(TREE!, 'mm'), path.join(TREE!, 'fs', 'buffer.c')];

/**
 * One workspace per mode for the whole file, as the language server's run process keeps
 * one: the tree's folders and file states are read once, not once per test (a fresh
 * listing of a whole tree is some 50 MB of garbage, and V8 collects it late).
 */
const WORKSPACES: Record<Mode, Workspace> = { whole: new Workspace(), subset: new Workspace() };

function run(scenario: string, mode: Mode, extra: string[] = [], eraSpec = '6.1', fsName?: string): RunResult {
  const { race, file } = builtinRace(scenario);
  const models = sourceModelSet(eraSpec, [...inputs(mode), ...extra], {
    roots: scenarioRoots(race), filesystems: [fsName ?? race.setup.fs?.name ?? 'nobh'], cache: CACHE, workspace: WORKSPACES[mode],
  });
  return runScenario({ race, file, eraSpec, ...(fsName ? { fs: fsName } : {}), models });
}

/** A copy of a real file with edits, in a temporary folder. */
const edited = (file: string, ...edits: [RegExp, string][]): string => editedAll(TREE!, file, edits);

describe('the 6.1 tree given whole', { skip }, () => {
  // parse trees free their native memory from the event loop (see lift-all.test.ts)
  afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

  const holds: [string, string[]][] = [
    ['writeback-stale-wake', ['folio_clear_dirty_for_io', 'write_cache_pages', 'folio_wait_writeback', 'folio_end_writeback']],
    // source wins over the built-ins of the same name: __folio_mark_dirty, end_buffer_async_write, truncate_cleanup_folio
    ['mmap-dirty-lost', ['folio_clear_dirty_for_io', 'folio_mark_dirty', '__folio_mark_dirty', 'block_dirty_folio', 'write_cache_pages',
      '__block_write_full_page', 'end_buffer_async_write', 'folio_wait_writeback', 'folio_end_writeback']],
    ['truncate-vs-writeback', ['folio_clear_dirty_for_io', 'write_cache_pages', 'folio_wait_writeback', 'folio_end_writeback',
      'truncate_inode_pages_range', 'truncate_inode_partial_folio', 'truncate_cleanup_folio', 'truncate_inode_folio']],
  ];
  for (const [scenario, fromSource] of holds) {
    for (const mode of ['subset', 'whole'] as Mode[]) {
      it(`${scenario} holds in ${mode} mode, with ${fromSource.join(', ')} from source`, () => {
        const r = run(scenario, mode);
        assert.equal(r.verdict, 'holds', r.message);
        for (const fn of fromSource) {
          const m = r.models.find((x) => x.function === fn);
          assert.ok(m, `${fn} ran`);
          assert.equal(m!.from, 'source', `${fn} comes from source`);
        }
      });
    }
  }

  // every expect line of the built-in scenarios that names 6.1, in both modes (an
  // overlay's built-in gives way to the source, which is the kernel under review: lines
  // with overlays are about the built-in models)
  // races whose code the subset (mm/ and fs/buffer.c) does not hold: whole mode only, and why
  const WHOLE_ONLY: Record<string, string> = {
    'pinned-page-buffers': 'its pin write-faults a page reclaim may have unmapped: the fault needs ext4\'s ->fault (fs/ext4/file.c) and include/\'s vm_fault_to_errno()',
  };
  for (const { name } of builtinScenarios()) {
    for (const e of builtinRace(name).race.expects.filter((x) => x.eraSpec === '6.1')) {
      const modes: Mode[] = WHOLE_ONLY[name] ? ['whole'] : ['subset', 'whole'];
      it(`${name} under ${e.eraSpec}${e.fs ? ` fs ${e.fs}` : ''}: ${e.verdict}${e.invariants.length ? ` ${e.invariants.join(' ')}` : ''} in ${WHOLE_ONLY[name] ? `whole mode (${WHOLE_ONLY[name]})` : 'both modes, the same verdict'}`, () => {
        const verdicts = modes.map((mode) => {
          const r = run(name, mode, [], e.eraSpec, e.fs);
          assert.equal(r.verdict, e.verdict, `${mode}: ${r.message ?? ''}`);
          if (e.verdict === 'violated') assert.ok(e.invariants.includes(r.invariant ?? ''), `${mode}: ${r.invariant}`);
          return `${r.verdict} ${r.invariant ?? ''}`;
        });
        assert.equal(verdicts[0], verdicts.at(-1));
      });
    }
  }

  it('the real write_cache_pages runs from source in whole-tree mode', () => {
    for (const scenario of ['writeback-stale-wake', 'mmap-dirty-lost', 'truncate-vs-writeback']) {
      const m = run(scenario, 'whole').models.find((x) => x.function === 'write_cache_pages');
      assert.equal(m?.from, 'source', scenario);
      assert.match(m?.file ?? '', /mm\/page-writeback\.c$/);
    }
  });

  it('mmap-dirty-lost on the whole tree: ext3 means ext4 in 6.1, its real ext4_dirty_folio is lifted and reaches block_dirty_folio', () => {
    const r = run('mmap-dirty-lost', 'whole');
    const dirty = r.models.find((x) => x.function === 'ext4_dirty_folio');
    assert.equal(dirty?.from, 'source');
    assert.match(dirty?.file ?? '', /fs\/ext4\/inode\.c$/);
    assert.equal(r.models.find((x) => x.function === 'block_dirty_folio')?.from, 'source');
    assert.equal(r.verdict, 'holds', r.message);
  });

  it('a whole-tree run lists no function from tools/, other architectures or files the config does not build', () => {
    const r = run('writeback-stale-wake', 'whole');
    for (const m of r.models.filter((x) => x.from === 'source')) {
      assert.doesNotMatch(m.file ?? '', /linux[^/]*\/(tools|scripts|Documentation)\/|\/arch\/(?!x86\/)/, `${m.function} from ${m.file}`);
      assert.doesNotMatch(m.file ?? '', /mm\/(slob|slab|nommu)\.c$/, `${m.function} from ${m.file}`);
    }
  });

  it('built-ins kept over source are said, with the reason and the source they stand for', () => {
    const r = run('writeback-stale-wake', 'whole');
    const kept = r.assumptions.filter((a) => a.kind === 'builtin-over-source');
    const wait = kept.find((a) => a.function === 'folio_wait_bit');
    assert.ok(wait, 'folio_wait_bit is a built-in over source');
    assert.match(wait!.message, /wait-queue internals/);
    assert.match(wait!.at?.file ?? '', /mm\/filemap\.c$/);
  });

  // Edits, each in both modes, each with the verdict kernel semantics give.
  const waitFn = /(void folio_wait_writeback\(struct folio \*folio\)\n\{\n)\twhile \(folio_test_writeback\(folio\)\) \{\n\t\ttrace_folio_wait_writeback\(folio, folio_mapping\(folio\)\);\n\t\tfolio_wait_bit\(folio, PG_writeback\);\n\t\}\n/;
  const edits: { what: string; scenario: string; file: string; edits: [RegExp, string][]; verdict: 'holds' | 'violated'; invariant?: string }[] = [
    {
      what: 'folio_wait_writeback waiting once (while → if): the stale wake-up fires the BUG_ON again',
      scenario: 'writeback-stale-wake', file: 'mm/page-writeback.c', verdict: 'violated', invariant: 'bug-on',
      edits: [[waitFn, '$1\tif (folio_test_writeback(folio)) {\n\t\ttrace_folio_wait_writeback(folio, folio_mapping(folio));\n\t\tfolio_wait_bit(folio, PG_writeback);\n\t}\n']],
    },
    {
      what: 'dropping the wait of folio_wait_writeback altogether: BUG_ON',
      scenario: 'writeback-stale-wake', file: 'mm/page-writeback.c', verdict: 'violated', invariant: 'bug-on',
      edits: [[waitFn, '$1\ttrace_folio_wait_writeback(folio, folio_mapping(folio));\n']],
    },
    {
      what: 'the wait loop in goto form: holds',
      scenario: 'writeback-stale-wake', file: 'mm/page-writeback.c', verdict: 'holds',
      edits: [[waitFn, '$1again:\n\tif (!folio_test_writeback(folio))\n\t\treturn;\n\ttrace_folio_wait_writeback(folio, folio_mapping(folio));\n\tfolio_wait_bit(folio, PG_writeback);\n\tgoto again;\n']],
    },
    {
      what: 'the wait extracted into a static helper of the same file: holds',
      scenario: 'writeback-stale-wake', file: 'mm/page-writeback.c', verdict: 'holds',
      edits: [[waitFn, 'static void wait_while_writeback(struct folio *folio)\n{\n\twhile (folio_test_writeback(folio))\n\t\tfolio_wait_bit(folio, PG_writeback);\n}\n\n$1\twait_while_writeback(folio);\n']],
    },
    {
      what: 'the flag test re-spelled test_bit(PG_writeback, &folio->flags): holds',
      scenario: 'writeback-stale-wake', file: 'mm/page-writeback.c', verdict: 'holds',
      edits: [[waitFn, '$1\twhile (test_bit(PG_writeback, &folio->flags)) {\n\t\ttrace_folio_wait_writeback(folio, folio_mapping(folio));\n\t\tfolio_wait_bit(folio, PG_writeback);\n\t}\n']],
    },
    {
      what: 'an unrelated edit next door (folio_wait_writeback_killable): holds',
      scenario: 'writeback-stale-wake', file: 'mm/page-writeback.c', verdict: 'holds',
      edits: [[/(int folio_wait_writeback_killable\(struct folio \*folio\)\n\{\n)/, '$1\tint unrelated = 0;\n\n\tunrelated++;\n']],
    },
    {
      what: 'ignoring what folio_mkclean found (the 2.6.19 bug): the write is lost',
      scenario: 'mmap-dirty-lost', file: 'mm/page-writeback.c', verdict: 'violated',
      edits: [[/\t\tif \(folio_mkclean\(folio\)\)\n\t\t\tfolio_mark_dirty\(folio\);\n/, '\t\tfolio_mkclean(folio);\n']],
    },
    {
      what: 'a sentinel BUG() in the real __folio_mark_dirty fires',
      scenario: 'mmap-dirty-lost', file: 'mm/page-writeback.c', verdict: 'violated', invariant: 'bug-on',
      edits: [[/(void __folio_mark_dirty\(struct folio \*folio, struct address_space \*mapping,\n\t\t\t     int warn\)\n\{\n)/, '$1\tBUG();\n']],
    },
    {
      what: 'block_dirty_folio without its buffer loop: writepage finds no dirty buffer, the write is lost',
      scenario: 'mmap-dirty-lost', file: 'fs/buffer.c', verdict: 'violated',
      edits: [[/\t\tdo \{\n\t\t\tset_buffer_dirty\(bh\);\n\t\t\tbh = bh->b_this_page;\n\t\t\} while \(bh != head\);\n/, '\t\t(void)bh;\n']],
    },
    {
      what: 'a sentinel BUG() in the real truncate_cleanup_folio fires',
      scenario: 'truncate-vs-writeback', file: 'mm/truncate.c', verdict: 'violated', invariant: 'bug-on',
      edits: [[/(static void truncate_cleanup_folio\(struct folio \*folio\)\n\{\n)/, '$1\tBUG();\n']],
    },
    {
      what: 'truncate_inode_partial_folio without its writeback wait: the folio is freed under writeback',
      scenario: 'truncate-vs-writeback', file: 'mm/truncate.c', verdict: 'violated', invariant: 'freed-under-writeback',
      edits: [[/(\tfolio_wait_writeback\(folio\);\n)(\tif \(length == folio_size\(folio\)\) \{)/, '$2']],
    },
    {
      what: 'folio_end_writeback without its reference (5.10-rc6\'s fix undone): the wake-up touches a freed folio',
      scenario: 'truncate-vs-writeback', file: 'mm/filemap.c', verdict: 'violated', invariant: 'freed-under-writeback',
      edits: [[/\tfolio_get\(folio\);\n(\tif \(!__folio_end_writeback\(folio\)\)\n\t\tBUG\(\);\n\n\tsmp_mb__after_atomic\(\);\n\tfolio_wake\(folio, PG_writeback\);\n\tacct_reclaim_writeback\(folio\);\n)\tfolio_put\(folio\);\n/, '$1']],
    },
    {
      what: 'folio_end_writeback dropping its reference before the wake-up (reordered): the same use after free',
      scenario: 'truncate-vs-writeback', file: 'mm/filemap.c', verdict: 'violated', invariant: 'freed-under-writeback',
      edits: [[/(\tfolio_get\(folio\);\n\tif \(!__folio_end_writeback\(folio\)\)\n\t\tBUG\(\);\n)(\n\tsmp_mb__after_atomic\(\);\n\tfolio_wake\(folio, PG_writeback\);\n\tacct_reclaim_writeback\(folio\);\n)\tfolio_put\(folio\);\n/, '$1\tfolio_put(folio);\n$2']],
    },
    {
      what: '__block_write_full_page that never submits its buffers: writeback never ends, sync waits forever',
      scenario: 'mmap-dirty-lost', file: 'fs/buffer.c', verdict: 'violated', invariant: 'deadlock',
      edits: [[/(\t\tif \(buffer_async_write\(bh\)\) \{\n)\t\t\tsubmit_bh_wbc\(REQ_OP_WRITE \| write_flags, bh, wbc\);\n(\t\t\tnr_underway\+\+;\n)/, '$1$2']],
    },
    {
      what: 'the reference folio_end_writeback holds, re-spelled folio_ref_inc: holds',
      scenario: 'truncate-vs-writeback', file: 'mm/filemap.c', verdict: 'holds',
      edits: [[/(void folio_end_writeback\(struct folio \*folio\)\n\{[\s\S]*?)\tfolio_get\(folio\);\n/, '$1\tfolio_ref_inc(folio);\n']],
    },
  ];
  for (const e of edits) {
    for (const mode of ['subset', 'whole'] as Mode[]) {
      it(`${mode}: ${e.what}`, () => {
        const copy = edited(e.file, ...e.edits);
        const r = run(e.scenario, mode, [copy]);
        assert.equal(r.verdict, e.verdict, `${r.verdict}: ${r.message ?? ''}`);
        if (e.invariant) assert.equal(r.invariant, e.invariant, r.message);
        else if (e.verdict === 'violated') assert.match(r.invariant ?? '', /lost-write|sync-durability/);
      });
    }
  }
});
