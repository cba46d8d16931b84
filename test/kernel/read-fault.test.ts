/**
 * The fault entry and the read fault from the tree (issue 16, item 1): the harness's
 * load and store fault through user_fault() into the tree's handle_mm_fault() →
 * __handle_mm_fault() (the page-table walk over one-entry levels, ops/page-tables.ts)
 * → handle_pte_fault() → do_fault() → do_read_fault() → __do_fault() →
 * ->fault = filemap_fault() → finish_fault() → do_set_pte() (6.1) / set_pte_range()
 * (6.12). fault-vs-invalidate's verdict on the whole trees rests on that code: a copy of
 * mm/memory.c whose do_read_fault() unlocks the folio before finish_fault() maps it (the
 * 2.6.22 shape) maps an orphan, and a sentinel BUG() in each function of the path fires.
 * Skipped without the trees.
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
import { editedAll as edited } from './tree-copy.js';

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-rf-'));

function runOnTree(scenario: string, tree: string, extra: string[] = [], without: string[] = []): RunResult {
  const { race: whole, file } = builtinRace(scenario);
  const race = { ...whole, checks: whole.checks.filter((c) => !without.includes(c.id)) };
  const era = sourceEra(undefined, [tree]);
  assert.equal(era.problem, undefined);
  const models = sourceModelSet(era.era!, [tree, ...extra], { roots: scenarioRoots(race), filesystems: ['ext3'], cache: CACHE });
  return runScenario({ race, file, eraSpec: era.era!, models });
}

/** The functions some interleaving executed (coverage), not merely reachable. */
function executed(r: RunResult): Set<string> {
  return new Set((r.coverage ?? []).map((c) => c.function));
}

const READ_FAULT = ['handle_mm_fault', '__handle_mm_fault', 'handle_pte_fault', 'do_fault', 'do_read_fault', '__do_fault', 'filemap_fault', 'finish_fault', 'vmf_pte_changed'];
const SET_PTE: Record<string, string> = { '6.1': 'do_set_pte', '6.12': 'set_pte_range' };

/** do_read_fault() unlocking the folio before finish_fault() maps it, per release. */
const UNLOCK_FIRST: Record<string, [string, string][]> = {
  '6.1': [['\tret |= finish_fault(vmf);\n\tunlock_page(vmf->page);\n\tif (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))\n\t\tput_page(vmf->page);',
    '\tunlock_page(vmf->page);\n\tret |= finish_fault(vmf);\n\tif (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))\n\t\tput_page(vmf->page);']],
  '6.12': [['\tret |= finish_fault(vmf);\n\tfolio = page_folio(vmf->page);\n\tfolio_unlock(folio);\n',
    '\tfolio = page_folio(vmf->page);\n\tfolio_unlock(folio);\n\tret |= finish_fault(vmf);\n']],
};

/** A BUG() as the first statement of `fn`, defined at file scope in `text` (its prototype may span lines). */
function withSentinel(text: string, fn: string): string {
  const def = new RegExp(`\\n((?:static (?:inline )?)?(?:vm_fault_t|void) ${fn}\\([^)]*\\)\\n\\{\\n)`);
  assert.match(text, def, `${fn} is defined`);
  return text.replace(def, '\n$1\tBUG();\n');
}

