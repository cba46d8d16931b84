/**
 * The seed races against the real 6.1 source (Debian's linux-source-6.1, extracted by
 * `npm run kernel`): with --era 6.1 --src mm --src fs/buffer.c they hold, and the
 * writeback functions run as lifted from that source. Skipped when the tree is absent.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runScenario, parseScenarioText } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { compileSource } from 'racelens-server/out/lift/index.js';
import { builtinRace } from '../engine/fixtures.js';
import { findKernelTree, skipWithoutTree } from './tree.js';
import { edited as editedIn } from './tree-copy.js';

const FOUND = findKernelTree();

/** A model's file (shown relative to the working folder) lies in the tree, at a path matching `rel`. */
function fromTree(file: string | undefined, rel: RegExp): boolean {
  if (!file || !FOUND) return false;
  const inTree = path.relative(FOUND, path.resolve(file));
  return !inTree.startsWith('..') && rel.test(inTree.split(path.sep).join('/'));
}
const TREE = FOUND ?? '';
const present = FOUND !== undefined;

describe('seed races on the real 6.1 tree', { skip: skipWithoutTree(FOUND) }, () => {
  const models = present ? sourceModelSet('6.1', [path.join(TREE, 'mm'), path.join(TREE, 'fs', 'buffer.c')]) : undefined;
  const expectations: [scenario: string, fromSource: string[]][] = [
    ['mmap-dirty-lost', ['folio_clear_dirty_for_io', 'block_dirty_folio', 'folio_mark_dirty', 'folio_wait_writeback', 'folio_end_writeback']],
    ['writeback-stale-wake', ['folio_clear_dirty_for_io', 'folio_wait_writeback', 'folio_end_writeback']],
    ['truncate-vs-writeback', ['folio_clear_dirty_for_io', 'folio_wait_writeback', 'truncate_inode_pages_range', 'truncate_inode_folio', 'truncate_inode_partial_folio']],
  ];
  for (const [scenario, fromSource] of expectations) {
    it(`${scenario} holds, with ${fromSource.join(', ')} lifted from source`, () => {
      const { race, file } = builtinRace(scenario);
      const r = runScenario({ race, file, eraSpec: '6.1', models: models! });
      assert.equal(r.verdict, 'holds', r.message);
      for (const fn of fromSource) {
        const m = r.models.find((x) => x.function === fn);
        assert.ok(m, `${fn} is used`);
        assert.equal(m!.from, 'source', `${fn} comes from source`);
        assert.ok(fromTree(m!.file, /^(mm|fs)\//), m!.file);
      }
    });
  }

  it('truncate_inode_pages_range runs from source with no notes, and the folio really leaves the page cache', () => {
    const { race, file } = builtinRace('truncate-vs-writeback');
    const r = runScenario({ race, file, eraSpec: '6.1', models: models! });
    assert.equal(r.verdict, 'holds', r.message);
    const m = r.models.find((x) => x.function === 'truncate_inode_pages_range')!;
    assert.equal(m.from, 'source');
    assert.ok(fromTree(m.file, /^mm\/truncate\.c$/), m.file);
    assert.equal(m.line, 354);
    assert.deepEqual(m.notes ?? [], []);
    const folio = r.models.find((x) => x.function === 'truncate_inode_folio')!;
    assert.equal(folio.from, 'source');
    assert.deepEqual(folio.notes ?? [], [], 'filemap_remove_folio() is a model, not an unknown call');
    const removal = r.models.find((x) => x.function === 'filemap_remove_folio');
    assert.equal(removal?.from, 'builtin');
    // kept over the source, and said so
    assert.ok(r.assumptions.some((a) => a.kind === 'builtin-over-source' && a.function === 'filemap_remove_folio'));
  });

  it('the real write_cache_pages runs from source: the harness calls it as do_writepages does (mapping, wbc, __writepage, mapping)', () => {
    const { race, file } = builtinRace('writeback-stale-wake');
    const r = runScenario({ race, file, eraSpec: '6.1', models: models! });
    assert.equal(r.verdict, 'holds', r.message);
    const m = r.models.find((x) => x.function === 'write_cache_pages')!;
    assert.equal(m.from, 'source');
    assert.ok(fromTree(m.file, /^mm\/page-writeback\.c$/), m.file);
    assert.deepEqual(m.notes ?? [], []);
    // besides built-ins kept over source (said with reasons), no assumption: bdi->capabilities is data (sim/backing-dev.ts)
    assert.deepEqual([...new Set(r.assumptions.filter((a) => a.kind !== 'builtin-over-source').map((a) => a.message))], []);
  });

  it('the real write_cache_pages without its writeback wait fires its own BUG_ON', () => {
    const flipped = edited('mm/page-writeback.c', /				if \(wbc->sync_mode != WB_SYNC_NONE\)\n					wait_on_page_writeback\(page\);\n				else\n					goto continue_unlock;\n/, '\t\t\t\tif (wbc->sync_mode == WB_SYNC_NONE)\n\t\t\t\t\tgoto continue_unlock;\n');
    const set = sourceModelSet('6.1', [path.join(TREE, 'mm'), path.join(TREE, 'fs', 'buffer.c'), flipped]);
    const { race, file } = builtinRace('writeback-stale-wake');
    const r = runScenario({ race, file, eraSpec: '6.1', models: set });
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'bug-on');
    assert.match(r.message ?? '', /BUG_ON\(PageWriteback\(page\)\) fired in write_cache_pages/);
  });

  /** A copy of a real source file with one edit, in a temporary folder (never in the repository). */
  const edited = (file: string, from: RegExp, to: string): string => editedIn(TREE, file, from, to);

  it('turning the while of folio_wait_writeback back into an if fires the BUG_ON again', () => {
    const flipped = edited('mm/page-writeback.c',
      /(void folio_wait_writeback\(struct folio \*folio\)\n\{\n\t)while (\(folio_test_writeback\(folio\)\))/, '$1if $2');
    const set = sourceModelSet('6.1', [path.join(TREE, 'mm'), path.join(TREE, 'fs', 'buffer.c'), flipped]);
    const { race, file } = builtinRace('writeback-stale-wake');
    const r = runScenario({ race, file, eraSpec: '6.1', models: set });
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'bug-on');
    assert.match(r.message ?? '', /BUG_ON\(PageWriteback\(page\)\) fired in write_cache_pages/);
  });

  it('ignoring what folio_mkclean found (the 2.6.19 bug) loses the write again', () => {
    const flipped = edited('mm/page-writeback.c', /\t\tif \(folio_mkclean\(folio\)\)\n\t\t\tfolio_mark_dirty\(folio\);\n/, '\t\tfolio_mkclean(folio);\n');
    const set = sourceModelSet('6.1', [path.join(TREE, 'mm'), path.join(TREE, 'fs', 'buffer.c'), flipped]);
    const { race, file } = builtinRace('mmap-dirty-lost');
    // the fsync contract breaks too; lost-write alone is the 2.6.19 story
    const lostWriteOnly = { ...race, checks: race.checks.filter((c) => c.id !== 'sync-durability') };
    const r = runScenario({ race: lostWriteOnly, file, eraSpec: '6.1', models: set });
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'lost-write');
    const all = runScenario({ race, file, eraSpec: '6.1', models: set });
    assert.equal(all.verdict, 'violated');
    assert.ok(['lost-write', 'sync-durability'].includes(all.invariant ?? ''), all.invariant);
  });

  const partialWait = /(\tfolio_wait_writeback\(folio\);\n)(\tif \(length == folio_size\(folio\)\) \{)/;
  const secondPassWait = /(\t\t\tVM_BUG_ON_FOLIO\(!folio_contains\(folio, index\), folio\);\n)\t\t\tfolio_wait_writeback\(folio\);\n/;

  it('without the writeback wait of truncate_inode_partial_folio the folio is freed under writeback', () => {
    // lstart = 0: the folio at index 0 goes through the partial-folio path, whose wait is the one that counts
    const flipped = edited('mm/truncate.c', partialWait, '$2');
    const set = sourceModelSet('6.1', [path.join(TREE, 'mm'), path.join(TREE, 'fs', 'buffer.c'), flipped]);
    const { race, file } = builtinRace('truncate-vs-writeback');
    const r = runScenario({ race, file, eraSpec: '6.1', models: set });
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'freed-under-writeback');
  });

  it('without the second pass\'s writeback wait: the one-page file still holds, a second page is freed under writeback', () => {
    const flipped = edited('mm/truncate.c', secondPassWait, '$1');
    const set = sourceModelSet('6.1', [path.join(TREE, 'mm'), path.join(TREE, 'fs', 'buffer.c'), flipped]);
    const one = builtinRace('truncate-vs-writeback');
    assert.equal(runScenario({ race: one.race, file: one.file, eraSpec: '6.1', models: set }).verdict, 'holds');
    const twoFile = path.resolve(__dirname, '..', '..', 'fixtures', 'races', 'truncate-two-pages.race');
    const two = parseScenarioText(fs.readFileSync(twoFile, 'utf8'), twoFile).race!;
    assert.equal(runScenario({ race: two, file: twoFile, eraSpec: '6.1', models: models! }).verdict, 'holds');
    const r = runScenario({ race: two, file: twoFile, eraSpec: '6.1', models: set });
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'freed-under-writeback');
    assert.match(r.message ?? '', /page Q/);
  });

  it('lifting folio_clear_dirty_for_io and its callees takes milliseconds', () => {
    const text = fs.readFileSync(path.join(TREE, 'mm', 'page-writeback.c'), 'utf8');
    const only = new Set(['folio_clear_dirty_for_io', 'folio_mark_dirty', '__folio_mark_dirty', 'filemap_dirty_folio']);
    compileSource(text, 'mm/page-writeback.c', { only });
    const t = process.hrtime.bigint();
    const unit = compileSource(text, 'mm/page-writeback.c', { only });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    console.log(`lifted ${[...unit.functions.keys()].join(', ')} in ${ms.toFixed(1)} ms`);
    assert.equal(unit.functions.size, 4);
  });
});
