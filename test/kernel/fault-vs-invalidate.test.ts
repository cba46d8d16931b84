/**
 * fault-vs-invalidate (d00806b18315, 2.6.23): a read fault against
 * invalidate_inode_pages2(). On the built-in eras: 2.6.22's do_no_page maps the page
 * ->nopage returned unlocked and invalidation removes it first (pte-maps-orphan);
 * 2.6.23 keeps it locked until the PTE is set (holds); 2.6.23 with the fault side of
 * the fix reverted (the overlay fault-unlocked) is violated again. On the real trees
 * (skipped without them): 6.1 and 6.12 hold with invalidate_inode_pages2_range and the
 * locked lookup from source, and a copy of 6.1's mm/truncate.c whose invalidation drops
 * the folio lock between its page_mapped test and the removal is violated.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario, scenarioRoots, type RunResult } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { sourceEra } from 'racelens-server/out/catalog/tree.js';
import { builtinRace, findStep, runBuiltin } from '../engine/fixtures.js';
import { findKernelTree, skipWithoutTree } from './tree.js';

describe('fault-vs-invalidate on the built-in eras', () => {
  it('2.6.22: the fault maps the page invalidation took out of the cache', () => {
    const r = runBuiltin('fault-vs-invalidate', '2.6.22');
    assert.equal(r.verdict, 'violated', r.message);
    assert.equal(r.invariant, 'pte-maps-orphan');
    assert.match(r.message ?? '', /PTE U\/P maps page P, which is not in F's page cache/);
    const trace = r.trace ?? [];
    // the story: the unlocked lookup, invalidation's removal, then the PTE
    const lookup = findStep(trace, { cpu: 'P0', op: /^mapping_get_entry\(F, 0\) = P/ });
    const removal = findStep(trace, { cpu: 'P1', op: /^__remove_from_page_cache\(P\)/ });
    const install = findStep(trace, { cpu: 'P0', op: /^pte_install\(U, P, 0\)/ });
    assert.ok(lookup >= 0 && removal >= 0 && install >= 0, JSON.stringify(trace.map((t) => t.op)));
    assert.ok(lookup < install, 'the lookup comes before the PTE');
    assert.equal(findStep(trace, { cpu: 'P1', op: /^unmap_mapping_range/ }), -1, 'invalidation saw nothing to unmap');
  });

  it('2.6.23: the page stays locked until its PTE is set, and the race holds', () => {
    const r = runBuiltin('fault-vs-invalidate', '2.6.23');
    assert.equal(r.verdict, 'holds', r.message);
    assert.ok(r.executions > 1);
  });

  it('2.6.23 with the fault unlocking the page before mapping it (the fix reverted) is violated', () => {
    const r = runBuiltin('fault-vs-invalidate', '2.6.23+fault-unlocked', undefined, { without: ['bug-on'] });
    assert.equal(r.verdict, 'violated', r.message);
    assert.equal(r.invariant, 'pte-maps-orphan');
    // with bug-on checked, 2.6.23's BUG_ON(page_mapped(page)) in the invalidation fires first
    const bug = runBuiltin('fault-vs-invalidate', '2.6.23+fault-unlocked');
    assert.equal(bug.invariant, 'bug-on');
    assert.match(bug.message ?? '', /BUG_ON\(page_mapped\(page\)\)/);
  });

  it('6.1 (built-in): holds', () => {
    assert.equal(runBuiltin('fault-vs-invalidate', '6.1').verdict, 'holds');
  });
});

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-fvi-'));

function runOnTree(tree: string, extra: string[] = []): RunResult {
  const { race, file } = builtinRace('fault-vs-invalidate');
  const era = sourceEra(undefined, [tree]);
  assert.equal(era.problem, undefined);
  const models = sourceModelSet(era.era!, [tree, ...extra], { roots: scenarioRoots(race), filesystems: ['ext3'], cache: CACHE });
  return runScenario({ race, file, eraSpec: era.era!, models });
}

const fromSource = (r: RunResult, fns: string[]): void => {
  for (const fn of fns) assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', `${fn} from source`);
};

const SOURCE = ['invalidate_inode_pages2', 'invalidate_inode_pages2_range', 'invalidate_complete_folio2', 'folio_launder', '__filemap_get_folio'];

for (const release of ['6.1', '6.12']) {
  const tree = findKernelTree(release);
  const why = skipWithoutTree(tree, `fault-vs-invalidate on the real ${release} tree`, release);
  describe(`fault-vs-invalidate on the real ${release} tree`, { skip: why }, () => {
    afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

    it('holds, with the invalidation and the locked lookup from source', () => {
      const r = runOnTree(tree!);
      assert.equal(r.verdict, 'holds', r.message);
      assert.ok(r.executions > 1, 'both CPUs ran');
      fromSource(r, SOURCE);
    });

    if (release === '6.1') {
      it('an invalidation that drops the folio lock before removing the folio is violated', () => {
        const text = fs.readFileSync(path.join(tree!, 'mm/truncate.c'), 'utf8');
        const from = '\t\t\tBUG_ON(folio_mapped(folio));\n\n\t\t\tret2 = folio_launder(mapping, folio);';
        assert.ok(text.includes(from), 'the edit applies to mm/truncate.c');
        const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-fvi-edit-')), 'truncate.c');
        fs.writeFileSync(copy, text.replace(from, '\t\t\tBUG_ON(folio_mapped(folio));\n\t\t\tfolio_unlock(folio);\n\t\t\tfolio_lock(folio);\n\n\t\t\tret2 = folio_launder(mapping, folio);'));
        const r = runOnTree(tree!, [copy]);
        assert.equal(r.verdict, 'violated', r.message);
        assert.equal(r.invariant, 'pte-maps-orphan');
        assert.equal(path.resolve(r.models.find((m) => m.function === 'invalidate_inode_pages2_range')?.file ?? ''), copy);
      });
    }
  });
}