for (const release of ['6.1', '6.12']) {
  const tree = findKernelTree(release);
  const why = skipWithoutTree(tree, `the read fault from the real ${release} tree`, release);
  describe(`the fault entry and the read fault from the real ${release} tree`, { skip: why }, () => {
    afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

    it('fault-vs-invalidate holds, its read fault run from the tree', () => {
      const r = runOnTree('fault-vs-invalidate', tree!);
      assert.equal(r.verdict, 'holds', r.message);
      const ran = executed(r);
      for (const fn of [...READ_FAULT, SET_PTE[release]!]) {
        assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', `${fn} from source`);
        assert.ok(ran.has(fn), `${fn} executed`);
      }
      // the built-in read fault of the 6.1 era is not what ran
      assert.ok(!ran.has('do_no_page'), 'the built-in do_no_page did not run');
    });

    it('do_read_fault() unlocking the folio before finish_fault() maps an orphan (pte-maps-orphan; bug-on first)', () => {
      const copy = edited(tree!, 'mm/memory.c', UNLOCK_FIRST[release]!);
      // with bug-on checked, the tree's BUG_ON(folio_mapped(folio)) in invalidate_inode_pages2_range fires first
      const bug = runOnTree('fault-vs-invalidate', tree!, [copy]);
      assert.equal(bug.invariant, 'bug-on', bug.message);
      assert.match(bug.message ?? '', /BUG_ON\(folio_mapped\(folio\)\)/);
      const r = runOnTree('fault-vs-invalidate', tree!, [copy], ['bug-on']);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'pte-maps-orphan');
      assert.match(r.message ?? '', /PTE U\/P maps page P, which is not in F's page cache/);
      assert.equal(path.resolve(r.models.find((m) => m.function === 'do_read_fault')?.file ?? ''), copy);
      // the story: the fault unlocked the folio, invalidation locked it and found it unmapped,
      // then the tree's set_pte_at()/set_ptes() mapped it (the removal then finds the orphan)
      const trace = r.trace ?? [];
      const shown = JSON.stringify(trace.map((s) => `${s.cpu} ${s.function} ${s.op}`));
      const invLocked = trace.findIndex((s) => s.cpu === 'P1' && /^test_and_set_bit_lock\(locked, P\) = 0/.test(s.op));
      const mapped = trace.findIndex((s) => s.cpu === 'P0' && /^set_ptes?(_at)?\(/.test(s.op));
      assert.ok(invLocked >= 0 && mapped > invLocked, shown);
      // folio_mapped() from the tree reads page->_mapcount (-1: unmapped; 6.12 through folio_mapcount())
      const unmapped = (op: string, fn?: string): boolean => /^folio_mapped\(P\) = 0/.test(op)
        || (/^folio_map(ped|count)$/.test(fn ?? '') && /^atomic_read\(page\/P\._mapcount\) = -1/.test(op));
      assert.ok(trace.some((s, i) => i > invLocked && i < mapped && s.cpu === 'P1' && unmapped(s.op, s.function)), shown);
    });

    it('a sentinel BUG() in handle_mm_fault, __handle_mm_fault, handle_pte_fault, do_read_fault, finish_fault and filemap_fault fires', () => {
      const cases: [string, string][] = [
        ['mm/memory.c', 'handle_mm_fault'], ['mm/memory.c', '__handle_mm_fault'], ['mm/memory.c', 'handle_pte_fault'],
        ['mm/memory.c', 'do_read_fault'], ['mm/memory.c', 'finish_fault'], ['mm/filemap.c', 'filemap_fault'],
      ];
      for (const [file, fn] of cases) {
        const text = fs.readFileSync(path.join(tree!, file), 'utf8');
        const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-rf-bug-')), path.basename(file));
        fs.writeFileSync(copy, withSentinel(text, fn));
        const r = runOnTree('fault-vs-invalidate', tree!, [copy]);
        assert.equal(r.verdict, 'violated', `${fn}: ${r.message}`);
        assert.equal(r.invariant, 'bug-on', fn);
        assert.match(r.message ?? '', new RegExp(`BUG\\(\\) fired in ${fn}`));
      }
    });

    it('the write fault enters through the tree\'s handle_mm_fault (mmap-dirty-lost keeps its verdict)', () => {
      const r = runOnTree('mmap-dirty-lost', tree!);
      assert.equal(r.verdict, 'holds', r.message);
      const ran = executed(r);
      for (const fn of ['handle_mm_fault', '__handle_mm_fault', 'handle_pte_fault', 'do_wp_page', 'wp_page_shared', 'fault_dirty_shared_page']) {
        assert.ok(ran.has(fn), `${fn} executed`);
      }
    });
  });
}
