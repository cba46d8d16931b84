/**
 * Idioms of releases after 6.1, taught to the simulator and the lifter once (not per
 * release): a writeback_control that carries an iterator's state between calls
 * (6.8+ writeback_iter: wbc->fbatch, wbc->index, wbc->saved_err), batches walked
 * with folio_batch_next(), error pointers (6.3+ __filemap_get_folio returns
 * ERR_PTR(-ENOENT)), the xor-and-report-waiters flag helper as the header defines it,
 * and an ext4 table without ->writepage. Fixtures are ours (test/fixtures/kernel/),
 * in the shapes those releases have; each runs under 6.1's built-ins, as a 6.12 tree
 * does (the newest era at or below its release).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runScenario, parseScenarioText } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { builtinRace, editedFixture, kernelFixture } from './fixtures.js';

const fixture = kernelFixture;

function run(scenario: string, era: string, sources: string[]) {
  const { race, file } = builtinRace(scenario);
  return runScenario({ race, file, eraSpec: era, models: sourceModelSet(era, sources) });
}

const edited = editedFixture;

describe('a writeback_control that carries the iteration (writeback_iter, 6.8+)', () => {
  it('write_cache_pages over writeback_iter holds every seed race, lifted from source', () => {
    for (const scenario of ['writeback-stale-wake', 'truncate-vs-writeback', 'mmap-dirty-lost']) {
      const r = run(scenario, '6.1', [fixture('writeback-iter')]);
      assert.equal(r.verdict, 'holds', `${scenario}: ${r.message}`);
      assert.deepEqual(r.assumptions, [], scenario);
      for (const fn of ['write_cache_pages', 'writeback_iter', 'writeback_get_folio', 'folio_prepare_writeback']) {
        assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', `${scenario}: ${fn}`);
      }
    }
  });

  it('the batch, the index and the saved error live in the wbc: folio_batch_next() walks the batch writeback_iter() filled on an earlier call', () => {
    const r = runScenario({ ...builtinRace('writeback-stale-wake'), eraSpec: '6.1', models: sourceModelSet('6.1', [fixture('writeback-iter')]), stopAtFirstViolation: false });
    assert.equal(r.verdict, 'holds', r.message);
    assert.ok(r.executions > 1);
  });

  it('folio_prepare_writeback() without its wait: the BUG_ON fires under a writeback the sync finds in flight', () => {
    const dir = edited('writeback-iter', 'page-writeback.c', '\t\tfolio_wait_writeback(folio);\n\t}\n\tBUG_ON', '\t}\n\tBUG_ON');
    const r = run('writeback-stale-wake', '6.1', [dir]);
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'bug-on');
    assert.match(r.message ?? '', /BUG_ON\(folio_test_writeback\(folio\)\) fired in folio_prepare_writeback/);
    // the trace shows the walk of the wbc's batch
    assert.ok(r.trace?.some((row) => row.function === 'writeback_get_folio'), 'a step of writeback_get_folio in the trace');
  });

  it('a wbc field read back is what the code wrote: a BUG_ON on wbc->index left at 0 after the walk does not fire', () => {
    const dir = edited('writeback-iter', 'page-writeback.c', '\treturn error;\n}', '\tBUG_ON(wbc->index == 0);\n\treturn error;\n}');
    const r = run('writeback-stale-wake', '6.1', [dir]);
    assert.equal(r.verdict, 'holds', r.message);
    // and one on the value it was not left at does
    const dir2 = edited('writeback-iter', 'page-writeback.c', '\treturn error;\n}', '\tBUG_ON(wbc->index != 0);\n\treturn error;\n}');
    const r2 = run('writeback-stale-wake', '6.1', [dir2]);
    assert.equal(r2.verdict, 'violated');
    assert.equal(r2.invariant, 'bug-on');
  });
});

describe('each CPU its own writeback_control (a wbc lives on its caller\'s stack)', () => {
  it('two CPUs syncing the file at once with the 6.8+ iterator: each walks its own batch and index; holds', () => {
    const text = `race two-syncs "two data-integrity syncs at once"
era 6.1
setup {
  fs nobh
  file F { page P index 0 uptodate dirty }
}
P0 sync  { writeback_sync(F) }
P1 sync2 { writeback_sync(F) }
P2 user  { set_page_dirty(P) }
check bug-on deadlock freed-under-writeback
`;
    const parsed = parseScenarioText(text, 'two-syncs.race');
    assert.ok(parsed.race, JSON.stringify(parsed.diagnostics));
    const r = runScenario({ race: parsed.race, file: 'two-syncs.race', eraSpec: '6.1', models: sourceModelSet('6.1', [fixture('writeback-iter')]), stopAtFirstViolation: false });
    assert.equal(r.verdict, 'holds', r.message);
    assert.equal(r.models.find((m) => m.function === 'writeback_iter')?.from, 'source');
  });

  it('in a trace, what a CPU writes into a wbc is its own wbc', () => {
    const text = `race two-syncs-under-writeback "two syncs and a writeback in flight"
era 6.1
setup {
  fs nobh
  file F { page P index 0 uptodate dirty writeback }
}
P0 sync  { writeback_sync(F) }
P1 sync2 { writeback_sync(F) }
P2 io    { end_page_writeback(P) }
check bug-on deadlock freed-under-writeback
`;
    const parsed = parseScenarioText(text, 'two-syncs.race');
    assert.ok(parsed.race, JSON.stringify(parsed.diagnostics));
    // folio_prepare_writeback() without its wait: a sync finds the folio under writeback
    const dir = edited('writeback-iter', 'page-writeback.c', '\t\tfolio_wait_writeback(folio);\n\t}\n\tBUG_ON', '\t}\n\tBUG_ON');
    const r = runScenario({ race: parsed.race, file: 'two-syncs.race', eraSpec: '6.1', models: sourceModelSet('6.1', [dir]) });
    assert.equal(r.verdict, 'violated', r.message);
    assert.equal(r.invariant, 'bug-on');
    const wbcChanges = (r.trace ?? []).flatMap((row) => (row.changes ?? []).map((c) => [row.cpu, String(c[0])] as const)).filter(([, k]) => k.startsWith('fld:wbc/'));
    assert.ok(wbcChanges.length > 0, 'the trace shows wbc fields written');
    for (const [cpu, k] of wbcChanges) assert.ok(k.includes(`@${cpu}.`), `${cpu} wrote ${k}`);
  });
});

describe('a scalar out-parameter (int *error) written through by a lifted callee', () => {
  it('the caller\'s local takes the value: writeback_iter() hands write_cache_pages() its error back', () => {
    const helper = 'static void clear_error(int *err)\n{\n\t*err = 0;\n}\n\nint write_cache_pages(';
    const check = '\tint seen = 1;\n\n\tclear_error(&seen);\n\tBUG_ON(seen != 0);\n\treturn error;\n}';
    const dir = edited('writeback-iter', 'page-writeback.c', 'int write_cache_pages(', helper);
    const text = fs.readFileSync(path.join(dir, 'page-writeback.c'), 'utf8');
    fs.writeFileSync(path.join(dir, 'page-writeback.c'), text.replace('\treturn error;\n}', check));
    const r = run('writeback-stale-wake', '6.1', [dir]);
    assert.equal(r.verdict, 'holds', r.message);
    const iter = r.models.find((m) => m.function === 'writeback_iter');
    assert.ok(!(iter?.notes ?? []).some((n) => /write through pointer/.test(n)), JSON.stringify(iter?.notes));
    // a write the caller does not get back would leave seen at 1
    fs.writeFileSync(path.join(dir, 'page-writeback.c'), text.replace('\treturn error;\n}', check.replace('seen != 0', 'seen != 1')));
    const r2 = run('writeback-stale-wake', '6.1', [dir]);
    assert.equal(r2.verdict, 'violated');
    assert.equal(r2.invariant, 'bug-on');
  });
});

describe('pointer parameters a lifted callee tests or writes through (6.12\'s is_valid_gup_args, 6.1\'s lock_folio_maybe_drop_mmap)', () => {
  const helpers = 'static int given(int *locked)\n{\n\tif (locked)\n\t\treturn 1;\n\treturn 0;\n}\n\n'
    + 'static void take(struct address_space **mp, struct address_space *m)\n{\n\t*mp = m;\n}\n\nint write_cache_pages(';
  function runWith(check: string): ReturnType<typeof run> {
    const dir = edited('writeback-iter', 'page-writeback.c', 'int write_cache_pages(', helpers);
    const text = fs.readFileSync(path.join(dir, 'page-writeback.c'), 'utf8');
    fs.writeFileSync(path.join(dir, 'page-writeback.c'), text.replace('\treturn error;\n}', `${check}\treturn error;\n}`));
    return run('writeback-stale-wake', '6.1', [dir]);
  }

  it('`if (locked)` on a pointer parameter: false for a NULL argument, true for the address of a local holding 0', () => {
    const r = runWith('\tint zero = 0;\n\n\tBUG_ON(given(NULL));\n\tBUG_ON(!given(&zero));\n');
    assert.equal(r.verdict, 'holds', r.message);
    // a NULL argument that reached the callee as 0 was taken for a given pointer
    const r2 = runWith('\tBUG_ON(!given(NULL));\n');
    assert.equal(r2.verdict, 'violated');
    assert.equal(r2.invariant, 'bug-on');
  });

  it('`*mp = m` through a pointer to the caller\'s pointer (struct file **fpin): the caller\'s local takes it', () => {
    const r = runWith('\tstruct address_space *got = NULL;\n\n\ttake(&got, mapping);\n\tBUG_ON(got != mapping);\n');
    assert.equal(r.verdict, 'holds', r.message);
    assert.ok(!(r.models.find((m) => m.function === 'take')?.notes ?? []).some((n) => /write through pointer/.test(n)));
    const r2 = runWith('\tstruct address_space *got = NULL;\n\n\ttake(&got, mapping);\n\tBUG_ON(got == mapping);\n');
    assert.equal(r2.verdict, 'violated');
    assert.equal(r2.invariant, 'bug-on');
  });
});

describe('error pointers (6.3+: a lookup that finds nothing returns ERR_PTR(-ENOENT))', () => {
  it('truncation checking the lookup with IS_ERR() holds, lifted from source', () => {
    const r = run('truncate-vs-writeback', '6.1', [fixture('err-ptr-lookup')]);
    assert.equal(r.verdict, 'holds', r.message);
    assert.deepEqual(r.assumptions, []);
    for (const fn of ['__filemap_get_folio', 'truncate_inode_pages_range']) assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', fn);
  });

  it('the same check against NULL takes the error pointer for a folio: the run says so', () => {
    const dir = edited('err-ptr-lookup', 'truncate.c', 'if (!IS_ERR(folio)) {', 'if (folio) {');
    const r = run('truncate-vs-writeback', '6.1', [dir]);
    assert.equal(r.verdict, 'error');
    assert.match(r.message ?? '', /err:-2/);
  });

  it('without the writeback wait, the folio still under writeback is freed', () => {
    const dir = edited('err-ptr-lookup', 'truncate.c', '\t\tfolio_wait_writeback(folio);\n', '');
    const r = run('truncate-vs-writeback', '6.1', [dir]);
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'freed-under-writeback');
  });
});

describe('header helpers a later release writes its flag updates with', () => {
  it('folio_xor_flags_has_waiters() from the source tree, or as the header defines it when include/ is not given: the same verdicts, no assumption', () => {
    const dir = edited('end-writeback-xor', 'filemap.c', 'bool folio_xor_flags_has_waiters(', 'bool unused_folio_xor_flags_has_waiters(');
    for (const scenario of ['truncate-vs-writeback', 'writeback-stale-wake']) {
      const r = run(scenario, '6.1', [dir]);
      assert.equal(r.verdict, 'holds', `${scenario}: ${r.message}`);
      assert.ok(!r.assumptions.some((a) => /folio_xor_flags_has_waiters/.test(a.message)), `${scenario}: ${JSON.stringify(r.assumptions)}`);
      assert.equal(r.models.find((m) => m.function === 'folio_xor_flags_has_waiters')?.from, 'builtin');
    }
  });
});

describe('an ext4 table without ->writepage (ext4 writes back through ->writepages alone)', () => {
  it('fs ext3 models the per-folio write and says so; the real ->dirty_folio is lifted', () => {
    const r = run('mmap-dirty-lost', '6.1', [fixture('ext4-no-writepage')]);
    assert.equal(r.verdict, 'holds', r.message);
    assert.ok(r.assumptions.some((a) => a.kind === 'builtin-over-source' && /^ext4_aops\.writepage: the table has no ->writepage/.test(a.message)), JSON.stringify(r.assumptions));
    assert.equal(r.models.find((m) => m.function === 'ext4_dirty_folio')?.from, 'source');
    assert.equal(r.models.find((m) => m.function === 'ext4_writepage')?.from, 'builtin');
  });
});
