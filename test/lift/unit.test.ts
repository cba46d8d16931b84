/** Whole files: ops tables, errors outside functions, `only`, ranges, duplicates. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSource } from 'racelens-server/out/lift/index.js';
import { AOPS_TABLES, CLEAR_PAGE_DIRTY_2620, ERRORS_OUTSIDE, LOOPS, SHORT_CIRCUIT } from './fixtures.js';
import { validate } from './helpers.js';

test('*_operations initializers become ops tables', () => {
  const u = compileSource(AOPS_TABLES, 'fs/ext3/inode.c');
  assert.deepEqual(
    [...u.opsTables].map(([name, t]) => [name, Object.fromEntries(t)]),
    [
      ['ext3_ordered_aops', {
        readpage: 'ext3_readpage', writepage: 'ext3_ordered_writepage', set_page_dirty: 'ext3_ordered_set_page_dirty',
      }],
      ['ext4_da_aops', { dirty_folio: 'block_dirty_folio', writepages: 'ext4_writepages' }],
      // a mapping's vm_operations_struct is a table too (->page_mkwrite, ->fault)
      ['generic_file_vm_ops', { fault: 'filemap_fault' }],
      ['old_style_fops', { read: 'generic_file_read', write: 'generic_file_write' }],
    ],
  );
  assert.ok(!u.opsTables.has('not_a_table'), 'struct vm_area_struct is not a table of operations');
  assert.equal(u.functions.get('ext3_ordered_writepage')?.status, 'clean');
  assert.deepEqual(u.errors, []);
});

test('ERROR nodes outside the function: function still clean, errors reported', () => {
  const u = compileSource(ERRORS_OUTSIDE, 'mm/page-writeback.c');
  const f = u.functions.get('account_page_dirtied');
  assert.ok(f);
  validate(f.program);
  assert.equal(f.status, 'clean');
  assert.deepEqual(f.program.notes, []);
  assert.deepEqual(f.program.params, ['page', 'mapping']);
  assert.equal(f.program.file, 'mm/page-writeback.c');
  assert.equal(f.program.line, 6);
  assert.ok(u.errors.length > 0);
  for (const e of u.errors) assert.ok(e.line >= 1 && e.what.length > 0);
});

test('only: compiles just the named functions', () => {
  const u = compileSource(SHORT_CIRCUIT, 'x.c', { only: new Set(['pick', 'absent']) });
  assert.deepEqual([...u.functions.keys()], ['pick']);
});

test('function range is 1-based and spans the definition', () => {
  const u = compileSource(CLEAR_PAGE_DIRTY_2620, 'x.c');
  assert.deepEqual(u.functions.get('clear_page_dirty_for_io')?.range, {
    startLine: 2, startColumn: 1, endLine: 16, endColumn: 2,
  });
});

test('functions inside #ifdef blocks are found; the first of two alternatives is kept', () => {
  const src = `
#ifdef CONFIG_MMU
int mmu_only(struct page *page)
{
	return page_mapped(page);
}
#else
int mmu_only(struct page *page)
{
	return 0;
}
#endif
static noinline struct page *find_it(struct address_space *mapping, pgoff_t index)
{
	return find_get_page(mapping, index);
}
`;
  const u = compileSource(src, 'x.c');
  const f = u.functions.get('mmu_only');
  assert.ok(f);
  assert.equal(f.program.code[0].op, 'call');
  assert.equal(f.status, 'notes');
  assert.match(f.program.notes[0].what, /another definition/);
  const g = u.functions.get('find_it');
  assert.ok(g, 'pointer-returning function with a noinline annotation');
  assert.deepEqual(g.program.params, ['mapping', 'index']);
  assert.equal(g.status, 'clean');
});

test('many functions in one unit all end in ret with in-range targets', () => {
  const u = compileSource([AOPS_TABLES, LOOPS, SHORT_CIRCUIT, CLEAR_PAGE_DIRTY_2620].join('\n'), 'x.c');
  assert.equal(u.functions.size, 6);
  for (const f of u.functions.values()) validate(f.program);
});
