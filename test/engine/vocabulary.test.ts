/**
 * The simulator's vocabulary below the kernel's helpers: a flag tested with a bit
 * operation or read as a word is the same state as its helper's; a reference count
 * changed through folio_ref_inc or atomic_*(&folio->_refcount) is the same count as
 * folio_get's. And what the model cannot follow is said, with file, line and column.
 * Fixtures are ours (test/fixtures/kernel/); the real-tree cases edit temporary
 * copies of Debian's 6.1 files and are skipped when the tree is absent.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { ModelLinker } from 'racelens-server/out/catalog/linker.js';
import { staticAssumptions } from 'racelens-server/out/sim/assumptions.js';
import type { FunctionProgram } from 'racelens-server/out/sim/program.js';
import { builtinRace, editedFixture, kernelFixture, runBuiltin } from './fixtures.js';
import { findKernelTree, skipWithoutTree } from '../kernel/tree.js';


function run(scenario: string, era: string, sources: string[]) {
  const { race, file } = builtinRace(scenario);
  return runScenario({ race, file, eraSpec: era, models: sourceModelSet(era, sources) });
}

const fixture = kernelFixture;

describe('flag words: every spelling of a flag test reaches the same state', () => {
  it('test_bit(PG_writeback, &page->flags) in a while loop holds, as PageWriteback does (5.10 built-ins around it)', () => {
    const r = run('writeback-stale-wake', '5.10', [fixture('wait-while-testbit')]);
    assert.equal(r.verdict, 'holds', r.message);
    assert.deepEqual(r.assumptions, []);
    assert.equal(r.models.find((m) => m.function === 'wait_on_page_writeback')?.from, 'source');
  });

  it('the same test in an if is the 5.10 bug again: a stale wake-up fires the BUG_ON', () => {
    const r = run('writeback-stale-wake', '5.11', [fixture('wait-if-testbit')]);
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'bug-on');
  });

  it('the buffer write path in bit operations (BH_Lock by wait_on_bit_lock_io, BH_Dirty test-and-cleared, b_state read as a word) gives the helpers\' verdicts', () => {
    const r = run('mmap-dirty-lost', '6.1', [fixture('bwfp-bitops')]);
    assert.equal(r.verdict, 'holds', r.message);
    assert.deepEqual(r.assumptions, []);
    assert.equal(r.models.find((m) => m.function === '__block_write_full_page')?.from, 'source');
    // 2.6.19's clear_page_dirty_for_io still loses the write through it
    const entry = builtinRace('mmap-dirty-lost');
    const lostWriteOnly = { ...entry.race, checks: entry.race.checks.filter((c) => c.id !== 'sync-durability') };
    const old = runScenario({ race: lostWriteOnly, file: entry.file, eraSpec: '2.6.19', models: sourceModelSet('2.6.19', [fixture('bwfp-bitops')]) });
    assert.equal(old.verdict, 'violated');
    assert.equal(old.invariant, 'lost-write');
  });

  it('page->flags read whole and masked with 1UL << PG_writeback holds too', () => {
    const r = run('writeback-stale-wake', '5.10', [fixture('wait-while-flagsword')]);
    assert.equal(r.verdict, 'holds', r.message);
    // the word's read is a step of its own, showing the flags it read
    const again = runScenario({ ...builtinRace('writeback-stale-wake'), eraSpec: '5.10', models: sourceModelSet('5.10', [fixture('wait-while-flagsword')]), stopAtFirstViolation: false });
    assert.equal(again.verdict, 'holds');
  });
});

describe('a later release\'s spelling: the xor that clears PG_writeback and reports waiters in one step (6.6)', () => {
  it('folio_xor_flags_has_waiters(folio, 1 << PG_writeback) over xor_unlock_is_negative_byte holds both races', () => {
    for (const scenario of ['truncate-vs-writeback', 'writeback-stale-wake']) {
      const r = run(scenario, '6.1', [fixture('end-writeback-xor')]);
      assert.equal(r.verdict, 'holds', `${scenario}: ${r.message}`);
      assert.deepEqual(r.assumptions, []);
      assert.equal(r.models.find((m) => m.function === 'folio_xor_flags_has_waiters')?.from, 'source');
    }
  });

  it('clear_bit_unlock_is_negative_byte (6.1\'s folio_unlock primitive) in its place: the same clear-and-report, the same verdicts', () => {
    const dir = editedFixture('end-writeback-xor', 'filemap.c', 'return xor_unlock_is_negative_byte(mask, folio_flags(folio, 0));',
      'return clear_bit_unlock_is_negative_byte(PG_writeback, folio_flags(folio, 0));', true);
    for (const scenario of ['truncate-vs-writeback', 'writeback-stale-wake']) {
      const r = run(scenario, '6.1', [dir]);
      assert.equal(r.verdict, 'holds', `${scenario}: ${r.message}`);
      assert.deepEqual(r.assumptions, []);
    }
  });

  it('waking only when the xor reported no waiters leaves the waiter asleep: deadlock', () => {
    const dir = editedFixture('end-writeback-xor', 'filemap.c', 'if (__folio_end_writeback(folio))', 'if (!__folio_end_writeback(folio))', true);
    const r = run('writeback-stale-wake', '6.1', [dir]);
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'deadlock');
  });
});

describe('write_cache_pages in a later release\'s shape (6.3: folio batch, filemap_get_folios_tag moving *index)', () => {
  it('runs with no notes and no assumptions; the 5.10 wait still fires its BUG_ON, the 5.11 one holds', () => {
    const later = run('writeback-stale-wake', '6.1', [fixture('write-cache-pages-folios')]);
    assert.equal(later.verdict, 'holds', later.message);
    assert.deepEqual(later.assumptions, []);
    const m = later.models.find((x) => x.function === 'write_cache_pages');
    assert.equal(m?.from, 'source');
    assert.deepEqual(m?.notes ?? [], []);
    const old = run('writeback-stale-wake', '5.10', [fixture('write-cache-pages-folios')]);
    assert.equal(old.verdict, 'violated');
    assert.match(old.message ?? '', /BUG_ON\(folio_test_writeback\(folio\)\) fired in write_cache_pages/);
    assert.equal(run('writeback-stale-wake', '5.11', [fixture('write-cache-pages-folios')]).verdict, 'holds');
    assert.equal(run('truncate-vs-writeback', '6.1', [fixture('write-cache-pages-folios')]).verdict, 'holds');
  });
});

describe('reference counts as atomics', () => {
  it('folio_ref_inc for folio_get, and atomic_dec_and_test(&folio->_refcount) + __folio_put for folio_put, hold', () => {
    const r = run('truncate-vs-writeback', '6.1', [fixture('end-writeback-refinc')]);
    assert.equal(r.verdict, 'holds', r.message);
    assert.deepEqual(r.assumptions, []);
    assert.equal(r.models.find((m) => m.function === 'folio_end_writeback')?.from, 'source');
  });

  it('without a reference of its own, folio_end_writeback touches a folio truncation freed (the 5.9 bug)', () => {
    const r = run('truncate-vs-writeback', '6.1', [fixture('end-writeback-noref')]);
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'freed-under-writeback');
  });
});

describe('assumptions: what the model cannot follow is said, with file, line and column', () => {
  it('unknown calls whose result is used or that get modeled objects, and unknown identifiers', () => {
    const r = run('mmap-dirty-lost', '6.1', [fixture('unknown-names')]);
    const file = path.join('unknown-names', 'page-writeback.c');
    const at = (a: { at?: { file: string; line: number; column: number } }) => `${a.at?.line}:${a.at?.column}`;
    const mine = r.assumptions.filter((a) => a.at?.file.endsWith(file));
    assert.deepEqual(mine.map((a) => [a.kind, at(a), a.function]), [
      ['unknown-call', '10:3', 'folio_clear_dirty_for_io'],
      ['unknown-identifier', '11:59', 'folio_clear_dirty_for_io'],
      ['unknown-call', '12:8', 'folio_clear_dirty_for_io'],
    ]);
    assert.match(mine[0].message, /unknown call folio_note_cleaning\(\) on modeled objects/);
    assert.match(mine[1].message, /unknown identifier 'AS_MYSTERY'/);
    assert.match(mine[2].message, /unknown call fancy_accounting\(\): no model, its result is taken as 0/);
    assert.equal(r.verdict, 'holds', r.message);
  });

  it('explain lists what a body rests on, from its code alone', () => {
    const set = sourceModelSet('6.1', [fixture('unknown-names')]);
    const linker = new ModelLinker(set);
    const r = linker.resolve('folio_clear_dirty_for_io');
    assert.equal(r.kind, 'func');
    const list = staticAssumptions((r as { fn: FunctionProgram }).fn, (n) => linker.resolve(n).kind);
    assert.deepEqual(list.map((a) => `${a.kind} ${a.at?.line}:${a.at?.column}`), ['unknown-call 10:3', 'unknown-identifier 11:59', 'unknown-call 12:8']);
  });

  it('a trace row shows an unknown call as such', () => {
    // under 2.6.20's fault path the run breaks the fsync contract, so it has a trace
    const r = run('mmap-dirty-lost', '2.6.20', [fixture('unknown-names')]);
    assert.equal(r.verdict, 'violated', r.message);
    const rows = (r.trace ?? []).filter((t) => t.remarks.some((m) => /unknown call (folio_note_cleaning\(\) taken as a no-op|fancy_accounting\(\) taken as 0)/.test(m)));
    assert.ok(rows.length > 0, 'some step remarks the unknown call after it');
    assert.ok(r.assumptions.some((a) => a.kind === 'unknown-call'));
  });

  it('the built-in models of every seed race rest on no assumption', () => {
    for (const [scenario, era] of [['mmap-dirty-lost', '6.1'], ['writeback-stale-wake', '5.10'], ['truncate-vs-writeback', '5.9'], ['dio-mmap-uptodate', '2.6.11']]) {
      assert.deepEqual(runBuiltin(scenario, era).assumptions, [], `${scenario} ${era}`);
    }
  });
});

describe('plain fields: any other field of a modeled object is memory, and a lock in it is a lock', () => {
  it('a renamed lock field (mapping->i_private_lock, as 6.7 names it) needs no new code: holds, and without its unlock the next taker waits forever', () => {
    const r = run('mmap-dirty-lost', '6.1', [fixture('dirty-folio-moved-lock')]);
    assert.equal(r.verdict, 'holds', r.message);
    assert.deepEqual(r.assumptions, []);
    const dir = editedFixture('dirty-folio-moved-lock', 'buffer.c', '\tspin_unlock(&mapping->i_private_lock);\n', '', true);
    const stuck = run('mmap-dirty-lost', '6.1', [dir]);
    assert.equal(stuck.verdict, 'violated');
    assert.equal(stuck.invariant, 'deadlock');
  });

  it('a field the code writes is memory: what one step stores the next read sees (and a wrong expectation fires)', () => {
    const r = run('writeback-stale-wake', '5.11', [fixture('written-plain-field')]);
    assert.equal(r.verdict, 'holds', r.message);
    assert.deepEqual(r.assumptions, []);
    const dir = editedFixture('written-plain-field', 'filemap.c', 'BUG_ON(!(inode->i_state & 0x400))', 'BUG_ON(!(inode->i_state & 0x800))', true);
    const fired = run('writeback-stale-wake', '5.11', [dir]);
    assert.equal(fired.verdict, 'violated');
    assert.match(fired.message ?? '', /BUG_ON\(!\(inode->i_state & 0x800\)\) fired in wait_on_page_writeback/);
  });

  it('a field nothing writes reads its initial value, and the run says so', () => {
    const r = run('writeback-stale-wake', '5.11', [fixture('plain-field-read')]);
    assert.equal(r.verdict, 'holds', r.message);
    assert.deepEqual(r.assumptions.map((a) => [a.kind, `${a.at?.line}:${a.at?.column}`, a.message]), [
      ['unmodeled-field', '6:13', "field 'i_blkbits' of inode F is not modeled and nothing the run reaches writes it: read as 0"],
    ]);
  });

  it('i_size is the inode\'s: inode->i_size and i_size_read() agree, and the page lies inside the file', () => {
    const r = run('writeback-stale-wake', '5.11', [fixture('isize-check')]);
    assert.equal(r.verdict, 'holds', r.message);
    assert.deepEqual(r.assumptions, []);
    // a sentinel that the page lies beyond i_size does fire
    const dir = editedFixture('isize-check', 'filemap.c', 'page->index >=', 'page->index <', true);
    const fired = run('writeback-stale-wake', '5.11', [dir]);
    assert.equal(fired.verdict, 'violated');
    assert.equal(fired.invariant, 'bug-on');
  });
});

describe('models[] lists the functions I/O completions run', () => {
  it('truncate-vs-writeback: folio_end_writeback in 6.1, end_page_writeback in 5.9', () => {
    assert.ok(runBuiltin('truncate-vs-writeback', '6.1').models.some((m) => m.function === 'folio_end_writeback'));
    assert.ok(runBuiltin('truncate-vs-writeback', '5.9').models.some((m) => m.function === 'end_page_writeback'));
  });
});

const FOUND = findKernelTree();
const TREE = FOUND ?? '';

describe('re-spellings and sentinels on the real 6.1 tree', { skip: skipWithoutTree(FOUND, 're-spellings and sentinels on the real 6.1 tree') }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-vocab-'));
  process.env.RACELENS_LIFT_CACHE ??= path.join(tmp, 'lift-cache');

  /** A temporary copy of a real file with one edit (the edit must apply). */
  function edited(rel: string, from: RegExp, to: string, name: string): string {
    const text = fs.readFileSync(path.join(TREE, rel), 'utf8');
    assert.match(text, from, `${rel} has the text to edit`);
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir, { recursive: true });
    const out = path.join(dir, path.basename(rel));
    fs.writeFileSync(out, text.replace(from, to));
    return out;
  }

  /** The subset a run reads, with `file` standing in for its original. */
  function withCopy(copy: string, original: string): string[] {
    const mm = path.join(TREE, 'mm');
    const others = fs.readdirSync(mm).filter((f) => f.endsWith('.c') && f !== path.basename(original)).map((f) => path.join(mm, f));
    return [...others, path.join(TREE, 'fs', 'buffer.c'), copy];
  }

  it('test_bit(PG_writeback, &folio->flags) for folio_test_writeback(folio) in folio_wait_writeback holds', () => {
    const copy = edited('mm/page-writeback.c', /while \(folio_test_writeback\(folio\)\) \{\n\t\ttrace_folio_wait_writeback/, 'while (test_bit(PG_writeback, &folio->flags)) {\n\t\ttrace_folio_wait_writeback', 'testbit');
    const r = run('writeback-stale-wake', '6.1', withCopy(copy, 'mm/page-writeback.c'));
    assert.equal(r.verdict, 'holds', r.message);
    assert.equal(r.models.find((m) => m.function === 'folio_wait_writeback')?.file?.endsWith('testbit/page-writeback.c'), true);
  });

  it('folio_ref_inc for folio_get in folio_end_writeback holds', () => {
    const copy = edited('mm/filemap.c', /\tfolio_get\(folio\);\n\tif \(!__folio_end_writeback\(folio\)\)/, '\tfolio_ref_inc(folio);\n\tif (!__folio_end_writeback(folio))', 'refinc');
    const r = run('truncate-vs-writeback', '6.1', withCopy(copy, 'mm/filemap.c'));
    assert.equal(r.verdict, 'holds', r.message);
    assert.equal(r.models.find((m) => m.function === 'folio_end_writeback')?.from, 'source');
  });

  it('a sentinel BUG() in __block_write_full_page fires: writepage really runs past its i_size check', () => {
    const copy = path.join(tmp, 'sentinel', 'buffer.c');
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    const text = fs.readFileSync(path.join(TREE, 'fs', 'buffer.c'), 'utf8');
    const from = /(\tBUG_ON\(PageWriteback\(page\)\);\n\tset_page_writeback\(page\);\n)/;
    assert.match(text, from);
    fs.writeFileSync(copy, text.replace(from, '\tBUG();\n$1'));
    const r = run('mmap-dirty-lost', '6.1', [path.join(TREE, 'mm'), copy]);
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'bug-on');
    assert.match(r.message ?? '', /BUG\(\) fired in __block_write_full_page/);
  });
});
