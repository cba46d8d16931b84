/**
 * Verdicts from source: kernel-style fixtures (written here, in the shapes of each
 * era) lifted with --src replace the built-in models, and one line of the fix in or
 * out flips the verdict.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { builtinRace, kernelFixture } from './fixtures.js';


/** The table's verdicts are about lost writes: sync-durability has cases of its own below. */
function runWithSource(scenario: string, era: string, fixture: string, checks: 'all' | 'without-sync' = 'without-sync') {
  const entry = builtinRace(scenario);
  const race = checks === 'all' ? entry.race : { ...entry.race, checks: entry.race.checks.filter((c) => c.id !== 'sync-durability') };
  const models = sourceModelSet(era, [kernelFixture(fixture)]);
  return runScenario({ race, file: entry.file, eraSpec: era, models });
}

const cases: [scenario: string, era: string, fixture: string, verdict: string, fn: string][] = [
  ['mmap-dirty-lost', '2.6.20', 'cpdfio-prefix', 'violated', 'clear_page_dirty_for_io'],
  ['mmap-dirty-lost', '2.6.19', 'cpdfio-fixed', 'holds', 'clear_page_dirty_for_io'],
  ['mmap-dirty-lost', '2.6.19', 'cpdfio-renamed', 'holds', 'clear_page_dirty_for_io'],
  ['mmap-dirty-lost', '2.6.19', 'cpdfio-goto', 'holds', 'clear_page_dirty_for_io'],
  ['mmap-dirty-lost', '2.6.19', 'cpdfio-helper', 'holds', 'clear_page_dirty_for_io'],
  ['mmap-dirty-lost', '6.1', 'folio-cpdfio-prefix', 'violated', 'folio_clear_dirty_for_io'],
  ['writeback-stale-wake', '5.11', 'wait-if', 'violated', 'wait_on_page_writeback'],
  ['writeback-stale-wake', '5.10', 'wait-while', 'holds', 'wait_on_page_writeback'],
  ['writeback-stale-wake', '5.10', 'wait-for-break', 'holds', 'wait_on_page_writeback'],
  ['dio-mmap-uptodate', '2.6.11', 'dio-noshootdown', 'violated', 'generic_file_direct_IO'],
  // the real 2.6.9/2.6.11 signature: (rw, iocb, iov, offset, nr_segs), the file through iocb->ki_filp
  ['dio-mmap-uptodate', '2.6.9', 'dio-shootdown', 'holds', 'generic_file_direct_IO'],
  ['truncate-vs-writeback', '6.1+no-writeback-wait', 'truncate-wait', 'holds', 'truncate_inode_pages_range'],
  ['truncate-vs-writeback', '6.1', 'truncate-nowait', 'violated', 'truncate_inode_pages_range'],
  ['truncate-vs-writeback', '6.1+no-writeback-wait', 'truncate-batch', 'holds', 'truncate_inode_pages_range'],
  ['truncate-vs-writeback', '6.1', 'truncate-batch-nowait', 'violated', 'truncate_inode_pages_range'],
];

describe('fixtures lifted from source replace the built-in models', () => {
  for (const [scenario, era, fixture, verdict, fn] of cases) {
    it(`${scenario} ${era} with ${fixture}: ${verdict}`, () => {
      const r = runWithSource(scenario, era, fixture);
      assert.equal(r.verdict, verdict, r.message);
      const model = r.models.find((m) => m.function === fn);
      assert.ok(model, `${fn} is among the models run`);
      assert.equal(model!.from, 'source');
      assert.match(model!.file ?? '', new RegExp(`${fixture}/`));
    });
  }

  it('the built-in model of the same era gives the opposite verdict (the flip)', () => {
    assert.equal(runWithSource('writeback-stale-wake', '5.10', 'wait-if').verdict, 'violated');
    assert.equal(runWithSource('writeback-stale-wake', '5.10', 'wait-while').verdict, 'holds');
  });

  it('a source function matched through another era\'s name replaces it', () => {
    // the folio spelling replaces clear_page_dirty_for_io of a page-era model set
    const r = runWithSource('mmap-dirty-lost', '2.6.19', 'folio-cpdfio-fixed');
    assert.equal(r.verdict, 'holds', r.message);
    assert.ok(r.models.some((m) => m.function === 'folio_clear_dirty_for_io' && m.from === 'source'));
  });

  it('sync-durability catches a folio_clear_dirty_for_io that never calls folio_mkclean; lost-write does not (the PTE is still dirty)', () => {
    const lost = runWithSource('mmap-dirty-lost', '6.1', 'folio-cpdfio-nomkclean');
    assert.equal(lost.verdict, 'holds', lost.message);
    const r = runWithSource('mmap-dirty-lost', '6.1', 'folio-cpdfio-nomkclean', 'all');
    assert.equal(r.verdict, 'violated', r.message);
    assert.equal(r.invariant, 'sync-durability');
    assert.match(r.message ?? '', /v1 was stored before the sync started, but the disk holds v0 when it returns/);
    assert.equal(r.models.find((m) => m.function === 'folio_clear_dirty_for_io')?.from, 'source');
    // the real 6.1 order (mkclean first, under the page lock) keeps the contract
    assert.equal(runWithSource('mmap-dirty-lost', '6.1', 'folio-cpdfio-fixed', 'all').verdict, 'holds');
  });
});
